/**
 * Safety of the control plane, in one process. The allow-list of pushed configs (executeCommand is what every transport calls):
 * a push can write only where the base config writes (or listen's allowPaths), whatever spelling it
 * uses — relative paths, `..`, symlinks, handler kwargs, rotation, MemoryHandler targets, cfg:// —
 * and can send only to the local syslog port or destinations the base already uses. Anything a
 * document could use to reach code (cfg:// into Object's prototype, an entry-shaped mapping as a
 * class) is refused, and every refusal leaves the running config as it was.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { type DictConfig, executeCommand, fileConfig, getLogger, shutdown } from '../../src/index.js';
import type { ConfigFormat, ControlReply } from '../../src/control/protocol.js';
import { tempDir } from '../helpers/tmp.js';

const requester = { via: 'unix' as const };

function push(config: string, format: ConfigFormat): Promise<ControlReply> {
  return executeCommand({ op: 'apply', config, format, source: 'test push' }, requester);
}

function iniFile(handlerClass: string, args: string, extra = ''): string {
  return `[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[formatter_f]\nformat=PUSHED %(message)s\n[handler_h]\nclass=${handlerClass}\nformatter=f\nargs=${args}\n${extra}[logger_root]\nlevel=DEBUG\nhandlers=h\n`;
}

test('pushes cannot write or send outside the allow-list, however the destination is spelled', async (t) => {
  const root = tempDir(t);
  const logs = join(root, 'logs');
  const outside = join(root, 'outside');
  mkdirSync(logs);
  mkdirSync(outside);
  symlinkSync(outside, join(logs, 'escape'));
  const base = join(logs, 'base.log');
  // The base config writes to logs/: that directory (only) is allowed for pushes.
  fileConfig(
    iniFile('FileHandler', `(${JSON.stringify(base)},)`)
      .replace('PUSHED', 'BASE')
      .replace('level=DEBUG', 'level=WARNING'),
  );
  t.after(() => shutdown());
  getLogger('app').warning('before');

  const refused: Array<[string, string, ConfigFormat, RegExp]> = [
    [
      'absolute path elsewhere',
      iniFile('FileHandler', `(${JSON.stringify(join(outside, 'a.log'))},)`),
      'ini',
      /outside the directories/,
    ],
    [
      '.. out of the allowed dir',
      iniFile('FileHandler', `(${JSON.stringify(join(logs, '..', 'outside', 'b.log'))},)`),
      'ini',
      /outside the directories/,
    ],
    [
      'relative path resolving outside',
      iniFile('FileHandler', `(${JSON.stringify(relative(process.cwd(), join(outside, 'c.log')))},)`),
      'ini',
      /outside the directories/,
    ],
    [
      'symlink inside the allowed dir leading out',
      iniFile('FileHandler', `(${JSON.stringify(join(logs, 'escape', 'd.log'))},)`),
      'ini',
      /outside the directories/,
    ],
    [
      'filename as a kwarg',
      iniFile(
        'handlers.RotatingFileHandler',
        '()',
        `kwargs={'filename': ${JSON.stringify(join(outside, 'e.log'))}, 'maxBytes': 10, 'backupCount': 2}\n`,
      ),
      'ini',
      /outside the directories/,
    ],
    [
      'MemoryHandler whose target writes elsewhere',
      JSON.stringify({
        version: 1,
        handlers: {
          m: { class: 'logging.handlers.MemoryHandler', capacity: 10, target: 'f' },
          f: { class: 'logging.FileHandler', filename: join(outside, 'f.log') },
        },
        root: { handlers: ['m'] },
      }),
      'json',
      /outside the directories/,
    ],
    [
      'cfg:// filename',
      JSON.stringify({
        version: 1,
        where: { file: join(outside, 'g.log') },
        handlers: { f: { class: 'logging.FileHandler', filename: 'cfg://where.file' } },
        root: { handlers: ['f'] },
      }),
      'json',
      /outside the directories/,
    ],
    [
      'syslog to a unix socket path',
      iniFile('handlers.SysLogHandler', `(${JSON.stringify(join(outside, 'svc.sock'))},)`),
      'ini',
      /outside the directories/,
    ],
    [
      'syslog over TCP to another local service',
      iniFile(
        'handlers.SysLogHandler',
        "(('127.0.0.1', 6379), handlers.SysLogHandler.LOG_USER, handlers.socket.SOCK_STREAM)",
      ),
      'ini',
      /may not send to tcp:\/\/127\.0\.0\.1:6379/,
    ],
    [
      'syslog over UDP to a remote host',
      JSON.stringify({
        version: 1,
        handlers: { s: { class: 'logging.handlers.SysLogHandler', address: ['203.0.113.9', 514] } },
        root: { handlers: ['s'] },
      }),
      'json',
      /may not send to udp:\/\/203\.0\.113\.9:514/,
    ],
    [
      'ext:// beyond sys.stdout/sys.stderr',
      JSON.stringify({
        version: 1,
        handlers: { s: { class: 'logging.StreamHandler', stream: 'ext://process.stdout' } },
        root: { handlers: ['s'] },
      }),
      'json',
      /cannot resolve ext:\/\/process\.stdout/,
    ],
    [
      'cfg:// into the prototype as a factory',
      JSON.stringify({ version: 1, filters: { x: { '()': 'cfg://constructor' } }, root: { filters: ['x'] } }),
      'json',
      /no top-level key 'constructor'/,
    ],
    [
      'cfg:// through __proto__',
      JSON.stringify({ version: 1, formatters: { x: { '()': 'cfg://__proto__.constructor' } } }),
      'json',
      /no top-level key '__proto__'/,
    ],
    [
      'a mapping shaped like a class entry',
      JSON.stringify({
        version: 1,
        handlers: { h: { class: { pyName: 'x', kind: 'handler' } } },
        root: { handlers: ['h'] },
      }),
      'json',
      /class must be a dotted name, not a mapping/,
    ],
  ];
  // Each refusal is a behaviour of its own: one failing does not hide the others.
  for (const [what, config, format, pattern] of refused) {
    await t.test(`refused: ${what}`, async () => {
      const reply = await push(config, format);
      assert.equal(reply.ok, false, JSON.stringify(reply));
      assert.equal(reply.result, 'rejected');
      assert.match(reply.error!.message, pattern);
      assert.equal(reply.levels['root'], 'WARNING', "the base config's levels stay");
    });
  }
  await t.test('nothing was created outside the allowed directory', () => {
    for (const name of ['a.log', 'b.log', 'c.log', 'd.log', 'e.log', 'f.log', 'g.log'])
      assert.ok(!existsSync(join(outside, name)), `${name} was not created`);
  });

  // The base config still writes; allowed destinations are applied.
  getLogger('app').warning('after the refusals');
  const allowedFile = join(logs, 'pushed.log');
  await t.test('a file inside the allowed directory is applied', async () => {
    const ok = await push(iniFile('FileHandler', `(${JSON.stringify(allowedFile)},)`), 'ini');
    assert.equal(ok.ok, true, JSON.stringify(ok));
    getLogger('app').debug('into the pushed file');
  });
  await t.test('syslog to the local UDP port is allowed', async () => {
    const udp = await push(iniFile('handlers.SysLogHandler', "(('localhost', handlers.SYSLOG_UDP_PORT),)"), 'ini');
    assert.equal(udp.ok, true, `the local syslog port is allowed: ${JSON.stringify(udp)}`);
  });
  shutdown();
  await t.test('the base config kept writing through every refusal', () => {
    const baseLines = readFileSync(base, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('BASE logdial:'));
    assert.deepEqual(
      baseLines,
      ['BASE before', 'BASE after the refusals'],
      'the base config kept writing through every refusal',
    );
  });
  await t.test('each refusal was logged by the process', () => {
    assert.equal(
      readFileSync(base, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('BASE logdial: rejected push')).length,
      refused.length,
    );
  });
  await t.test('the applied push was logged, then the record, in the pushed file', () => {
    assert.equal(
      readFileSync(allowedFile, 'utf8'),
      'PUSHED logdial: applied test push (ini config, permanent) requested by an unidentified peer via unix\nPUSHED into the pushed file\n',
    );
  });
});

test('a factory that builds no filter or formatter is refused before it can break a log call', async (t) => {
  const root = tempDir(t);
  const file = join(root, 'x.log');
  writeFileSync(file, '');
  const { registerClass, unregisterClass, dictConfig, ConfigError } = await import('../../src/index.js');
  class NotAFilter {}
  registerClass('test.NotAFilter', NotAFilter, { kind: 'any' });
  t.after(() => unregisterClass('test.NotAFilter'));
  assert.throws(
    () =>
      dictConfig({ version: 1, filters: { x: { '()': 'test.NotAFilter' } }, root: { level: 'INFO', filters: ['x'] } }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.path?.startsWith('filters.x') === true &&
      /did not construct a filter/.test(e.message),
  );
  assert.throws(
    () =>
      dictConfig({
        version: 1,
        formatters: { x: { '()': 'test.NotAFilter' } },
        handlers: { h: { class: 'logging.NullHandler', formatter: 'x' } },
      }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.path?.startsWith('formatters.x') === true &&
      /did not construct a formatter/.test(e.message),
  );
  // Nothing was installed: logging on root still works and does not throw into the caller.
  getLogger().error('still fine');
});

test('status says who asked for the active override, as the change was logged', async () => {
  const set = await executeCommand(
    {
      op: 'set',
      levels: { 'app.who': 'DEBUG' },
      ttl: 60_000,
      create: true,
      sender: { pid: 4242, user: 'alice', host: 'ops1' },
    },
    { via: 'unix', pid: 4242, user: 'alice', host: 'ops1' },
  );
  assert.equal(set.ok, true, JSON.stringify(set));
  assert.equal(set.override?.requestedBy, 'pid 4242 user alice host ops1 via unix');
  const status = await executeCommand({ op: 'status' }, requester);
  assert.equal(status.status?.override?.requestedBy, 'pid 4242 user alice host ops1 via unix');
  assert.equal((await executeCommand({ op: 'revert' }, requester)).result, 'reverted');
  assert.equal((await executeCommand({ op: 'status' }, requester)).status?.override, null);
});

test('one set cannot create loggers without bound, and its error stays short', async () => {
  const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`flood.l${i}`, 'DEBUG']));
  const refused = await executeCommand({ op: 'set', levels: many }, requester);
  assert.equal(refused.ok, false);
  assert.match(refused.error!.message, /names 1001 loggers; at most 1000/);
  assert.ok(!Object.keys(refused.levels).some((name) => name.startsWith('flood.')), 'nothing was created');
  const long = await executeCommand({ op: 'set', levels: { ['x'.repeat(100_000)]: 'DEBUG' } }, requester);
  assert.equal(long.ok, false);
  assert.ok(long.error!.message.length < 300, `${long.error!.message.length} characters`);
  assert.match(long.error!.message, /invalid logger name 'x{80}…'/);
});

test("dictConfig '.' attributes only add new ones, and __proto__ stays a plain key", async () => {
  const { dictConfig, ConfigError, getCurrentConfig } = await import('../../src/index.js');
  const applied = dictConfig({
    version: 1,
    handlers: { h: { class: 'logging.NullHandler', '.': { team: 'payments', retries: 3 } } },
    root: { handlers: ['h'] },
  });
  const handler = applied.handlers.get('h') as unknown as Record<string, unknown>;
  assert.equal(handler['team'], 'payments', 'new attributes are set, as in Python');
  assert.equal(handler['retries'], 3);
  const before = getCurrentConfig();
  // Replacing what the logging path reads would make log calls throw into the application.
  for (const props of [
    { filters: [1] },
    { filter: 1 },
    { emit: 'x' },
    { level: 'LOUD' },
    JSON.parse('{"__proto__": {"handle": 1}}') as Record<string, unknown>,
  ]) {
    assert.throws(
      () =>
        dictConfig({
          version: 1,
          handlers: { h: { class: 'logging.StreamHandler', '.': props } },
          root: { level: 'INFO', handlers: ['h'] },
        }),
      (e: unknown) =>
        e instanceof ConfigError && e.path === 'handlers.h' && /'\.' may only add new attributes/.test(e.message),
      JSON.stringify(props),
    );
    assert.equal(getCurrentConfig(), before, 'nothing changed');
  }
  getLogger().error('logging still works');
  // A `__proto__` kwarg is an unknown keyword, as Python would say; it never becomes a prototype.
  assert.throws(
    () =>
      dictConfig(
        JSON.parse(
          '{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "__proto__": {"stream": "ext://sys.stdout"}}}}',
        ) as DictConfig,
      ),
    (e: unknown) => e instanceof ConfigError && /unexpected keyword argument '__proto__'/.test(e.message),
  );
  const { parseConfigText } = await import('../../src/index.js');
  assert.throws(
    () =>
      parseConfigText(
        'version: 1\nhandlers:\n  h:\n    class: logging.NullHandler\n    "__proto__": {x: 1}\n',
        'yaml',
        { file: 'c.yaml' },
      ),
    (e: unknown) => e instanceof ConfigError && /unexpected keyword argument '__proto__'/.test(e.message),
  );
});

test('a legacy TCP endpoint on a non-loopback address warns that it accepts unauthenticated configs', async (t) => {
  const { listen, getLogger: logger, Handler } = await import('../../src/index.js');
  const seen: string[] = [];
  class Capture extends Handler {
    emit(record: { getMessage(): string }): void {
      seen.push(record.getMessage());
    }
  }
  const capture = new Capture();
  logger('logdial').addHandler(capture);
  t.after(() => logger('logdial').removeHandler(capture));
  const loopback = listen({ unix: false, port: 0, legacy: true });
  await loopback.ready;
  await loopback.close();
  assert.ok(!seen.some((m) => /unauthenticated/.test(m)), 'no warning on 127.0.0.1');
  const open = listen({ unix: false, port: 0, host: '0.0.0.0', legacy: true });
  await open.ready;
  await open.close();
  assert.ok(open.port !== null, seen.join('\n'));
  assert.ok(
    seen.some((m) => /legacy TCP endpoint on 0\.0\.0\.0:\d+ accepts unauthenticated configurations/.test(m)),
    seen.join('\n'),
  );
});

test('LOGDIAL_ALLOW_PATHS keeps udp:// and tcp:// destinations whole', async () => {
  const { parseAllowList } = await import('../../src/control/listen.js');
  assert.deepEqual(parseAllowList('/var/log/app:udp://logs.example:514:/tmp/x::tcp://[::1]:601:tcp://collector'), [
    '/var/log/app',
    'udp://logs.example:514',
    '/tmp/x',
    'tcp://[::1]:601',
    'tcp://collector',
  ]);
  assert.deepEqual(parseAllowList(''), []);
});
