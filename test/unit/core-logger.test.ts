import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEBUG,
  ERROR,
  INFO,
  NOTSET,
  WARNING,
  Filter,
  Formatter,
  Handler,
  LogRecord,
  MemoryHandler,
  dictConfig,
  disable,
  getLogger,
  getRootLogger,
  setLastResort,
  type DictConfig,
} from '../../src/index.js';

class Collect extends Handler {
  readonly records: LogRecord[] = [];
  emit(record: LogRecord): void {
    this.records.push(record);
  }
  messages(): string[] {
    return this.records.map((r) => `${r.levelname}:${r.name}:${r.getMessage()}`);
  }
}

let counter = 0;
/** A fresh, unique logger subtree per test (the hierarchy is process-wide). */
function tree(): string {
  return `t${++counter}`;
}

/** A fresh logger that keeps its records to itself: no propagation, one collecting handler. */
function isolated(level?: number): { t: string; logger: ReturnType<typeof getLogger>; h: Collect } {
  const t = tree();
  const logger = getLogger(t);
  logger.propagate = false;
  if (level !== undefined) logger.setLevel(level);
  const h = new Collect();
  logger.addHandler(h);
  return { t, logger, h };
}

test('getLogger returns one instance per name; no name is the root', () => {
  assert.equal(getLogger('a.b'), getLogger('a.b'));
  assert.equal(getLogger(), getRootLogger());
  assert.equal(getLogger(''), getRootLogger());
  assert.equal(getRootLogger().name, '');
  assert.equal(getRootLogger().getEffectiveLevel(), WARNING);
});

test('parents are the nearest existing ancestor, fixed up when a middle logger appears later', () => {
  const t = tree();
  const leaf = getLogger(`${t}.x.y.z`);
  assert.equal(leaf.parent, getRootLogger());
  const top = getLogger(t);
  assert.equal(leaf.parent, top);
  const mid = getLogger(`${t}.x.y`);
  assert.equal(leaf.parent, mid);
  assert.equal(mid.parent, top);
  assert.equal(getLogger(`${t}.xx`).parent, top, 'a name sharing a prefix is not a child');
});

test('effective level is cached and follows any change above', () => {
  const t = tree();
  const leaf = getLogger(`${t}.a.b`);
  const top = getLogger(t);
  assert.equal(leaf.isEnabledFor(INFO), false);
  top.setLevel('DEBUG');
  assert.equal(leaf.getEffectiveLevel(), DEBUG);
  assert.equal(leaf.isEnabledFor(DEBUG), true);
  const mid = getLogger(`${t}.a`);
  mid.setLevel(ERROR);
  assert.equal(leaf.isEnabledFor(WARNING), false);
  mid.setLevel(0);
  assert.equal(leaf.isEnabledFor(DEBUG), true);
  top.setLevel(0);
});

test('records propagate to ancestors until propagate is false; ancestor levels are not consulted', () => {
  const t = tree();
  const top = getLogger(t);
  const mid = getLogger(`${t}.m`);
  const leaf = getLogger(`${t}.m.l`);
  const onTop = new Collect();
  const onMid = new Collect();
  top.addHandler(onTop);
  mid.addHandler(onMid);
  top.setLevel(ERROR);
  leaf.setLevel(DEBUG);
  leaf.debug('d %d', 1);
  assert.deepEqual(onMid.messages(), [`DEBUG:${t}.m.l:d 1`]);
  assert.deepEqual(onTop.messages(), [`DEBUG:${t}.m.l:d 1`], 'Python ignores ancestor levels when propagating');
  mid.propagate = false;
  leaf.info('stop at mid');
  assert.equal(onMid.records.length, 2);
  assert.equal(onTop.records.length, 1);
});

test('handler levels filter records; logger and handler filters apply', () => {
  const t = tree();
  const logger = getLogger(t);
  logger.setLevel(DEBUG);
  logger.propagate = false;
  const h = new Collect(WARNING);
  logger.addHandler(h);
  logger.info('skipped');
  logger.warning('kept');
  h.addFilter((r) => !r.getMessage().includes('secret'));
  logger.error('secret');
  logger.addFilter(new Filter(`${t}.other`));
  logger.critical('filtered by logger filter');
  assert.deepEqual(h.messages(), [`WARNING:${t}:kept`]);
});

test('disabled loggers and disable() drop records', () => {
  const { t, logger, h } = isolated(DEBUG);
  logger.disabled = true;
  assert.equal(logger.isEnabledFor(ERROR), false);
  logger.error('dropped');
  logger.disabled = false;
  disable('INFO');
  logger.info('dropped too');
  logger.warning('kept');
  disable(NOTSET);
  logger.debug('back');
  assert.deepEqual(h.messages(), [`WARNING:${t}:kept`, `DEBUG:${t}:back`]);
});

test('level-0 records never pass, as with Python (manager.disable starts at 0)', () => {
  const root = getRootLogger();
  const { t, logger, h } = isolated();
  root.setLevel(NOTSET);
  try {
    assert.equal(logger.getEffectiveLevel(), NOTSET);
    assert.equal(logger.isEnabledFor(NOTSET), false);
    assert.equal(logger.isEnabledFor(1), true);
    logger.log(NOTSET, 'never');
    logger.log(1, 'level one');
  } finally {
    root.setLevel(WARNING);
  }
  assert.deepEqual(h.messages(), [`Level 1:${t}:level one`]);
});

test('a record with no handler anywhere goes to lastResort at WARNING and above', () => {
  const t = tree();
  const logger = getLogger(t);
  logger.propagate = false;
  const seen: string[] = [];
  setLastResort({ level: WARNING, handle: (r: LogRecord) => seen.push(r.getMessage()) });
  try {
    logger.warning('no handler');
    logger.info('below lastResort');
  } finally {
    setLastResort({ level: WARNING, handle: (r: LogRecord) => process.stderr.write(r.getMessage() + '\n') });
  }
  assert.deepEqual(seen, ['no handler']);
});

test('Error arguments become exc; plain objects become fields; pino-style object first works', () => {
  const { logger, h } = isolated(DEBUG);
  const err = new Error('boom');
  logger.error('failed %s', 'op', err, { user: 'ann' });
  logger.info({ reqId: 7 }, 'handled %d', 200);
  logger.exception(err, 'while %s', 'saving');
  logger.exception(new TypeError('bad'));
  logger.info('extra', 42);
  logger.error(err, 'saving %s failed', 'doc');
  logger.exception('failed', err);
  logger.exception('no error at hand');
  const [a, b, c, d, e, f, g, i] = h.records;
  assert.equal(a!.getMessage(), 'failed op');
  assert.equal(a!.exc, err);
  assert.deepEqual(a!.fields, { user: 'ann' });
  assert.equal(b!.getMessage(), 'handled 200');
  assert.deepEqual(b!.fields, { reqId: 7 });
  assert.equal(c!.getMessage(), 'while saving');
  assert.equal(c!.levelno, ERROR);
  assert.equal(c!.exc, err);
  assert.equal(d!.getMessage(), 'bad');
  assert.ok(d!.exc instanceof TypeError);
  assert.equal(e!.getMessage(), 'extra 42', 'leftover arguments are appended, not lost');
  assert.equal(f!.getMessage(), 'saving doc failed', "pino's order: the error, then the message");
  assert.equal(f!.exc, err);
  assert.equal(g!.getMessage(), 'failed', 'the error is exc, not repeated in the message');
  assert.equal(g!.exc, err);
  assert.equal(i!.getMessage(), 'no error at hand');
  assert.match(i!.exc!.stack!, /^Error: no error at hand\n {4}at /);
  assert.doesNotMatch(
    i!.exc!.stack!.split('\n')[1]!,
    /exception/,
    "the stack starts at the caller, not in logdial's exception()",
  );
});

test('arguments are formatted only when the record is emitted', () => {
  const { logger, h } = isolated(INFO);
  let calls = 0;
  // %j calls toJSON, so each formatting of the arguments is counted.
  const costly = { toJSON: () => ++calls };
  logger.debug('%j', costly);
  assert.equal(h.records.length, 0);
  logger.info('value %j', costly);
  assert.equal(calls, 0, 'an enabled call builds the record but does not format its arguments');
  const record = h.records[0]!;
  assert.equal(record.getMessage(), 'value 1');
  assert.equal(record.message, 'value 1');
  assert.equal(calls, 1, 'formatted once, on first use, then cached');
});

test('record fields follow Python names', () => {
  const { t, logger, h } = isolated();
  logger.warning('x');
  const r = h.records[0]!;
  assert.equal(r.name, t);
  assert.equal(r.levelname, 'WARNING');
  assert.equal(r.levelno, WARNING);
  assert.equal(r.process, process.pid);
  assert.equal(r.processName, 'MainProcess');
  assert.equal(r.threadName, 'MainThread');
  assert.ok(Math.abs(r.created * 1000 - Date.now()) < 5000);
  assert.ok(r.msecs >= 0 && r.msecs < 1000);
  assert.equal(r.callSite, undefined, 'no stack is captured when no formatter uses caller fields');
});

test('a stack is captured exactly while some attached formatter uses caller fields, however it got there', () => {
  const t = tree();
  const logger = getLogger(t);
  logger.propagate = false;
  const captured: boolean[] = [];
  logger.addFilter((record: LogRecord) => {
    captured.push(record.callSite !== undefined);
    return true;
  });
  const callerFormat = new Formatter('%(funcName)s: %(message)s');
  const plainFormat = new Formatter('%(levelname)s: %(message)s');
  const probe = (): boolean => {
    captured.length = 0;
    logger.warning('probe');
    return captured[0]!;
  };

  const h = new Collect();
  h.setFormatter(callerFormat);
  assert.equal(probe(), false, 'not attached to any logger yet');
  logger.addHandler(h);
  assert.equal(probe(), true, 'attached later');
  h.setFormatter(plainFormat);
  assert.equal(probe(), false, 'setFormatter to a plain format');
  h.formatter = callerFormat;
  assert.equal(probe(), true, 'formatter assigned as a property');
  logger.removeHandler(h);
  assert.equal(probe(), false, 'removed');

  const target = new Collect();
  target.setFormatter(callerFormat);
  const memory = new MemoryHandler(10);
  logger.addHandler(memory);
  assert.equal(probe(), false, 'memory handler without a target');
  memory.targetHandler = target;
  assert.equal(probe(), true, "memory handler's target assigned as a property");
  target.formatter = null;
  assert.equal(probe(), false, "the target's formatter removed");
  memory.close();
  logger.removeHandler(memory);

  const config = (format: string): DictConfig => ({
    version: 1,
    disable_existing_loggers: false,
    formatters: { f: { format } },
    handlers: { h: { class: 'logging.NullHandler', formatter: 'f' } },
    loggers: { [t]: { handlers: ['h'], propagate: false } },
  });
  dictConfig(config('%(module)s %(message)s'));
  assert.equal(probe(), true, 'configuration applied with a caller field');
  dictConfig(config('%(message)s'));
  assert.equal(probe(), false, 'configuration replaced by one without');
  dictConfig({ version: 1, disable_existing_loggers: false, loggers: { [t]: { handlers: [], propagate: false } } });
});

test('a level method bound while its level is off logs once the level is lowered (live reconfiguration)', () => {
  const t = tree();
  const logger = getLogger(t);
  logger.propagate = false;
  logger.setLevel(INFO);
  const seen: string[] = [];
  const h = new (class extends Handler {
    emit(record: LogRecord): void {
      seen.push(this.format(record));
    }
  })();
  h.setFormatter(new Formatter('%(levelname)s %(funcName)s: %(message)s'));
  logger.addHandler(h);
  const debug = logger.debug.bind(logger);
  const prefixed = logger.debug.bind(logger, 'step %s of %s');
  const info = logger.info.bind(logger); // bound while enabled: the prototype's method
  function boundCaller(): void {
    debug('hidden %d', 1);
    logger.setLevel(DEBUG);
    debug('shown %d', 2);
    prefixed(1, 2);
    logger.setLevel(ERROR);
    info('hidden again');
    debug('hidden again');
  }
  boundCaller();
  logger.removeHandler(h);
  assert.deepEqual(seen, ['DEBUG boundCaller: shown 2', 'DEBUG boundCaller: step 1 of 2']);
});
