/**
 * A real browser for web-page tests: Debian's Chromium (`/usr/bin/chromium`, installed by .ci/run)
 * driven by playwright-core, which downloads nothing. Closed when the suite ends.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Chromium is expected. */
export const CHROMIUM = process.env['LOGDIAL_CHROMIUM'] ?? '/usr/bin/chromium';

/** Launches a headless Chromium; the caller closes it (`after(() => browser.close())`). */
export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
}

/** Folder for screenshots: LOGDIAL_UI_SHOTS when set (kept), else a fresh temp folder. */
export function shotsDir(): string {
  const dir = process.env['LOGDIAL_UI_SHOTS'] ?? mkdtempSync(join(tmpdir(), 'logdial-ui-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Polls `check` until true (bounded). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * CPU seconds the page's main thread has used since the meter started (Chrome's `ThreadTime`
 * metric, counted from `Performance.enable` on one DevTools session): unlike wall time, it does not
 * grow while a loaded machine leaves the page waiting for a core.
 */
export async function cpuMeter(page: Page): Promise<{ read(): Promise<number>; stop(): Promise<void> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  return {
    async read() {
      const { metrics } = await session.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
    },
    stop: () => session.detach(),
  };
}
