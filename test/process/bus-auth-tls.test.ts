/**
 * Redis ACL users and TLS pass through the bus URL: `redis://user:password@host:port` with an ACL
 * user limited to logdial's keys and channels, and `rediss://` with a private CA trusted through
 * NODE_EXTRA_CA_CERTS (how Node processes trust a private CA) — endpoints and the CLI alike.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { TargetResult } from '../../src/control/client.js';
import { connectBusClient } from '../../src/control/bus/client.js';
import { startBusEndpoint } from '../../src/control/bus/endpoint.js';
import type { ProcessIdentity } from '../../src/control/protocol.js';
import { makeLevelExecutor } from '../fixtures/bus-executor.js';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { run, startChild } from '../helpers/proc.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';
import { suiteCleanup } from '../helpers/suite.js';

const identity = (name: string): ProcessIdentity => ({
  pid: process.pid,
  app: 'acl',
  processName: name,
  host: hostname(),
  startedAt: new Date().toISOString(),
  version: 'test',
});

test(
  'an ACL user with password in the URL (limited to logdial:* keys and channels)',
  { skip: redisSkipReason, timeout: 60_000 },
  async (t) => {
    const redis = await startRedis(t, {
      args: ['--user', 'default', 'off', '--user', 'fleet', 'on', '>s3cret', '~logdial:*', '&logdial:*', '+@all'],
    });
    const url = `redis://fleet:s3cret@127.0.0.1:${redis.port}`;
    const endpoint = startBusEndpoint(url, {
      app: 'acl',
      identity: identity('acl/ep0'),
      execute: makeLevelExecutor('acl0', identity('acl/ep0')),
      heartbeatMs: 300,
    });
    t.after(() => endpoint.close());
    const client = await connectBusClient(url);
    t.after(() => client.close());
    await waitUntil(async () => (await client.list({ app: 'acl' })).length === 1, 20_000, 'the endpoint is present');
    const { replies, missing } = await client.send(
      { op: 'set', levels: { root: 'ERROR' }, ttl: 60_000 },
      { app: 'acl' },
      10_000,
    );
    assert.deepEqual(missing, []);
    assert.equal(replies[0]?.levels['root'], 'ERROR');
    await assert.rejects(
      connectBusClient(`redis://127.0.0.1:${redis.port}`),
      /cannot reach the bus .*NOAUTH|cannot reach the bus .*(auth|permission)/i,
    );
    await assert.rejects(
      connectBusClient(`redis://fleet:wrong@127.0.0.1:${redis.port}`),
      /cannot reach the bus at redis:\/\/fleet:\*\*\*@.*(WRONGPASS|invalid)/i,
    );
  },
);

const opensslSkip = (() => {
  if (redisSkipReason) return redisSkipReason;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl not found: cannot make a test certificate';
  }
})();

/** A CA and a certificate for localhost/127.0.0.1 signed by it, made with openssl in `dir`. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const cert = join(dir, 'server.pem');
  const key = join(dir, 'server.key');
  const ext = join(dir, 'ext.cnf');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '1',
    '-subj',
    '/CN=logdial test CA',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    join(dir, 'server.csr'),
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    join(dir, 'server.csr'),
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '1',
    '-extfile',
    ext,
  );
  return { ca, cert, key };
}

describe('rediss:// (TLS) for a process on the bus and for the CLI', { skip: opensslSkip }, () => {
  // One CA, one TLS redis-server and one process with two endpoints on it, for every test below.
  const hooks = suiteCleanup();
  let url = '';
  let env: NodeJS.ProcessEnv = {};
  const cli = (args: string[]) => run(process.execPath, [cliEntry, ...args], { env, timeoutMs: 60_000 });
  const bothListed = () =>
    waitUntil(
      async () => (await cli(['ls', '--bus', url, '--app', 'tls', '--json'])).stdout.split('"pid"').length - 1 === 2,
      60_000,
      'both endpoints listed over TLS',
      500,
    );

  before(
    async () => {
      const dir = tempDir(hooks, 'logdial-tls-');
      const { ca, cert, key } = makeCertificates(dir);
      const redis = await startRedis(hooks, { tls: { cert, key, ca } });
      url = redis.url;
      env = { ...process.env, NODE_EXTRA_CA_CERTS: ca, LOGDIAL_RUNTIME_DIR: join(dir, 'rt') };
      for (const name of ['LOGDIAL_LISTEN', 'LOGDIAL_BUS', 'LOGDIAL_SECRET', 'NODE_OPTIONS']) delete env[name];
      const host = startChild(hooks, process.execPath, [join(compiledFixtures, 'bus-host.js')], {
        env: { ...env, BUS_URL: url, BUS_APP: 'tls', BUS_COUNT: '2', BUS_NAME: 'tls' },
      });
      await host.waitFor('STARTED', 30_000);
    },
    { timeout: 60_000 },
  );

  test('the test server speaks rediss:// on localhost', () => {
    assert.match(url, /^rediss:\/\/localhost:/);
  });

  test('the CLI lists every endpoint of a process on a rediss:// bus', { timeout: 90_000 }, async () => {
    await bothListed();
  });

  test('the CLI sets the levels of every endpoint over TLS', { timeout: 90_000 }, async () => {
    await bothListed();
    const set = await cli(['set', 'root=DEBUG', '--bus', url, '--app', 'tls', '--json']);
    assert.equal(set.code, 0, set.stderr + set.stdout);
    const rows = JSON.parse(set.stdout) as TargetResult[];
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.status === 'ok' && r.reply?.levels['root'] === 'DEBUG'));
  });

  test("without trusting the CA, the CLI refuses the server's certificate", { timeout: 90_000 }, async () => {
    const untrusted = await run(process.execPath, [cliEntry, 'ls', '--bus', url], {
      env: { ...env, NODE_EXTRA_CA_CERTS: '' },
      timeoutMs: 60_000,
    });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /cannot reach the bus at rediss:\/\/localhost/);
  });
});
