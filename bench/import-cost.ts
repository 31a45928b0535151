/**
 * What loading a library costs a process: `node -e 0`, then a process that only imports logdial,
 * pino or winston, run in pairs (the order rotated every round) so that load on a shared machine
 * hits all alike. Each child reports its own CPU time at exit (`process.cpuUsage()`, cumulative
 * since the process started: Node's own start-up included) and the modules of the library it
 * loaded (logdial's files under `src/`, from a load hook); the harness times spawn → exit.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir, repoRoot } from './common.js';
import { median } from './stats.js';

export interface ImportCostRow {
  what: string;
  runs: number;
  /** Median CPU time of the whole process (user + system), ms. */
  cpuMs: number;
  /** Median wall time spawn → exit, ms. */
  wallMs: number;
  /** logdial modules loaded (logdial row only). */
  modules?: number;
  /** The logdial modules of the control plane, the CLI, the config machinery or YAML that loaded (logdial row only). */
  heavy?: string[];
}

export interface ImportCostSummary {
  rows: ImportCostRow[];
  note: string;
}

/**
 * What `import 'logdial'` should not load: the control plane, the CLI, YAML, and the config
 * machinery (parsers, spec builder, apply, watch); of config/ only the modules of the exported
 * classes (errors, INI file, Python literals), the size bound and basicConfig load at import.
 */
const HEAVY = /^(control|cli|viewer|ui)\/|yaml|^config\/(?!(errors|ini|py-literal|text-bounds|basic-config)\.js$)/;

const REPORT =
  "process.on('exit', () => { const c = process.cpuUsage(); require('node:fs').writeSync(3, JSON.stringify({ cpuMs: (c.user + c.system) / 1000, modules: globalThis.__benchModules ?? null }) + '\\n'); });";

function once(args: string[]): Promise<{ cpuMs: number; wallMs: number; modules: string[] | null }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit', 'pipe'], cwd: repoRoot() });
    let out = '';
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      const r = JSON.parse(out.trim()) as { cpuMs: number; modules: string[] | null };
      resolve({ cpuMs: r.cpuMs, wallMs, modules: r.modules });
    });
  });
}

export async function run(options: { quick?: boolean; log?: (m: string) => void } = {}): Promise<ImportCostSummary> {
  const log = options.log ?? (() => {});
  const rounds = options.quick ? 5 : 15;
  const entry = pathToFileURL(join(benchDir(), '..', 'src', 'index.js')).href;
  const srcDir = pathToFileURL(join(benchDir(), '..', 'src')).href + '/';
  // Every child reports at exit (REPORT); the logdial listing below adds a module load hook.
  const subjects: Array<[string, string[]]> = [
    ['node -e 0', ['-e', REPORT]],
    [
      'import logdial',
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${REPORT} await import(${JSON.stringify(entry)});`,
      ],
    ],
    ['import pino', ['-e', `${REPORT} require('pino');`]],
    ['import winston', ['-e', `${REPORT} require('winston');`]],
  ];
  const samples = new Map<string, Array<{ cpuMs: number; wallMs: number }>>();
  for (let r = 0; r < rounds; r++) {
    const order = subjects.map((_, i) => subjects[(i + r) % subjects.length]!);
    for (const [what, args] of order) {
      const s = await once(args);
      if (!samples.has(what)) samples.set(what, []);
      samples.get(what)!.push(s);
    }
    log(`\r  import cost round ${r + 1}/${rounds}`);
  }
  log('\n');
  // Which logdial modules an import loads: one more run with a load hook. The hook does not see
  // modules loaded later by require (the config layer's and the control plane's first use), none
  // of which load at import.
  const listing = await once([
    '--input-type=module',
    '-e',
    `import { createRequire, register } from 'node:module'; const require = createRequire(import.meta.url); ${REPORT}
     const { port1, port2 } = new MessageChannel(); globalThis.__benchModules = []; port1.on('message', (u) => globalThis.__benchModules.push(u)); port1.unref();
     register('data:text/javascript,' + encodeURIComponent('let p; export function initialize(d) { p = d.port; } export async function load(u, c, n) { p.postMessage(u); return n(u, c); }'), { data: { port: port2 }, transferList: [port2] });
     await import(${JSON.stringify(entry)}); await new Promise((r) => setTimeout(r, 50));`,
  ]);
  const mods = (listing.modules ?? []).filter((u) => u.startsWith(srcDir)).map((u) => u.slice(srcDir.length));
  const rows: ImportCostRow[] = subjects.map(([what]) => {
    const list = samples.get(what) ?? [];
    const row: ImportCostRow = {
      what,
      runs: list.length,
      cpuMs: median(list.map((x) => x.cpuMs)),
      wallMs: median(list.map((x) => x.wallMs)),
    };
    if (what === 'import logdial') {
      row.modules = mods.length;
      row.heavy = mods.filter((m) => HEAVY.test(m));
    }
    return row;
  });
  return {
    rows,
    note: `Medians of ${rounds} rounds, the four processes of a round in rotated order. CPU: the child's own process.cpuUsage() at exit, Node's start-up included.`,
  };
}
