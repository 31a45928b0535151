/**
 * `npm run fuzz [-- --seed N --configs N --frames N --json]`: seeded INI/JSON/YAML inputs through
 * the parser and raw frames to a real listening process (its unix socket and a legacy TCP port).
 * Prints the inputs tried, the findings (crash, hang, unlocated error) and the slowest input;
 * exits 1 when anything was found. Defaults: seed 1, 6000 configs, 1500 frames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzConfigs, fuzzFrames, newReport, startListening } from './engine.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv.includes('--help')) {
  process.stdout.write('usage: npm run fuzz -- [--seed N] [--configs N] [--frames N] [--json]\n');
  process.exit(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const seed = option('seed', 1);
const report = newReport(seed);
const started = performance.now();
fuzzConfigs(seed, option('configs', 6000), report);
const dir = mkdtempSync(join(tmpdir(), 'logdial-fuzz-'));
const target = await startListening(
  fileURLToPath(new URL('../fixtures/control-child.js', import.meta.url)),
  join(dir, 'rt'),
  await freePort(),
  dir,
);
try {
  const frames = option('frames', 1500);
  await fuzzFrames(seed, Math.ceil(frames / 2), target.unix, target.alive, report, 'frames (unix)');
  await fuzzFrames(seed + 1, Math.floor(frames / 2), target.legacy, target.alive, report, 'frames (legacy tcp)');
} finally {
  target.stop();
  rmSync(dir, { recursive: true, force: true });
}
report.durationMs = Math.round(performance.now() - started);
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
else {
  const counts = { crash: 0, hang: 0, unlocated: 0 };
  for (const f of report.findings) counts[f.kind]++;
  process.stdout.write(
    `fuzz seed ${seed}: ${Object.entries(report.inputs)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `crashes ${counts.crash}, hangs ${counts.hang}, unlocated errors ${counts.unlocated}; slowest config ${report.slowestMs.toFixed(1)} ms; ${(report.durationMs / 1000).toFixed(1)} s in all\n`,
  );
  for (const f of report.findings)
    process.stdout.write(`  ${f.kind} ${f.input} #${f.index}: ${f.detail}\n    ${f.sample}\n`);
}
process.exit(report.findings.length > 0 ? 1 : 0);
