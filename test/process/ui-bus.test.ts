// `logdial ui --bus`: processes on a real Redis bus are listed beside the local ones, a level
// set for a while on a bus app from the page is acknowledged by each and reverts by itself, and
// the live tail of a bus process shows its new lines in a real browser (Chromium).
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { launchBrowser, shotsDir, until } from '../helpers/browser.js';
import type { FleetEntry } from '../../src/ui/fleet.js';
import type { JournalEntry } from '../../src/ui/operator.js';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { startChild } from '../helpers/proc.js';
import { redisSkipReason, startRedis, waitUntil } from '../helpers/redis.js';
import { suiteCleanup } from '../helpers/suite.js';
import { tempDir } from '../helpers/tmp.js';

describe(
  'logdial ui --bus lists bus and local processes, and a level set on a bus app acknowledges and reverts by itself',
  { skip: redisSkipReason },
  () => {
    // Two processes on a real bus, one local, and `logdial ui --bus` over them: shared by the tests below.
    const hooks = suiteCleanup();
    let url = new URL('http://127.0.0.1/');
    let token = '';
    const get = async <T>(path: string): Promise<T> =>
      (await (await fetch(new URL(path, url), { headers: { 'x-logdial-token': token } })).json()) as T;
    const fleet = async () => (await get<{ entries: FleetEntry[] }>('/api/fleet')).entries;
    const busListed = () =>
      waitUntil(
        async () => (await fleet()).filter((e) => e.transport === 'bus' && e.app === 'fleetbus').length === 2,
        60_000,
        'both bus processes are listed',
      );

    before(
      async () => {
        const redis = await startRedis(hooks);
        const env = { ...process.env, LOGDIAL_RUNTIME_DIR: tempDir(hooks) };
        const bus = [1, 2].map(() =>
          startChild(hooks, process.execPath, [join(compiledFixtures, 'bus-listen-child.js')], {
            env: { ...env, BUS_URL: redis.url, BUS_APP: 'fleetbus' },
          }),
        );
        const local = startChild(hooks, process.execPath, [join(compiledFixtures, 'ui-app.js')], {
          env: { ...env, UI_APP: 'here' },
        });
        await Promise.all([...bus.map((c) => c.waitFor('STARTED', 30_000)), local.waitFor('READY', 30_000)]);
        const ui = startChild(hooks, process.execPath, [cliEntry, 'ui', '--bus', redis.url], { env });
        await ui.waitFor(/logdial ui: http:\/\/\S+/, 30_000);
        url = new URL(/logdial ui: (http:\/\/\S+)/.exec(ui.stdout())![1]!);
        token = url.searchParams.get('token')!;
      },
      { timeout: 90_000 },
    );

    test('the fleet lists both bus processes beside the local one', { timeout: 90_000 }, async () => {
      await busListed();
      const entries = await fleet();
      assert.deepEqual(
        entries.map((e) => `${e.transport} ${e.app}`),
        ['bus fleetbus', 'bus fleetbus', 'unix here'],
      );
    });

    test(
      'a level set for a while on a bus app is acknowledged by each process and reverts by itself',
      { timeout: 120_000 },
      async () => {
        await busListed();
        const page = await (await fetch(url, { headers: { 'x-logdial-token': token } })).text();
        const csrf = /name="logdial-csrf" content="([0-9a-f]+)"/.exec(page)![1]!;
        const response = await fetch(new URL('/api/set', url), {
          method: 'POST',
          headers: {
            'x-logdial-token': token,
            'x-logdial-csrf': csrf,
            origin: url.origin,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ app: 'fleetbus', levels: { root: 'DEBUG' }, for: '3s' }),
        });
        assert.equal(response.status, 200);
        const entry = (await response.json()) as JournalEntry;
        const bused = entry.answers.filter((a) => a.app === 'fleetbus');
        assert.equal(bused.length, 2, JSON.stringify(entry.answers));
        for (const answer of bused) {
          assert.equal(answer.result, 'applied for 3s');
          assert.equal(answer.levels['root'], 'DEBUG');
          assert.ok(answer.expiresAt);
        }
        await waitUntil(
          async () => (await fleet()).some((e) => e.transport === 'bus' && e.override !== null),
          30_000,
          'the override shows in the fleet',
        );
        await waitUntil(
          async () => (await fleet()).every((e) => e.override === null),
          30_000,
          'the override reverted by itself',
        );
      },
    );

    test(
      'the status of one bus process, named by host and pid, comes through the bus',
      { timeout: 90_000 },
      async () => {
        await busListed();
        const one = (await fleet()).find((e) => e.transport === 'bus')!;
        const status = await get<{
          answer: { pid: number; host: string };
          status: { loggers: Array<{ name: string }> };
        }>(`/api/status?id=${encodeURIComponent(one.id)}`);
        assert.equal(status.answer.pid, one.pid);
        assert.equal(status.answer.host, one.host);
        assert.ok(status.status.loggers.some((l) => l.name === 'root'));
      },
    );
  },
);

test(
  'the live tail of logdial ui --bus shows new DEBUG lines of a bus process in the page, its own output unchanged',
  { skip: redisSkipReason, timeout: 180_000 },
  async (t) => {
    const redis = await startRedis(t);
    const env = { ...process.env, LOGDIAL_RUNTIME_DIR: tempDir(t) };
    const child = startChild(t, process.execPath, [join(compiledFixtures, 'bus-listen-child.js')], {
      env: { ...env, BUS_URL: redis.url, BUS_APP: 'tailbus', BUS_INTERVAL: '100' },
    });
    await child.waitFor('STARTED', 30_000);
    const ui = startChild(t, process.execPath, [cliEntry, 'ui', '--bus', redis.url], { env });
    await ui.waitFor(/logdial ui: http:\/\/\S+/, 30_000);
    const url = /logdial ui: (http:\/\/\S+)/.exec(ui.stdout())![1]!;
    const who = `${hostname()}:${child.proc.pid}`;
    // Reply channels with a subscriber: the fleet's, and one per running tail.
    const redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redisClient.connect();
    t.after(() => redisClient.disconnect());
    const replyChannels = async () => (await redisClient.pubsub('CHANNELS', 'logdial:reply:*')).length;

    const browser = await launchBrowser();
    t.after(() => browser.close());
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(url);
    const row = page.locator(`#fleet-body tr.proc[data-id="bus:${who}"]`);
    await row.waitFor({ timeout: 60_000 });
    const before = await replyChannels();
    await row.click();
    await page.click('button[data-view="tail"]');
    await page.selectOption('#tail-scope', 'process');
    await page.fill('#tail-logger', 'app.work');
    await page.selectOption('#tail-level', 'DEBUG');
    await page.click('#tail-start');
    const lines = page.locator('#tail-lines div');
    await page
      .locator('#tail-lines div', { hasText: 'DEBUG app.work: debug tick' })
      .first()
      .waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#tail-info').innerText(), /tailing 1 process|received/);
    const first = await lines.first().innerText();
    assert.ok(first.startsWith(`${who} `), first);
    const count = await lines.count();
    await until('new lines arriving', async () => (await lines.count()) > count + 3, 30_000);
    assert.equal(await replyChannels(), before + 1, 'the tail has a reply channel of its own');
    await page.screenshot({ path: join(shotsDir(), 'tail-bus.png') });
    await page.click('#tail-stop');
    await until('the tail detached from the bus', async () => (await replyChannels()) === before, 30_000);
    assert.match(child.stdout(), /INFO app\.work: info tick/);
    assert.doesNotMatch(child.stdout(), /DEBUG/, 'the process wrote DEBUG lines of its own');
  },
);
