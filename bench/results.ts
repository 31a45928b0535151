/** The shape of `npm run bench -- --json` output (also what report.js renders). */
import type { Destination, Library, Scenario } from './common.js';
import type { ProfileSummary } from './profile.js';
import type { CallerCost } from './caller-cost.js';
import type { LoaderStartup } from './loader-startup.js';
import type { ScaleSummary } from './reconfig-scale.js';
import type { FootprintSummary } from './footprint.js';
import type { ImportCostSummary } from './import-cost.js';

export interface ThroughputSample {
  scenario: Scenario;
  dest: Destination;
  lib: Library;
  round: number;
  lines: number;
  /** In-process time: first call → final flush done. */
  ns: number;
  /** In-process time of the loop alone (before the flush). */
  loopNs: number;
  /** Whole process, spawn → exit. */
  wallNs: number;
  maxRssKb: number;
  fileLines?: number;
  fileBytes?: number;
}

export interface ThroughputSummary {
  scenario: Scenario;
  dest: Destination;
  lib: Library;
  runs: number;
  lines: number;
  /** Median lines per second over the in-process time (first call → flush done). */
  linesPerSec: number;
  /** Median lines per second over the whole process's wall time (start-up included). */
  wallLinesPerSec: number;
  /** Median wall time of the process in ms. */
  wallMs: number;
  /** Median share of the in-process time spent after the loop (the final flush), 0..1. */
  flushShare: number;
  /** Output bytes per line (file destination only). */
  bytesPerLine?: number;
  /** True when every file run had exactly `lines` lines. */
  complete?: boolean;
}

export interface RatioRow {
  scenario: Scenario;
  dest: Destination;
  ours: Library;
  theirs: Library;
  /** ours lines/s ÷ theirs lines/s (medians). > 1 means logdial is faster. */
  ratio: number;
  /** The same over whole-process wall time. */
  wallRatio: number;
  /** Median of the per-round ratios (paired by round), a noise check. */
  pairedRatio: number;
}

export interface BelowSummary {
  lib: Library;
  /** hello, printf: one logger in a tight loop; mixed: loggers and levels varying per call. */
  scenario: 'hello' | 'printf' | 'mixed';
  calls: number;
  runs: number;
  nsPerCall: number;
  minNsPerCall: number;
}

export interface MemorySummary {
  lib: Library;
  lines: number;
  /** Peak RSS after logging `lines` lines (MiB). */
  maxRssMb: number;
  /** Peak RSS of the same setup with zero lines (MiB). */
  baselineMb: number;
  runs: number;
}

export interface LatencySummary {
  label: string;
  processes: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** Acknowledged (or, for python listeners, sent) targets in the last run. */
  acked: number;
  note?: string;
}

export interface ReconfigSummary {
  pushes: number;
  /** Longest gap between two consecutive log calls of the logging loop while pushes arrive. */
  maxPauseMs: number;
  /** The same loop without pushes (the baseline pause from GC and scheduling). */
  baselineMaxPauseMs: number;
  p99GapUs: number;
  baselineP99GapUs: number;
  linesLogged: number;
  applied: number;
  note?: string;
}

export interface BenchResults {
  meta: {
    date: string;
    command: string;
    argv: string[];
    quick: boolean;
    rounds: number;
    nproc: number;
    cpu: string;
    node: string;
    python: string;
    os: string;
    loadStart: number[];
    loadEnd: number[];
    durationS: number;
  };
  throughput?: { samples: ThroughputSample[]; summary: ThroughputSummary[]; ratios: RatioRow[] };
  below?: BelowSummary[];
  memory?: MemorySummary[];
  profiles?: ProfileSummary[];
  callerCost?: CallerCost | { skipped: string };
  loaderStartup?: LoaderStartup | { skipped: string };
  services?: import('./services.js').ServicesResult | { skipped: string };
  control?: { latency: LatencySummary[]; notes: string[] } | { skipped: string };
  reconfig?: ReconfigSummary | { skipped: string };
  reconfigScale?: ScaleSummary | { skipped: string };
  footprint?: FootprintSummary | { skipped: string };
  importCost?: ImportCostSummary | { skipped: string };
  bus?: unknown;
  /** pino and winston alone against attached to logdial (bench/attach.ts). */
  attach?: unknown;
  viewer?: unknown;
  triggers?: unknown;
  errors: string[];
}
