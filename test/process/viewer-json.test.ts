// JSON log lines in `logdial view`: recognised from the real libraries' output, shown readable,
// filtered by field.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import winston from 'winston';
import { JsonFormatter, LogRecord } from '../../src/index.js';
import { meets, parseCondition, parseJsonLine, readableLine } from '../../src/viewer/json-lines.js';
import { cliEntry } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...(chunk as Buffer).toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

// bunyan ships no types.
const bunyan = createRequire(import.meta.url)('bunyan') as {
  createLogger(o: unknown): { warn(f: object, m: string): void };
};

async function libraryLines(): Promise<Record<string, string>> {
  const p = capture();
  pino({ name: 'app.db' }, p.stream).warn({ reqId: 42 }, 'slow query');
  const b = capture();
  bunyan.createLogger({ name: 'app.db', streams: [{ stream: b.stream }] }).warn({ reqId: 42 }, 'slow query');
  const json = winston.format.json();
  const info = json.transform(
    { level: 'warn', message: 'slow query', logger: 'app.db', reqId: 42 },
    json.options,
  ) as Record<symbol, string>;
  const logdial = new JsonFormatter().format(new LogRecord('app.db', 30, 'slow query', [], undefined, { reqId: 42 }));
  await new Promise((r) => setImmediate(r));
  return {
    pino: p.lines[0]!,
    bunyan: b.lines[0]!,
    winston: info[Symbol.for('message')]!,
    logdial,
    ecs: JSON.stringify({
      '@timestamp': '2026-12-01T12:00:00.000Z',
      'log.level': 'warn',
      'log.logger': 'app.db',
      message: 'slow query',
      reqId: 42,
      ecs: { version: '8.11.0' },
    }),
  };
}

test('JSON lines of logdial, pino, bunyan, winston and ECS are recognised: level, logger, message and other fields', async () => {
  for (const [library, line] of Object.entries(await libraryLines())) {
    const fields = parseJsonLine(line);
    assert.ok(fields, `${library}: ${line}`);
    assert.match(fields.level, /^WARN(ING)?$/, library);
    assert.equal(fields.rank, 30, library);
    assert.equal(fields.logger, 'app.db', library);
    assert.equal(fields.message, 'slow query', library);
    assert.ok(meets(fields, parseCondition('level>=warn')), library);
    assert.ok(!meets(fields, parseCondition('level>=error')), library);
    assert.ok(meets(fields, parseCondition('logger=app.db')), library);
    assert.ok(meets(fields, parseCondition('reqId=42')), library);
    assert.ok(meets(fields, parseCondition('msg~SLOW')), library);
    assert.match(readableLine(fields), /WARN(ING)? app\.db: slow query .*reqId=42/, library);
  }
  assert.equal(parseJsonLine('plain text'), null);
  assert.equal(parseJsonLine('{not json}'), null);
  assert.throws(() => parseCondition('level'), /expected FIELD OP VALUE/);
  assert.throws(() => parseCondition('msg~[x'), /invalid regular expression/);
});

test('view --where filters JSON lines by field and passes them through unchanged', async () => {
  const lines = [
    JSON.stringify({ level: 30, time: 1, name: 'app.db', msg: 'ok' }),
    JSON.stringify({ level: 40, time: 2, name: 'app.db', msg: 'slow' }),
    JSON.stringify({ level: 50, time: 3, name: 'app.http', msg: 'down' }),
    'not json ERROR',
  ];
  const result = await run(process.execPath, [cliEntry, 'view', '--where', 'level>=warn', '-w', 'logger=app.db'], {
    input: lines.join('\n') + '\n',
    timeoutMs: 15000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, lines[1] + '\n');
  const bad = await run(process.execPath, [cliEntry, 'view', '--where', 'level'], { input: '', timeoutMs: 15000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected FIELD OP VALUE/);
});

test("lines are parsed by the logging format that wrote them: --format, or --config reading the handler's format", async () => {
  const { FormatParser } = await import('../../src/viewer/format-parser.js');
  const { formatFromConfig } = await import('../../src/viewer/format-config.js');
  const { repoRoot } = await import('../helpers/paths.js');
  const config = join(repoRoot, 'examples', 'seed', 'logger_config', 'info.conf');
  const parser = new FormatParser(formatFromConfig(config));
  const fields = parser.parse(
    '2026-12-01 12:00:00,002 - main.write_logs - Logging Process #1 - WARNING - disk at 91% - again',
  )!;
  assert.equal(fields.time, '2026-12-01 12:00:00,002');
  assert.equal(fields.level, 'WARNING');
  assert.equal(fields.rank, 30);
  assert.equal(fields.message, 'disk at 91% - again');
  assert.deepEqual(
    [fields.object['module'], fields.object['funcName'], fields.object['processName']],
    ['main', 'write_logs', 'Logging Process #1'],
  );
  assert.equal(parser.parse('something else entirely'), null);
  const padded = new FormatParser('%(asctime)s %(levelname)-8s %(name)s: %(message)s');
  assert.equal(padded.parse('12:00:01 INFO     app.db: connected')?.logger, 'app.db');
  assert.throws(() => new FormatParser('no fields here'), /names no field/);
  const lines = [
    '2026-12-01 12:00:00,001 - main.write_logs - MainProcess - ERROR - Oops',
    '2026-12-01 12:00:00,002 - main.write_logs - Logging Process #1 - INFO - Hey',
  ];
  const result = await run(
    process.execPath,
    [cliEntry, 'view', '--config', config, '--where', 'processName~process #1', '--level', 'INFO'],
    { input: lines.join('\n') + '\n', timeoutMs: 15000 },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, lines[1] + '\n');
});
