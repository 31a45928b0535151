// logdial ui's request guard (token, Host, Origin, CSRF) and the line of a config error, as pure
// decisions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequest, cookieValue, sameSecret, type Guard } from '../../src/ui/security.js';
import { lineOfPath, parseId } from '../../src/ui/operator.js';

const guard: Guard = { token: 'tok-123', csrf: 'c'.repeat(48), hosts: ['127.0.0.1:8000', 'localhost:8000'] };
const ok = { host: '127.0.0.1:8000', 'x-logdial-token': 'tok-123' };
const change = {
  ...ok,
  origin: 'http://127.0.0.1:8000',
  'x-logdial-csrf': guard.csrf,
  'content-type': 'application/json',
};

test('a GET needs the token, from the header, the cookie or the query', () => {
  assert.deepEqual(checkRequest({ method: 'GET', url: '/', headers: { host: ok.host } }, guard), {
    ok: false,
    status: 401,
    reason: 'a token is required (open the URL `logdial ui` printed, token included)',
  });
  assert.equal(checkRequest({ method: 'GET', url: '/', headers: ok }, guard).ok, true);
  const cookie = { host: ok.host, cookie: 'a=b; logdial_ui=tok-123' };
  assert.equal(checkRequest({ method: 'GET', url: '/api/fleet', headers: cookie }, guard).ok, true);
  assert.deepEqual(checkRequest({ method: 'GET', url: '/?token=tok-123', headers: { host: ok.host } }, guard), {
    ok: true,
    tokenFromQuery: true,
  });
  const wrong = { host: ok.host, 'x-logdial-token': 'tok-124' };
  assert.equal(checkRequest({ method: 'GET', url: '/', headers: wrong }, guard).ok, false);
});

test('another Host (DNS rebinding) or another Origin is refused even with the token', () => {
  const rebound = checkRequest({ method: 'GET', url: '/', headers: { ...ok, host: 'evil.example:8000' } }, guard);
  assert.equal(rebound.ok ? 0 : rebound.status, 421);
  const cross = checkRequest({ method: 'GET', url: '/', headers: { ...ok, origin: 'http://evil.example' } }, guard);
  assert.equal(cross.ok ? 0 : cross.status, 403);
});

test('a change needs the same Origin, the CSRF value and a JSON body', () => {
  assert.equal(checkRequest({ method: 'POST', url: '/api/set', headers: change }, guard).ok, true);
  for (const [name, headers] of Object.entries({
    'no origin': { ...change, origin: undefined },
    'no csrf': { ...change, 'x-logdial-csrf': undefined },
    'wrong csrf': { ...change, 'x-logdial-csrf': 'x'.repeat(48) },
    'form body': { ...change, 'content-type': 'application/x-www-form-urlencoded' },
  })) {
    const decision = checkRequest({ method: 'POST', url: '/api/set', headers }, guard);
    assert.equal(decision.ok, false, name);
  }
  assert.equal(checkRequest({ method: 'PUT', url: '/api/set', headers: change }, guard).ok, false);
});

test('secrets compare equal only when equal, whatever their lengths', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abcd', 'abc'), false);
  assert.equal(sameSecret(undefined, 'abc'), false);
  assert.equal(cookieValue('x=1; logdial_ui=t', 'logdial_ui'), 't');
  assert.equal(cookieValue('logdial_uix=t', 'logdial_ui'), undefined);
});

test('a JSON or YAML error path is found at its line in the text', () => {
  const json = '{\n  "version": 1,\n  "handlers": {\n    "console": {\n      "class": "Nope"\n    }\n  }\n}\n';
  assert.equal(lineOfPath(json, 'handlers.console.class'), 5);
  const yaml = 'version: 1\nhandlers:\n  console:\n    class: Nope\n';
  assert.equal(lineOfPath(yaml, 'handlers.console.class'), 4);
  assert.equal(lineOfPath(yaml, 'handlers.missing'), null);
});

test('a process id names a local pid, or a bus host and pid; anything else is refused', () => {
  assert.deepEqual(parseId('local:42'), { pid: 42 });
  assert.deepEqual(parseId('bus:web-1:42'), { pid: 42, host: 'web-1' });
  assert.deepEqual(parseId('bus:fe80::1:42'), { pid: 42, host: 'fe80::1' });
  assert.equal(parseId(undefined), undefined);
  assert.throws(() => parseId('local:abc'), /not a process id/);
  assert.throws(() => parseId('tcp:1'), /not a process id/);
});

test('bound beyond loopback, any Host is served but the Origin must name it', () => {
  const open: Guard = { ...guard, hosts: null };
  const headers = { ...change, host: 'ops.example:8000', origin: 'http://ops.example:8000' };
  assert.equal(checkRequest({ method: 'POST', url: '/api/set', headers }, open).ok, true);
  const other = { ...headers, origin: 'http://evil.example' };
  assert.equal(checkRequest({ method: 'POST', url: '/api/set', headers: other }, open).ok, false);
});
