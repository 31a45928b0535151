/**
 * File handlers on real files: FileHandler (mode, encoding, delay), RotatingFileHandler,
 * TimedRotatingFileHandler (rollover computation compared with CPython; rollover with an injected
 * clock) and WatchedFileHandler (logrotate-style rename and delete).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { test } from 'node:test';
import {
  FileHandler,
  LogRecord,
  RotatingFileHandler,
  TimedRotatingFileHandler,
  WatchedFileHandler,
} from '../../src/index.js';
import { setErrorOutput } from '../../src/handlers/handler.js';
import { isolatedLogger } from '../helpers/logger.js';
import { tempDir } from '../helpers/tmp.js';

/** A fresh logger that sends INFO and above to `handler` only. */

/** Captures the `handleError` reports made while `fn` runs. */
function captureStderr(fn: () => void): string {
  let text = '';
  const previous = setErrorOutput((report) => (text += report));
  try {
    fn();
  } finally {
    setErrorOutput(previous);
  }
  return text;
}

const read = (path: string): string => readFileSync(path, 'utf8');

test('FileHandler appends by default, truncates with mode w, and has an absolute baseFilename', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'app.log');
  writeFileSync(file, 'old\n');
  const appending = new FileHandler(relative(process.cwd(), file));
  assert.ok(isAbsolute(appending.baseFilename));
  assert.equal(appending.baseFilename, file);
  assert.equal(appending.target, file);
  const log = isolatedLogger('files', appending);
  log.info('one');
  log.warning('two %d', 2);
  appending.close();
  assert.equal(read(file), 'old\none\ntwo 2\n');

  const truncating = new FileHandler(file, { mode: 'w' });
  isolatedLogger('files', truncating).info('fresh');
  truncating.flush();
  assert.equal(read(file), 'fresh\n');
  truncating.close();
  assert.throws(() => new FileHandler(file, { mode: 'r' }), /invalid mode/);
});

test('FileHandler with delay creates the file only at the first record; close flushes', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'delayed.log');
  const handler = new FileHandler(file, { delay: true });
  assert.equal(existsSync(file), false);
  const log = isolatedLogger('files', handler);
  log.info('first');
  assert.equal(existsSync(file), true);
  log.info('second');
  handler.close();
  assert.equal(read(file), 'first\nsecond\n');
});

test('FileHandler reopens after close like Python (mode a), but not in mode w', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'reopen.log');
  const handler = new FileHandler(file);
  const log = isolatedLogger('files', handler);
  log.info('before');
  handler.close();
  log.info('after');
  handler.close();
  assert.equal(read(file), 'before\nafter\n');

  const wfile = join(dir, 'w.log');
  const w = new FileHandler(wfile, { mode: 'w' });
  const wlog = isolatedLogger('files', w);
  wlog.info('kept');
  w.close();
  wlog.info('dropped (would truncate)');
  assert.equal(read(wfile), 'kept\n');
});

test('FileHandler encodings: latin-1 and utf-16-le bytes; unknown encodings fail at construction', (t) => {
  const dir = tempDir(t);
  const latin = join(dir, 'latin.log');
  const h1 = new FileHandler(latin, { encoding: 'latin-1' });
  isolatedLogger('files', h1).info('café');
  h1.close();
  assert.deepEqual(readFileSync(latin), Buffer.from('café\n', 'latin1'));

  const utf16 = join(dir, 'utf16.log');
  const h2 = new FileHandler(utf16, { encoding: 'utf-16-le' });
  const log2 = isolatedLogger('files', h2);
  for (let i = 0; i < 3000; i++) log2.info('ligne %d ✓', i);
  h2.close();
  const lines = readFileSync(utf16).toString('utf16le').split('\n');
  assert.equal(lines.length, 3001);
  assert.equal(lines[2999], 'ligne 2999 ✓');

  assert.throws(() => new FileHandler(join(dir, 'x.log'), { encoding: 'klingon' }), /unsupported encoding/);
});

test('FileHandler open errors: thrown by the constructor, or reported once with delay', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'no-such-dir', 'app.log');
  assert.throws(() => new FileHandler(missing), { code: 'ENOENT' });
  const delayed = new FileHandler(missing, { delay: true });
  const log = isolatedLogger('files', delayed);
  const stderr = captureStderr(() => {
    log.info('a %s', 'x');
    log.info('b');
  });
  assert.equal(stderr.split('--- Logging error ---').length - 1, 1, stderr);
  assert.match(stderr, /ENOENT/);
  // Python's report lines: the message and arguments as repr() shows them.
  assert.match(stderr, /^Message: 'a %s'\nArguments: \('x',\)$/m);
  delayed.close();
});

test('RotatingFileHandler keeps app.log, app.log.1 … .N under maxBytes, oldest dropped, order kept', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'app.log');
  const handler = new RotatingFileHandler(file, { mode: 'w', maxBytes: 100, backupCount: 3 });
  assert.equal(handler.mode, 'a', 'with maxBytes, mode w becomes a (Python)');
  const log = isolatedLogger('files', handler);
  const total = 60;
  for (let i = 0; i < total; i++) log.info('line %s', String(i).padStart(3, '0')); // 9 bytes each
  handler.close();
  const names = readdirSync(dir).sort();
  assert.deepEqual(names, ['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
  const parts = ['app.log.3', 'app.log.2', 'app.log.1', 'app.log'].map((n) => read(join(dir, n)));
  for (const part of parts) assert.ok(Buffer.byteLength(part) < 100, `each file stays under maxBytes: ${part.length}`);
  const kept = parts.join('').split('\n').filter(Boolean);
  // Contiguous tail of what was logged, ending with the last line.
  const first = Number(kept[0]!.slice(5));
  assert.deepEqual(
    kept,
    Array.from({ length: total - first }, (_, i) => `line ${String(first + i).padStart(3, '0')}`),
  );
  assert.ok(first > 0, 'older lines were rotated away');
});

test('RotatingFileHandler: no rollover with maxBytes 0 or backupCount 0; an empty file takes a huge line', (t) => {
  const dir = tempDir(t);
  const noRoll = new RotatingFileHandler(join(dir, 'a.log'), { maxBytes: 10, backupCount: 0 });
  const log = isolatedLogger('files', noRoll);
  for (let i = 0; i < 10; i++) log.info('0123456789');
  noRoll.close();
  assert.deepEqual(readdirSync(dir), ['a.log']);

  const big = new RotatingFileHandler(join(dir, 'b.log'), { maxBytes: 10, backupCount: 2 });
  const blog = isolatedLogger('files', big);
  blog.info('x'.repeat(50));
  big.flush();
  assert.equal(existsSync(join(dir, 'b.log.1')), false, 'the first (huge) line went into the empty file');
  blog.info('next');
  big.close();
  assert.equal(read(join(dir, 'b.log.1')), 'x'.repeat(50) + '\n');
  assert.equal(read(join(dir, 'b.log')), 'next\n');
});

test('RotatingFileHandler: namer and rotator hooks, delay, existing file size counts', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'n.log');
  writeFileSync(file, 'x'.repeat(95) + '\n');
  const handler = new RotatingFileHandler(file, { maxBytes: 100, backupCount: 2, delay: true });
  handler.namer = (name) => name.replace(/\.log\.(\d)$/, '.$1.log');
  const rotated: string[] = [];
  handler.rotator = (source, dest) => {
    rotated.push(dest);
    renameSync(source, dest);
  };
  isolatedLogger('files', handler).info('after');
  handler.close();
  assert.deepEqual(rotated, [join(dir, 'n.1.log')]);
  assert.equal(read(join(dir, 'n.log')), 'after\n');
});

// --- timed rotation -------------------------------------------------------------------------------

const pythonCompute = String.raw`
import json, sys, datetime, logging.handlers, os
cases = json.load(sys.stdin)
out = []
for c in cases:
    at = None
    if c.get('atTime'):
        h, m, s = c['atTime']
        at = datetime.time(h, m, s)
    h = logging.handlers.TimedRotatingFileHandler(c['file'], when=c['when'], interval=c['interval'], utc=c['utc'], atTime=at, delay=True)
    out.append([h.computeRollover(t) for t in c['times']])
print(json.dumps(out))
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test(
  'TimedRotatingFileHandler.computeRollover equals CPython for every `when`, utc, atTime, across DST',
  { skip: !hasPython() && 'python3 not found' },
  (t) => {
    const dir = tempDir(t);
    const file = join(dir, 't.log');
    // Around the 2024 US DST changes, midweek, near midnight and at odd seconds.
    const times = [
      1710054000, 1710057599, 1710061200, 1730613600, 1730700000, 1717171717, 1717199999, 1704067199, 1704067200,
      1718000000,
    ];
    const cases: Array<{
      file: string;
      when: string;
      interval: number;
      utc: boolean;
      atTime?: [number, number, number];
      times: number[];
    }> = [];
    for (const when of ['S', 'M', 'H', 'D', 'midnight', 'W0', 'W3', 'W6']) {
      for (const utc of [false, true]) {
        cases.push({ file, when, interval: when.startsWith('W') || when === 'midnight' ? 1 : 3, utc, times });
        if (when === 'midnight' || when.startsWith('W'))
          cases.push({ file, when, interval: 1, utc, atTime: [13, 45, 10], times });
      }
    }
    for (const tz of ['America/New_York', 'UTC', 'Australia/Lord_Howe']) {
      const expected = JSON.parse(
        execFileSync('python3', ['-c', pythonCompute], {
          input: JSON.stringify(cases),
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        }),
      ) as number[][];
      const savedTz = process.env['TZ'];
      process.env['TZ'] = tz;
      try {
        cases.forEach((c, i) => {
          const handler = new TimedRotatingFileHandler(file, {
            when: c.when,
            interval: c.interval,
            utc: c.utc,
            delay: true,
            ...(c.atTime ? { atTime: { hour: c.atTime[0], minute: c.atTime[1], second: c.atTime[2] } } : {}),
          });
          const actual = c.times.map((time) => handler.computeRollover(time));
          handler.close();
          assert.deepEqual(
            actual,
            expected[i],
            `TZ=${tz} when=${c.when} utc=${c.utc} atTime=${c.atTime?.join(',') ?? '-'}`,
          );
        });
      } finally {
        if (savedTz === undefined) delete process.env['TZ'];
        else process.env['TZ'] = savedTz;
      }
    }
  },
);

test('TimedRotatingFileHandler rolls over at interval boundaries with Python suffixes and backupCount', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'timed.log');
  let now = Date.UTC(2024, 4, 1, 13, 59, 58); // 2024-05-01 13:59:58 UTC
  const handler = new TimedRotatingFileHandler(file, {
    when: 's',
    interval: 1,
    backupCount: 2,
    utc: true,
    clock: () => now,
  });
  assert.equal(handler.suffix, '%Y-%m-%d_%H-%M-%S');
  const log = isolatedLogger('files', handler);
  log.info('a'); // interval 13:59:58
  now += 1000;
  log.info('b'); // rolls: a → timed.log.2024-05-01_13-59-58
  now += 1000;
  log.info('c'); // rolls: b → …_13-59-59
  now += 5000;
  log.info('d'); // rolls: c → …_14-00-00; the oldest (a) is deleted (backupCount 2)
  handler.close();
  assert.deepEqual(readdirSync(dir).sort(), [
    'timed.log',
    'timed.log.2024-05-01_13-59-59',
    'timed.log.2024-05-01_14-00-00',
  ]);
  assert.equal(read(join(dir, 'timed.log.2024-05-01_13-59-59')), 'b\n');
  assert.equal(read(join(dir, 'timed.log.2024-05-01_14-00-00')), 'c\n');
  assert.equal(read(file), 'd\n');
});

test('TimedRotatingFileHandler: midnight suffix, an existing rotated file is never overwritten, bad `when` throws', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'daily.log');
  let now = Date.UTC(2024, 0, 31, 23, 0, 0);
  const handler = new TimedRotatingFileHandler(file, { when: 'midnight', utc: true, clock: () => now });
  assert.equal(handler.rolloverAt, Date.UTC(2024, 1, 1) / 1000);
  writeFileSync(join(dir, 'daily.log.2024-01-31'), 'from another process\n');
  const log = isolatedLogger('files', handler);
  log.info('jan');
  now = Date.UTC(2024, 1, 1, 0, 0, 1);
  log.info('feb');
  handler.close();
  assert.equal(read(join(dir, 'daily.log.2024-01-31')), 'from another process\n');
  assert.equal(read(file), 'jan\nfeb\n');
  assert.equal(handler.rolloverAt, Date.UTC(2024, 1, 2) / 1000);
  assert.throws(() => new TimedRotatingFileHandler(file, { when: 'W7', delay: true }), /Invalid day/);
  assert.throws(
    () => new TimedRotatingFileHandler(file, { when: 'fortnight', delay: true }),
    /Invalid rollover interval/,
  );
});

test('TimedRotatingFileHandler uses the record time when no clock is given', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'rec.log');
  const handler = new TimedRotatingFileHandler(file, { when: 'H', utc: true });
  const record = new LogRecord('x', 20, 'later', []);
  Object.defineProperty(record, 'created', { value: handler.rolloverAt + 10 });
  handler.handle(new LogRecord('x', 20, 'now', []));
  handler.handle(record);
  handler.close();
  const rotated = readdirSync(dir).filter((n) => n !== 'rec.log');
  assert.equal(rotated.length, 1);
  assert.match(rotated[0]!, /^rec\.log\.\d{4}-\d{2}-\d{2}_\d{2}$/);
  assert.equal(read(file), 'later\n');
});

// --- watched ------------------------------------------------------------------------------------

test('WatchedFileHandler reopens after logrotate moves or deletes the file; nothing is lost', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'watched.log');
  const handler = new WatchedFileHandler(file);
  const log = isolatedLogger('files', handler);
  log.info('one');
  handler.flush();
  const firstIno = handler.ino;
  renameSync(file, `${file}.1`); // logrotate (create mode)
  log.info('two');
  handler.flush();
  assert.notEqual(handler.ino, firstIno);
  assert.equal(read(`${file}.1`), 'one\n');
  assert.equal(read(file), 'two\n');
  unlinkSync(file);
  log.info('three');
  log.info('four');
  handler.close();
  assert.equal(read(file), 'three\nfour\n');
});

test('WatchedFileHandler reports a failed reopen once and keeps writing to the old file', (t) => {
  const dir = tempDir(t);
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  const file = join(sub, 'w.log');
  const handler = new WatchedFileHandler(file);
  const log = isolatedLogger('files', handler);
  log.info('before');
  handler.flush();
  renameSync(sub, join(dir, 'moved'));
  const stderr = captureStderr(() => {
    log.info('after');
    handler.flush();
    log.info('again');
    handler.flush();
  });
  assert.equal(stderr.split('--- Logging error ---').length - 1, 1, stderr);
  handler.close();
  assert.equal(read(join(dir, 'moved', 'w.log')), 'before\nafter\nagain\n');
});
