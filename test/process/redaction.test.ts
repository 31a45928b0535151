/**
 * Redaction in pino's path syntax, set in code, in dict configs and in INI files, applied to
 * fields, child bindings and request context before any formatter (JSON, text, `%(fields)s`)
 * sees them; the caller's objects are never changed; bad paths are located errors that change
 * nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import {
  ConfigError,
  Formatter,
  Handler,
  INFO,
  JsonFormatter,
  type LogRecord,
  RedactPathError,
  Redactor,
  dictConfig,
  fileConfig,
  getLogger,
  getRedaction,
  setRedaction,
  withContext,
} from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

/** Keeps each record's line, formatted when it is emitted (as a stream handler would). */
class Collect extends Handler {
  readonly lines: string[] = [];
  emit(record: LogRecord): void {
    this.lines.push(this.format(record));
  }
}

let counter = 0;
/** A logger of its own with two handlers (JSON and text), so one record meets two formatters. */
function isolated() {
  const logger = getLogger(`redact${++counter}`);
  logger.propagate = false;
  logger.setLevel(INFO);
  const json = new Collect();
  json.setFormatter(new JsonFormatter({ preset: 'pino' }));
  const text = new Collect();
  text.setFormatter(new Formatter('%(message)s %(password)s | %(fields)s'));
  logger.addHandler(json);
  logger.addHandler(text);
  return {
    logger,
    json: () => json.lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => text.lines,
  };
}

afterEach(() => {
  setRedaction(null);
});

describe('the Redactor', () => {
  test('pino’s paths: a.b, *.b, a[*].b, a[0], quoted keys; censor or remove; copy on write', () => {
    const r = new Redactor({
      paths: ['req.headers.authorization', '*.password', 'users[*].token', 'list[0]', 'h["x-api-key"]', 'top'],
    });
    const input = {
      req: { headers: { authorization: 'Bearer t', host: 'h' }, method: 'GET' },
      user: { name: 'ada', password: 'hunter2' },
      users: [{ token: 'a', id: 1 }, { id: 2 }],
      list: ['secret', 'public'],
      h: { 'x-api-key': 'k' },
      top: 'gone',
      other: { untouched: true },
    };
    const before = structuredClone(input);
    const out = r.apply(input);
    assert.deepEqual(out, {
      req: { headers: { authorization: '[Redacted]', host: 'h' }, method: 'GET' },
      user: { name: 'ada', password: '[Redacted]' },
      users: [{ token: '[Redacted]', id: 1 }, { id: 2 }],
      list: ['[Redacted]', 'public'],
      h: { 'x-api-key': '[Redacted]' },
      top: '[Redacted]',
      other: { untouched: true },
    });
    assert.deepEqual(input, before, 'the caller’s objects are not changed');
    assert.equal(out.other, input.other, 'objects off the matched paths are shared, not copied');
    assert.equal(out.users[1], input.users[1]);
    const none = { a: 1, b: { c: 2 } };
    assert.equal(r.apply(none), none, 'nothing matched: the same object');

    const removed = new Redactor({ paths: ['*.password', 'token'], remove: true }).apply({
      user: { name: 'ada', password: 'x' },
      token: 't',
    });
    assert.deepEqual(removed, { user: { name: 'ada' } });
    assert.ok(!('password' in removed.user));
    const fn = new Redactor({
      paths: ['card.number'],
      censor: (v: unknown, path: readonly string[]) => `${String(v).slice(-4)}@${path.join('.')}`,
    });
    assert.deepEqual(fn.apply({ card: { number: '4111111111111111' } }), { card: { number: '1111@card.number' } });
  });

  test('a path that does not parse names the path and the position', () => {
    assert.throws(
      () => new Redactor(['a..b']),
      (e: unknown) => e instanceof RedactPathError && e.path === 'a..b' && e.position === 2,
    );
    assert.throws(() => new Redactor(['a[b']), /redact path "a\[b" at position 1: expected a closing '\]'/);
    assert.throws(() => new Redactor(['a[b]']), /expected '\*', an index or a quoted key/);
    assert.throws(() => new Redactor(['']), /expected a key/);
  });
});

describe('redaction in the pipeline', () => {
  test('fields, child bindings and request context are redacted before every formatter', () => {
    setRedaction(['password', '*.password', 'auth.token']);
    const { logger, json, text } = isolated();
    const user = { name: 'ada', password: 'hunter2' };
    const child = logger.child({ auth: { token: 'tok-1', scheme: 'bearer' } });
    withContext({ password: 'ctx-secret' }, () => child.info({ user }, 'signed in'));
    const [line] = json();
    assert.equal(line!['password'], '[Redacted]');
    assert.deepEqual(line!['user'], { name: 'ada', password: '[Redacted]' });
    assert.deepEqual(line!['auth'], { token: '[Redacted]', scheme: 'bearer' });
    assert.deepEqual(text(), [
      'signed in [Redacted] | password=[Redacted] auth={"token":"[Redacted]","scheme":"bearer"} user={"name":"ada","password":"[Redacted]"}',
    ]);
    assert.equal(user.password, 'hunter2');
    assert.equal(getRedaction()?.paths.length, 3);
  });

  test('an HTTP request is redacted in the form it is written in (headers included)', async () => {
    const { createServer } = await import('node:http');
    setRedaction(['req.headers.authorization']);
    const { logger, json } = isolated();
    const server = createServer((req, res) => {
      logger.info({ req }, 'got it');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      await (await fetch(`http://127.0.0.1:${port}/p?q=1`, { headers: { authorization: 'Bearer secret' } })).text();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const req = json()[0]!['req'] as {
      method: string;
      url: string;
      headers: Record<string, string>;
      remotePort: unknown;
    };
    assert.equal(req.method, 'GET');
    assert.equal(req.url, '/p?q=1');
    assert.equal(req.headers.authorization, '[Redacted]');
    assert.equal(typeof req.remotePort, 'number');
  });

  test('set in a dict config: list or mapping; a bad path is located and changes nothing', () => {
    dictConfig({ version: 1, redact: { paths: ['*.password'], censor: '***' } });
    const { logger, json } = isolated();
    logger.info({ db: { password: 'p' } }, 'x');
    assert.deepEqual(json()[0]!['db'], { password: '***' });
    const before = getRedaction();
    assert.throws(
      () => dictConfig({ version: 1, redact: ['ok.path', 'bad..path'] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.path === 'redact.paths[1]' &&
        /redact path "bad\.\.path" at position 4/.test(e.message),
    );
    assert.throws(
      () => dictConfig({ version: 1, redact: { paths: ['a'], censr: 'x' } } as never),
      /redact has no option 'censr'/,
    );
    assert.equal(getRedaction(), before, 'a failed configuration leaves redaction as it was');
    dictConfig({ version: 1, redact: ['token'] });
    assert.deepEqual(getRedaction()?.paths, ['token']);
    dictConfig({ version: 1 });
    assert.deepEqual(getRedaction()?.paths, ['token'], 'a configuration without redact leaves it as it is');
    dictConfig({ version: 1, redact: [] });
    assert.equal(getRedaction(), null, 'an empty list turns it off');
  });

  test('set in an INI file: [redact] paths, censor, remove; errors name the file and line', (t) => {
    const dir = tempDir(t);
    const base =
      '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=WARNING\nhandlers=\n';
    const good = join(dir, 'good.ini');
    writeFileSync(good, base + '[redact]\npaths = users[*].token,\n  req.headers["x-api-key"]\nremove = true\n');
    fileConfig(good);
    assert.deepEqual(getRedaction()?.paths, ['users[*].token', 'req.headers["x-api-key"]']);
    assert.equal(getRedaction()?.remove, true);
    const { logger, json } = isolated();
    logger.info({ users: [{ token: 't', id: 1 }] }, 'x');
    assert.deepEqual(json()[0]!['users'], [{ id: 1 }]);
    const bad = join(dir, 'bad.ini');
    writeFileSync(bad, base + '[redact]\npaths = a.*.b, [oops\n');
    assert.throws(
      () => fileConfig(bad),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.file === bad &&
        e.line === 11 &&
        /\[redact\] paths: redact path "\[oops" at position 0/.test(e.message),
    );
    assert.deepEqual(getRedaction()?.paths, ['users[*].token', 'req.headers["x-api-key"]']);
  });
});

describe('JsonFormatter options in config files', () => {
  test('preset next to class in a dict config and in an INI formatter section; a typo is refused', (t) => {
    const applied = dictConfig({
      version: 1,
      formatters: { j: { class: 'logging.JsonFormatter', preset: 'ecs' } },
      handlers: {},
      loggers: {},
    });
    assert.equal((applied.formatters.get('j') as JsonFormatter).preset, 'ecs');
    assert.throws(
      () => dictConfig({ version: 1, formatters: { j: { class: 'logging.JsonFormatter', preset: 'pinot' } } } as never),
      /preset must be 'pino', 'ecs' or 'otel', not "pinot"/,
    );
    assert.throws(
      () => dictConfig({ version: 1, formatters: { j: { format: '%(message)s', preset: 'pino' } } } as never),
      /preset/,
    );
    const dir = tempDir(t);
    const ini = join(dir, 'j.ini');
    writeFileSync(
      ini,
      '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=j\n[formatter_j]\nclass=logging.JsonFormatter\npreset=pino\n[logger_root]\nlevel=WARNING\nhandlers=\n',
    );
    assert.equal((fileConfig(ini).formatters.get('j') as JsonFormatter).preset, 'pino');
  });
});
