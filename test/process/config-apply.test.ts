/**
 * All-or-nothing apply: a failing configuration changes nothing (handlers stay open and writing);
 * a successful one swaps between two log calls and flushes, then closes, what it replaced;
 * 200 reconfigurations while a child logs at full speed lose, duplicate or tear no line.
 * Also: disable_existing_loggers, incremental, allowPath, specFilePaths, watch, environment
 * selection, and the seed's info.conf.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ConfigError,
  FileHandler,
  LogRecord,
  applySpec,
  configure,
  dictConfig,
  fileConfig,
  getCurrentConfig,
  getLiveHandlers,
  getLogger,
  getRootLogger,
  loadConfigFile,
  parseConfigText,
  registerClass,
  selectConfigFile,
  specFilePaths,
  type AppliedConfig,
} from '../../src/index.js';
import { compiledFixtures, sourceFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const ini = (
  handlers: string,
  extra = '',
  formatters = 'keys=plain\n[formatter_plain]\nformat=%(levelname)s %(name)s %(message)s\n',
) => `[loggers]
keys=root
[handlers]
keys=${handlers}
[formatters]
${formatters}[logger_root]
level=DEBUG
handlers=${handlers}
${extra}`;

const fileHandler = (id: string, path: string, formatter = 'plain') => `[handler_${id}]
class=FileHandler
args=(${JSON.stringify(path)},)
formatter=${formatter}
`;

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

test('a failing configuration leaves the running one open and writing', (t) => {
  const dir = tempDir(t);
  const good = join(dir, 'good.log');
  const applied = fileConfig(ini('h', fileHandler('h', good)));
  const handler = applied.handlers.get('h') as FileHandler;
  getLogger('x').info('one');
  const live = getLiveHandlers().length;
  const bad = [
    // second handler fails after the first was built
    ini('a,b', fileHandler('a', join(dir, 'a.log')) + fileHandler('b', join(dir, 'no-such-dir', 'b.log'))),
    ini(
      'a',
      fileHandler('a', join(dir, 'a2.log')) + '[logger_x]\n',
      'keys=plain\n[formatter_plain]\nformat=%(message\n',
    ),
    ini('a', '[handler_a]\nclass=NoSuchHandler\n'),
  ];
  for (const text of bad) {
    assert.throws(() => fileConfig(text), ConfigError);
    assert.equal(getCurrentConfig(), applied);
    assert.equal(handler.closed, false);
    assert.deepEqual(getRootLogger().handlers, [handler]);
    assert.equal(getLiveHandlers().length, live, 'a handler built for the failed config was left open');
  }
  getLogger('x').info('two');
  handler.flush();
  assert.deepEqual(lines(good), ['INFO x one', 'INFO x two']);
});

test('success flushes, then closes, the replaced handlers', (t) => {
  const dir = tempDir(t);
  const first = fileConfig(ini('h', fileHandler('h', join(dir, '1.log'))));
  const old = first.handlers.get('h') as FileHandler;
  // The root logger: a named logger the new file does not mention would be disabled, as in Python.
  for (let i = 0; i < 100; i++) getLogger().warning('old %d', i);
  const second = fileConfig(ini('h', fileHandler('h', join(dir, '2.log'))));
  assert.equal(old.closed, true);
  assert.equal(second.closedHandlers, 1);
  assert.equal(lines(join(dir, '1.log')).length, 100);
  getLogger().warning('new');
  (second.handlers.get('h') as FileHandler).flush();
  assert.deepEqual(lines(join(dir, '2.log')), ['WARNING root new']);
});

test('replaced MemoryHandlers flush into their targets before the targets close', (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'mem.log');
  fileConfig(
    `[loggers]\nkeys=root\n[handlers]\nkeys=file,mem\n[formatters]\nkeys=\n[logger_root]\nlevel=DEBUG\nhandlers=mem\n[handler_file]\nclass=FileHandler\nargs=(${JSON.stringify(out)},)\n[handler_mem]\nclass=handlers.MemoryHandler\nargs=(100, ERROR)\ntarget=file\n`,
  );
  getLogger().info('buffered 1');
  getLogger().info('buffered 2');
  assert.equal(readFileSync(out, 'utf8'), '');
  fileConfig(ini('h', fileHandler('h', join(dir, 'other.log'))));
  assert.deepEqual(lines(out), ['buffered 1', 'buffered 2']);
});

test('allowPath sees every absolute path first; a throw rejects the whole config', (t) => {
  const dir = tempDir(t);
  const before = fileConfig(ini('h', fileHandler('h', join(dir, 'base.log'))));
  const spec = parseConfigText(
    ini('a,b', fileHandler('a', join(dir, 'ok.log')) + fileHandler('b', '/etc/forbidden.log')),
    'ini',
    { file: 'push.conf' },
  );
  assert.deepEqual(specFilePaths(spec), [join(dir, 'ok.log'), '/etc/forbidden.log']);
  const seen: string[] = [];
  assert.throws(
    () =>
      applySpec(spec, {
        allowPath: (p) => {
          seen.push(p);
          if (!p.startsWith(dir)) throw new Error('not in the allow-list');
        },
      }),
    (e: unknown) =>
      e instanceof ConfigError && e.file === 'push.conf' && /forbidden\.log/.test(e.message) && e.line === 18,
  );
  assert.deepEqual(seen, [join(dir, 'ok.log'), '/etc/forbidden.log']);
  assert.equal(getCurrentConfig(), before);
  assert.throws(
    () => readFileSync(join(dir, 'ok.log')),
    /ENOENT/,
    'nothing may be opened before the allow-list passed',
  );
});

test('loggers created before a configuration keep working unless disable_existing_loggers is asked for', (t) => {
  const dir = tempDir(t);
  const pre = getLogger('dx.other');
  const child = getLogger('dx.app.child');
  child.setLevel('ERROR');
  const text = ini(
    'h',
    fileHandler('h', join(dir, 'd.log')) + '[logger_app]\nlevel=INFO\nhandlers=\nqualname=dx.app\n',
  ).replace('keys=root\n', 'keys=root,app\n');
  fileConfig(text);
  assert.equal(pre.disabled, false, 'the default keeps existing loggers (unlike Python)');
  dictConfig({ version: 1, loggers: { 'dx.app': { level: 'INFO' } } });
  assert.equal(pre.disabled, false, 'dictConfig too');
  dictConfig({ version: 1, disable_existing_loggers: true, loggers: { 'dx.app': { level: 'INFO' } } });
  assert.equal(pre.disabled, true, 'disable_existing_loggers: true is honoured');
  fileConfig(text, { disableExistingLoggers: true });
  assert.equal(pre.disabled, true, "fileConfig's option: Python's behaviour");
  assert.equal(child.disabled, false);
  assert.equal(child.level, 0, 'children of a configured logger are reset to NOTSET');
  assert.equal(getLogger('dx.app').level, 20);
  fileConfig(text, { disableExistingLoggers: false });
  assert.equal(pre.disabled, false, 'False re-enables, as in Python');
  const spec = parseConfigText(text, 'ini');
  applySpec(spec, { disableExisting: true });
  assert.equal(pre.disabled, true);
  assert.equal(getLogger('logdial').disabled, false, 'the logdial logger stays enabled');
});

test('dictConfig: incremental levels, MemoryHandler target, filters, registered classes', (t) => {
  const dir = tempDir(t);
  class Upper extends FileHandler {
    constructor(options: { filename: string }) {
      super(options.filename);
    }
    override format(record: LogRecord): string {
      return super.format(record).toUpperCase();
    }
  }
  registerClass('myapp.Upper', Upper);
  const applied = dictConfig({
    version: 1,
    filters: { only: { name: 'dc.keep' } },
    formatters: { f: { format: '%(levelname)s:%(name)s:%(message)s' } },
    handlers: {
      file: { class: 'logging.FileHandler', filename: join(dir, 'm.log'), formatter: 'f' },
      mem: { class: 'logging.handlers.MemoryHandler', capacity: 100, target: 'file', flushLevel: 'ERROR' },
      up: { '()': 'myapp.Upper', filename: join(dir, 'up.log'), filters: ['only'] },
    },
    root: { level: 'DEBUG', handlers: ['mem', 'up'] },
  });
  getLogger('dc.keep').info('kept');
  getLogger('dc.drop').info('dropped');
  assert.equal(readFileSync(join(dir, 'm.log'), 'utf8'), '', 'buffered in the MemoryHandler until ERROR');
  getLogger('dc.keep').error('boom');
  (applied.handlers.get('file') as FileHandler).flush();
  (applied.handlers.get('up') as FileHandler).flush();
  assert.deepEqual(lines(join(dir, 'm.log')), ['INFO:dc.keep:kept', 'INFO:dc.drop:dropped', 'ERROR:dc.keep:boom']);
  assert.deepEqual(lines(join(dir, 'up.log')), ['KEPT', 'BOOM']);
  // incremental: only levels
  dictConfig({ version: 1, incremental: true, handlers: { up: { level: 'ERROR' } }, root: { level: 'WARNING' } });
  assert.equal(applied.handlers.get('up')!.level, 40);
  assert.equal(getRootLogger().level, 30);
  assert.throws(
    () => dictConfig({ version: 1, incremental: true, handlers: { nope: { level: 'ERROR' } } }),
    (e: unknown) =>
      e instanceof ConfigError && e.path === 'handlers.nope' && /No handler found with name 'nope'/.test(e.message),
  );
});

test('200 reconfigurations while a child logs at full speed: no line lost, duplicated or torn', async (t) => {
  const dir = tempDir(t);
  const total = 60000;
  const r = await run(
    process.execPath,
    [join(compiledFixtures, 'config-reconfigure-child.js'), dir, String(total), '200'],
    { timeoutMs: 180000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const m = /done (\d+) (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout + r.stderr);
  assert.equal(Number(m[2]), 200);
  const logged = Number(m[1]);
  const all = lines(join(dir, 'out.log'));
  assert.equal(all.length, logged, 'lines lost or duplicated');
  let switches = 0;
  all.forEach((line, i) => {
    const parts = /^([AB]) INFO line (\d+) of the numbered sequence, padded so it spans more than a few bytes$/.exec(
      line,
    );
    assert.ok(parts, `torn line ${i}: ${JSON.stringify(line)}`);
    assert.equal(Number(parts[2]), i, `line ${i} out of order`);
    if (i > 0 && all[i - 1]![0] !== parts[1]) switches++;
  });
  assert.ok(switches >= 50, `only ${switches} configuration switches visible in the output`);
});

test('configure(path, { watch }) reloads on change; a broken save keeps the old config and says why', async (t) => {
  const dir = tempDir(t);
  const conf = join(dir, 'app.yaml');
  const yaml = (level: string) =>
    `version: 1\nhandlers:\n  f:\n    class: logging.FileHandler\n    filename: ${join(dir, 'w.log')}\nroot:\n  level: ${level}\n  handlers: [f]\n`;
  writeFileSync(conf, yaml('INFO'));
  const events: Array<{ applied?: AppliedConfig; error?: ConfigError }> = [];
  let wake: () => void = () => {};
  const handle = configure(conf, {
    watch: true,
    debounceMs: 30,
    onReload: (r) => {
      events.push(r);
      wake();
    },
  });
  t.after(() => handle.close());
  assert.equal(getRootLogger().level, 20);
  const nextEvent = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reload within 10 s')), 10000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  let waiting = nextEvent();
  writeFileSync(conf, yaml('DEBUG'));
  await waiting;
  assert.equal(getRootLogger().level, 10);
  const good = getCurrentConfig();
  waiting = nextEvent();
  writeFileSync(conf, 'version: 1\nhandlers:\n  f:\n    class: logging.NoSuchHandler\n');
  await waiting;
  const last = events.at(-1)!;
  assert.ok(last.error instanceof ConfigError);
  assert.equal(last.error.path, 'handlers.f.class');
  assert.equal(last.error.line, 4);
  assert.equal(getCurrentConfig(), good, 'the broken save changed the running configuration');
  assert.equal(getRootLogger().level, 10);
  (good!.handlers.get('f') as FileHandler).flush();
  assert.match(
    readFileSync(join(dir, 'w.log'), 'utf8'),
    /app\.yaml not applied, keeping the previous one: .*app\.yaml:4 at handlers\.f\.class/,
  );
});

test('selectConfigFile: LOGDIAL_CONFIG, then ENV, then NODE_ENV, then the default', () => {
  const files = { dev: 'info.conf', prod: 'error.conf' };
  const pick = (env: Record<string, string>) => selectConfigFile({ files, default: 'debug.conf', env });
  assert.equal(pick({}), 'debug.conf');
  assert.equal(pick({ ENV: 'prod' }), 'error.conf');
  assert.equal(pick({ NODE_ENV: 'dev' }), 'info.conf');
  assert.equal(pick({ ENV: 'prod', NODE_ENV: 'dev' }), 'error.conf');
  assert.equal(pick({ ENV: 'staging', NODE_ENV: 'dev' }), 'info.conf');
  assert.equal(pick({ ENV: 'staging' }), 'debug.conf');
  assert.equal(pick({ ENV: 'prod', LOGDIAL_CONFIG: '/etc/x.conf' }), '/etc/x.conf');
  assert.equal(selectConfigFile({ files, env: {}, dir: '/srv', default: 'debug.conf' }), '/srv/debug.conf');
  assert.throws(() => selectConfigFile({ files, env: {} }), ConfigError);
});

test("the seed's info.conf loads as written; the colour formatter drops the quotes", () => {
  const path = join(sourceFixtures, 'config-seed', 'info.conf');
  const spec = loadConfigFile(path);
  assert.equal(spec.handlers[0]!.call.entry.pyName, 'logging.StreamHandler');
  const applied = applySpec(spec);
  assert.equal(getRootLogger().level, 20);
  assert.equal(applied.handlers.get('console')!.level, 20);
  const record = new LogRecord('', 20, 'Hey, something happened.', []);
  const text = applied.formatters.get('default')!.format(record, { color: false });
  assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - .+ - MainProcess - INFO - Hey, something happened\.$/);
  const colored = applied.formatters.get('default')!.format(record, { color: true });
  assert.match(colored, /\x1b\[/);
  assert.ok(!colored.includes("'") && !colored.includes('$'), colored);
});
