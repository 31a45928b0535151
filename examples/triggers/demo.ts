/**
 * `npm run demo:triggers`: an error brings its own detail, in about 6 seconds.
 *
 * One process logs a DEBUG line per query on `app.db` (every 100 ms) and an INFO line per request
 * on `app` (every 500 ms), at INFO: the DEBUG lines are not written. Its configuration has a
 * trigger: on ERROR in `app.db`, write the 5 DEBUG records before it (marked `backfill`) and keep
 * `app.db` at DEBUG for 2 s. At 1.5 s a query fails: the error arrives with its backfill, DEBUG
 * lines follow, `status` shows the window, and 2 s later it closes by itself. The demo checks
 * what the output showed and exits 0 (1 if anything was off).
 */
import { Writable } from 'node:stream';
import { dictConfig, getLogger, StreamHandler } from '../../src/index.js';
import { statusInfo } from '../../src/control/index.js';

const lines: string[] = [];
const out = process.stdout;
const color = Boolean(out.isTTY) && !process.env['NO_COLOR'];
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const say = (text: string) => out.write(`${paint('1;36', 'demo:')} ${paint('1', text)}\n`);

/** Where the process's lines go: the terminal, and a copy the demo checks at the end. */
const screen = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      out.write((line.includes('backfill') ? paint('2', line) : line) + '\n');
    }
    done();
  },
});

/** A handler writing to `screen` (a constructor, as a dict config's `'()'` takes). */
class ScreenHandler extends StreamHandler {
  constructor() {
    super(screen);
  }
}

const config = {
  version: 1 as const,
  formatters: {
    plain: {
      format: '%(asctime)s.%(msecs)03d %(backfill)-8s %(levelname)-5s %(name)s: %(message)s',
      datefmt: '%H:%M:%S',
    },
  },
  handlers: { screen: { '()': ScreenHandler, formatter: 'plain' } },
  root: { level: 'INFO', handlers: ['screen'] },
  triggers: {
    dbErrors: {
      loggers: ['app.db'],
      level: 'ERROR',
      backfill: 5,
      backfill_level: 'DEBUG',
      set: { 'app.db': 'DEBUG' },
      for: '2s',
    },
  },
};
say("triggers: { dbErrors: { loggers: ['app.db'], backfill: 5, set: { 'app.db': 'DEBUG' }, for: '2s' } }");
say('app.db logs a DEBUG line per query; the process is at INFO, so they are not written');
dictConfig(config);

const db = getLogger('app.db');
const app = getLogger('app');
let query = 0;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const started = Date.now();
  let failed = false;
  let windowSeen = '';
  while (Date.now() - started < 6000) {
    query++;
    db.debug('SELECT * FROM orders WHERE id = %d (%d ms)', 1000 + query, 2 + (query % 7));
    if (query % 5 === 0) app.info('GET /orders/%d 200', 1000 + query);
    if (!failed && Date.now() - started > 1500) {
      failed = true;
      say('a query fails:');
      db.error('SELECT * FROM orders WHERE id = %d: deadlock detected', 1000 + query);
      await pause(0);
      windowSeen = statusInfo().override?.description ?? '';
      say(`status shows the window: ${windowSeen}`);
    }
    await pause(100);
  }
  const text = lines.join('\n');
  const errorAt = lines.findIndex((l) => l.includes('deadlock detected'));
  const backfilled = lines.slice(0, errorAt).filter((l) => l.includes('backfill'));
  const expiredAt = lines.findIndex((l) => l.includes('expired; back to the base configuration'));
  const debugAfter = lines.slice(errorAt + 1, expiredAt).filter((l) => / DEBUG /.test(l) && !l.includes('backfill'));
  const debugLater = lines.slice(expiredAt + 1).filter((l) => / DEBUG /.test(l));
  const checks: Array<[string, boolean]> = [
    ['the error came with 5 backfilled DEBUG lines before it', backfilled.length === 5],
    ['DEBUG lines followed during the window', debugAfter.length > 5],
    ['status showed the window', windowSeen.includes('trigger dbErrors')],
    ['the window closed by itself', expiredAt > errorAt],
    ['no DEBUG line after it closed', expiredAt > 0 && debugLater.length === 0],
  ];
  for (const [what, ok] of checks) say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (checks.some(([, ok]) => !ok)) out.write(text + '\n');
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

void main().then((code) => {
  process.exitCode = code;
});
