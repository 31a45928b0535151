/**
 * CPU profiles of one throughput scenario per library (`node --cpu-prof`), reduced to the
 * functions with the most self time — the "what holds it back" part of BENCHMARKS.md.
 *
 *   node dist/bench/profile.js [lib] [scenario] [dest] [lines]   (prints the top functions)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, type Destination, type Library, type Scenario, type WorkerJob } from './common.js';
import { runWorker } from './spawn.js';
import { fmtNumber, textTable } from './stats.js';

export interface HotFunction {
  name: string;
  /** file:line, relative to the repository when inside it. */
  where: string;
  /** Share of all samples (0..1) spent in this function itself. */
  self: number;
}

export interface ProfileSummary {
  lib: Library;
  scenario: Scenario;
  dest: Destination;
  lines: number;
  /** Share of samples outside JavaScript (GC, syscalls, idle) as V8 labels them. */
  gc: number;
  idle: number;
  top: HotFunction[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export async function profile(
  lib: Library,
  scenario: Scenario,
  dest: Destination,
  lines: number,
  topN = 12,
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'logdial-prof-'));
  try {
    const job: WorkerJob = { lib, mode: 'throughput', scenario, dest, lines };
    if (dest === 'file') job.file = join(dir, 'out.log');
    await runWorker(job, 180_000, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no profile written');
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: CpuProfileNode[] };
    const root = repoRoot();
    const bySelf = new Map<string, HotFunction & { hits: number }>();
    let total = 0;
    let gc = 0;
    let idle = 0;
    for (const n of prof.nodes) {
      const hits = n.hitCount ?? 0;
      if (!hits) continue;
      total += hits;
      const f = n.callFrame;
      if (f.functionName === '(garbage collector)') gc += hits;
      if (f.functionName === '(idle)' || f.functionName === '(program)') idle += hits;
      let url = f.url;
      if (url.startsWith('file://')) url = fileURLToPath(url);
      if (url.startsWith(root)) url = relative(root, url);
      const where = url ? `${url}:${f.lineNumber + 1}` : '';
      const name = f.functionName || '(anonymous)';
      const key = `${name}@${where}`;
      const cur = bySelf.get(key) ?? { name, where, self: 0, hits: 0 };
      cur.hits += hits;
      bySelf.set(key, cur);
    }
    const top = [...bySelf.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, topN)
      .map(({ name, where, hits }) => ({ name, where, self: hits / total }));
    return { lib, scenario, dest, lines, gc: gc / total, idle: idle / total, top };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function profileTable(p: ProfileSummary, table = textTable): string {
  return table(
    ['function', 'where', 'self %'],
    p.top.map((h) => [h.name, h.where, fmtNumber(h.self * 100, 1)]),
    2,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [lib = 'logdial-text', scenario = 'printf', dest = 'devnull', lines = '300000'] = process.argv.slice(2);
  void profile(lib as Library, scenario as Scenario, dest as Destination, Number(lines), 25).then((p) => {
    process.stdout.write(
      `${lib} ${scenario} ${dest} ${lines} lines — GC ${fmtNumber(p.gc * 100, 1)}%, program/idle ${fmtNumber(p.idle * 100, 1)}%\n${profileTable(p)}\n`,
    );
  });
}
