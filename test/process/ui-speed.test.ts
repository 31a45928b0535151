// `logdial ui` with 1,000 processes: the fleet page lists them and follows changes (overrides set
// and ending, processes coming and going) without freezing. A thousand real processes do not fit
// on a test machine, so the server is given a fleet of 1,000 entries that change every 500 ms; the
// page, the server, the event stream and the browser are the real ones. Timings are written to
// LOGDIAL_UI_SHOTS (or a temp dir) as fleet-figures.json; docs/ui.md reports them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sortEntries, type FleetEntry, type FleetView } from '../../src/ui/fleet.js';
import { Operator } from '../../src/ui/operator.js';
import { UiServer } from '../../src/ui/server.js';
import { launchBrowser, cpuMeter, shotsDir, until } from '../helpers/browser.js';

/** 1,000 processes of 20 apps on 50 hosts; each `step()` changes 100 of them. */
class SyntheticFleet implements FleetView {
  private entries: FleetEntry[] = [];
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private round = 0;

  constructor(count: number) {
    const started = new Date(Date.now() - 3600_000).toISOString();
    for (let i = 0; i < count; i++)
      this.entries.push({
        id: `bus:host-${i % 50}:${10000 + i}`,
        transport: 'bus',
        host: `host-${i % 50}`,
        pid: 10000 + i,
        app: `app-${String(i % 20).padStart(2, '0')}`,
        processName: `worker-${i}`,
        startedAt: started,
        override: null,
        state: 'ok',
      });
    this.sort();
  }

  private sort(): void {
    sortEntries(this.entries);
  }

  step(): void {
    this.round++;
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    this.entries = this.entries.map((entry, i) =>
      (i + this.round) % 10 === 0
        ? { ...entry, override: entry.override ? null : { description: 'set app.db=DEBUG', expiresAt } }
        : entry,
    );
    // One process goes, another comes: rows are removed and inserted, not only rewritten.
    const gone = this.entries.shift()!;
    this.entries.push({ ...gone, pid: gone.pid + 100_000, id: `${gone.id}-${this.round}` });
    this.sort();
    this.version++;
    for (const listener of this.listeners) listener();
  }

  snapshot(): { version: number; entries: FleetEntry[] } {
    return { version: this.version, entries: this.entries };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const FIGURES = `(() => {
  const s = window.logdialStats.fleetRenders;
  const pick = (list, q) => { const sorted = [...list].sort((a, b) => a - b); return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0); };
  return { renders: s.length, renderP50: pick(s, 0.5), renderP95: pick(s, 0.95), renderMax: pick(s, 1),
    rows: document.querySelectorAll('#fleet-body tr.proc').length,
    lagP50: pick(window.lags, 0.5), lagP95: pick(window.lags, 0.95), lagMax: pick(window.lags, 1) };
})()`;
const LAG_PROBE = `(() => { window.lags = []; let last = performance.now();
  setInterval(() => { const now = performance.now(); window.lags.push(now - last - 50); last = now; }, 50); })()`;

test('the fleet page lists 1,000 processes and follows 20 rounds of changes without freezing', async (t) => {
  const fleet = new SyntheticFleet(1000);
  const server = new UiServer({ fleet, operator: new Operator({ timeoutMs: 1000 }), timeoutMs: 1000 });
  const url = await server.start();
  t.after(() => server.close());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const opened = Date.now();
  await page.goto(url);
  await until('1,000 rows', async () => (await page.locator('#fleet-body tr.proc').count()) === 1000, 60_000);
  const firstListMs = Date.now() - opened;
  await page.evaluate(LAG_PROBE);
  const cpu = await cpuMeter(page);
  const cpuBefore = await cpu.read();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) {
    fleet.step();
    await new Promise((r) => setTimeout(r, 500));
  }
  const last = fleet.snapshot().entries.at(-1)!;
  await until(
    'the last change shown',
    async () => (await page.locator(`#fleet-body tr.proc[data-id="${last.id}"]`).count()) === 1,
  );
  const cpuMsPerRound = Math.round((((await cpu.read()) - cpuBefore) * 1000) / rounds);
  await cpu.stop();
  const figures = await page.evaluate<Record<string, number>>(FIGURES);
  assert.equal(figures['rows'], 1000);
  await page.screenshot({ path: join(shotsDir(), 'fleet-1000.png') });
  const record = {
    processes: 1000,
    rounds,
    firstListMs,
    cpuMsPerRound,
    ...figures,
    loadavg: loadavg().map((l) => Math.round(l)),
  };
  writeFileSync(join(shotsDir(), 'fleet-figures.json'), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`# fleet figures: ${JSON.stringify(record)}\n`);
});
