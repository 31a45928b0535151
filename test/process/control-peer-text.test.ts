/**
 * Nothing a peer sends reaches a log line, a reply or the operator's terminal unescaped, and no
 * credential in a URL is repeated: the sender's user and host, a rejected logger name, a push's
 * source, a destination with a password. One escaping function (`shown`), checked on its own and
 * where it is used: the process's audit lines, its replies, and `logdial status` in a terminal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControl, shown } from '../../src/control/escape.js';
import { redactCredentials } from '../../src/control/redact.js';
import { localTargets, sendCommand } from '../../src/control/client.js';
import { executeCommand, getLogger, Handler } from '../../src/index.js';
import { cli, privateRuntime, startControlChild, until } from '../fixtures/control-helpers.js';

/** Any character a terminal or a line-oriented log would act on. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const FORGED = '\n2026-01-01 00:00:00,000 logdial INFO FAKE LINE\x1b[2J\x1b]0;owned\x07\r';

test('escapeControl writes control characters as visible escapes and leaves other text alone', () => {
  assert.equal(escapeControl('plain app.db /var/log/x.log ünïcode \\n'), 'plain app.db /var/log/x.log ünïcode \\n');
  assert.equal(escapeControl('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(escapeControl('\x1b[2J\x07\x00\x7f\x9b'), '\\x1b[2J\\x07\\x00\\x7f\\x9b');
  assert.equal(escapeControl('x\u2028y\u202ez\u2066'), 'x\\u2028y\\u202ez\\u2066');
  assert.equal(escapeControl(escapeControl(FORGED)), escapeControl(FORGED), 'escaping twice changes nothing');
  assert.ok(!RAW_CONTROL.test(escapeControl(FORGED)) && !escapeControl(FORGED).includes('\n'));
});

test('redactCredentials hides the password of every URL in a text, nested ones included', () => {
  assert.equal(redactCredentials('udp://redis://admin:hunter2@10.0.0.1:514'), 'udp://redis://admin:***@10.0.0.1:514');
  assert.equal(
    redactCredentials('to rediss://u:p@h:6380 and https://tok@github.com/x'),
    'to rediss://u:***@h:6380 and https://***@github.com/x',
  );
  assert.equal(
    redactCredentials('no credentials: user@example.com, udp://host:514'),
    'no credentials: user@example.com, udp://host:514',
  );
  assert.equal(shown('redis://a:b@h\n'), 'redis://a:***@h\\n');
  // Linear on hostile input (a long scheme-like run, many '@'): returns at once.
  const long = `${'a'.repeat(200_000)}://${'@'.repeat(1000)}`;
  assert.ok(redactCredentials(long).length > 0);
});

test('audit lines and replies escape what the sender said and hide credentials', async (t) => {
  const seen: string[] = [];
  class Capture extends Handler {
    emit(record: { getMessage(): string }): void {
      seen.push(record.getMessage());
    }
  }
  const capture = new Capture();
  const audit = getLogger('logdial');
  const level = audit.level;
  audit.addHandler(capture);
  audit.setLevel('INFO');
  t.after(() => {
    audit.removeHandler(capture);
    audit.setLevel(level);
  });
  const forger = { via: 'unix' as const, user: `alice${FORGED}`, host: `ops${FORGED}` };
  getLogger('peer.text').setLevel('INFO');

  const set = await executeCommand({ op: 'set', levels: { 'peer.text': 'DEBUG' } }, forger);
  assert.equal(set.ok, true, JSON.stringify(set));
  const badName = await executeCommand({ op: 'set', levels: { [`peer${FORGED}`]: 'DEBUG' } }, forger);
  assert.equal(badName.ok, false);
  const ini = '[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=NOPE\nhandlers=\n';
  const badPush = await executeCommand(
    { op: 'apply', config: ini, format: 'ini', source: `evil.conf${FORGED}` },
    forger,
  );
  assert.equal(badPush.ok, false);
  const syslog = JSON.stringify({
    version: 1,
    handlers: { s: { class: 'logging.handlers.SysLogHandler', address: ['redis://admin:hunter2@10.0.0.1', 514] } },
    root: { handlers: ['s'] },
  });
  const secretPush = await executeCommand(
    { op: 'apply', config: syslog, format: 'json', source: 'syslog.json' },
    forger,
  );
  assert.equal(secretPush.ok, false);

  for (const reply of [badName, badPush, secretPush]) {
    const text = `${reply.error!.message} ${reply.error!.location ?? ''}`;
    assert.ok(!RAW_CONTROL.test(text) && !text.includes('\n'), `reply error unescaped: ${JSON.stringify(text)}`);
    assert.ok(!text.includes('hunter2'), `reply repeats a password: ${text}`);
  }
  assert.match(secretPush.error!.message, /redis:\/\/admin:\*\*\*@10\.0\.0\.1/);
  assert.ok(seen.length >= 4, seen.join('\n'));
  for (const line of seen) {
    assert.ok(!RAW_CONTROL.test(line) && !line.includes('\n'), `audit line unescaped: ${JSON.stringify(line)}`);
    assert.ok(!line.includes('hunter2'), `audit line repeats a password: ${line}`);
  }
  assert.ok(
    seen.some((l) => l.includes('user alice\\n2026-01-01 00:00:00,000 logdial INFO FAKE LINE\\x1b[2J')),
    seen.join('\n'),
  );
});

test(
  'logdial status prints what a process says about a push escaped: one line each, no escape sequences',
  { timeout: 90_000 },
  async (t) => {
    const { env } = privateRuntime(t);
    const child = await startControlChild(t, env, { CTL_APP: 'peertext' });
    const [target] = localTargets({ dir: env['LOGDIAL_RUNTIME_DIR']!, app: 'peertext' });
    assert.ok(target);
    const ini =
      '[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[formatter_f]\nformat=%(levelname)s %(name)s: %(message)s\n[handler_h]\nclass=StreamHandler\nformatter=f\nargs=(sys.stdout,)\n[logger_root]\nlevel=INFO\nhandlers=h\n';
    const reply = await sendCommand(target, {
      op: 'apply',
      config: ini,
      format: 'ini',
      source: `x.conf${FORGED}`,
      sender: { user: `mallory${FORGED}` },
    });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    const set = await sendCommand(target, {
      op: 'set',
      levels: { 'app.work': 'DEBUG' },
      ttl: 600_000,
      sender: { user: `mallory${FORGED}` },
    });
    assert.equal(set.ok, true, JSON.stringify(set));
    await until(() => /applied x\.conf/.test(child.stdout()), 20000, 'the audit line');
    // The process's own log: the audit line is one line, and no line was forged.
    assert.ok(!/^2026-01-01 00:00:00,000 logdial INFO FAKE LINE/m.test(child.stdout()), child.stdout());
    assert.ok(!RAW_CONTROL.test(child.stdout()), 'raw control characters in the process log');
    const status = await cli(['status', '--app', 'peertext'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(
      !RAW_CONTROL.test(status.stdout),
      `status printed raw control characters: ${JSON.stringify(status.stdout)}`,
    );
    const config = status.stdout.split('\n').filter((l) => l.includes('config:') || l.includes('override:'));
    assert.equal(config.length, 2, status.stdout);
    assert.match(
      config.join('\n'),
      /config: x\.conf\\n2026-01-01 00:00:00,000 logdial INFO FAKE LINE\\x1b\[2J\\x1b\]0;owned\\x07\\r/,
    );
    assert.match(config.join('\n'), /by user mallory\\n2026/);
    const brief = await cli(['status', '--brief', '--app', 'peertext'], env);
    assert.ok(!RAW_CONTROL.test(brief.stdout) && brief.stdout.trim().split('\n').length === 2, brief.stdout);
  },
);
