/**
 * `logdial view` speed: pipe mode with a 1% filter over 1M and 5M lines beside `grep -c` (and
 * lnav when installed) on the same file; the interactive history loading 1M lines and 5M lines
 * (peak RSS against `--max-memory`); a 100 MB line without a newline; a tail tap on a process logging
 * 100k records/s (its throughput and CPU); key-to-screen latency in a pseudo-terminal while 500k
 * lines/s are piped in. Each measurement runs in its
 * own process (viewer-target.js), which reports its time and peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir } from './common.js';

interface Measure {
  ms: number;
  cpuMs: number;
  maxRssKb: number;
}

/** Writes `lines` log lines, 1% of them ERROR, like the seed's format. */
function makeLog(path: string, lines: number): void {
  const fd = openSync(path, 'w');
  let block = '';
  for (let i = 0; i < lines; i++) {
    const level = i % 100 === 0 ? 'ERROR - Oops, something weird happened' : 'INFO - Hey, something happened';
    block += `2026-12-01 12:00:00,${String(i % 1000).padStart(3, '0')} - main.write_logs - Logging Process #${i % 4} - ${level} ${i}\n`;
    if (block.length > 1 << 20) {
      writeSync(fd, block);
      block = '';
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

/** Runs viewer-target.js with the file as standard input. */
function target(args: string[], input: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const fd = openSync(input, 'r');
    const child = spawn(process.execPath, [join(benchDir(), 'viewer-target.js'), ...args], {
      stdio: [fd, 'ignore', 'pipe', 'pipe'],
    });
    closeSync(fd);
    let report = '';
    let stderr = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (report += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code !== 0 || !report)
        return reject(new Error(`viewer-target ${args.join(' ')} failed (${code}): ${stderr.slice(-500)}`));
      resolve(JSON.parse(report) as Measure);
    });
  });
}

function timed(command: string, args: string[]): number | null {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error) return null;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Paced {
  ms: number;
  records: number;
  cpuMs: number;
}

interface TailCost {
  without: number;
  with: number;
  records: number;
  dropped: number;
  /** A process logging {@link PACED_RATE} records/s for {@link PACED_MS}, without and with a tap. */
  paced: { without: Paced; with: Paced; read: number };
}

const PACED_RATE = 100_000;
const PACED_MS = 3000;

/**
 * The logging loop's time with and without a DEBUG tap streaming to this process (median of
 * rounds); then a process logging 100k records/s, with and without a tap: its throughput and CPU.
 */
async function tailCost(rounds: number, perRound: number): Promise<TailCost> {
  const runtime = mkdtempSync(join(tmpdir(), 'logdial-bench-tail-'));
  const env = { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, BENCH_APP: 'bench-tail', NO_COLOR: '1' };
  const child = spawn(process.execPath, [join(benchDir(), 'tail-target.js')], {
    stdio: ['pipe', 'ignore', 'inherit', 'pipe'],
    env,
  });
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  let buffer = '';
  const next = () =>
    new Promise<string>((resolve) => {
      const check = () => {
        const newline = buffer.indexOf('\n');
        if (newline < 0) return void fd3.once('data', (d: Buffer) => ((buffer += d.toString()), check()));
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        resolve(line);
      };
      check();
    });
  const time = async () => {
    child.stdin!.write(`go ${perRound}\n`);
    return (JSON.parse(await next()) as { ms: number }).ms;
  };
  try {
    await next();
    process.env['LOGDIAL_RUNTIME_DIR'] = runtime;
    const { localTargets } = await import('../src/control/client.js');
    const { startTail } = await import('../src/control/tap-client.js');
    const target = localTargets({ app: 'bench-tail' })[0]!;
    const without: number[] = [];
    const withTap: number[] = [];
    let records = 0;
    let dropped = 0;
    for (let round = 0; round < rounds; round++) {
      without.push(await time());
      const session = await startTail(target, { op: 'tail', logger: 'app.db', level: 'DEBUG', ttl: 600_000 }, (f) => {
        records++;
        dropped = f.dropped;
      });
      withTap.push(await time());
      session.close();
      const end = await session.ended;
      dropped = Math.max(dropped, end?.dropped ?? 0);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const pace = async () => {
      child.stdin!.write(`pace ${PACED_RATE} ${PACED_MS}\n`);
      return JSON.parse(await next()) as Paced;
    };
    const pacedWithout = await pace();
    let read = 0;
    const session = await startTail(
      target,
      { op: 'tail', logger: 'app.db', level: 'DEBUG', ttl: 600_000 },
      () => read++,
    );
    const pacedWith = await pace();
    session.close();
    await session.ended;
    return {
      without: median(without),
      with: median(withTap),
      records,
      dropped,
      paced: { without: pacedWithout, with: pacedWith, read },
    };
  } finally {
    child.kill();
    rmSync(runtime, { recursive: true, force: true });
  }
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const rate = (lines: number, ms: number) => `${(lines / ms / 1000).toFixed(2)}M lines/s`;

export async function run(options: { quick?: boolean; log?: (m: string) => void } = {}): Promise<unknown> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'logdial-bench-view-'));
  const rows: string[][] = [];
  const lnav = spawnSync('lnav', ['-V'], { stdio: 'ignore' }).error ? null : 'lnav';
  try {
    for (const lines of options.quick ? [1_000_000] : [1_000_000, 5_000_000]) {
      const file = join(dir, `${lines}.log`);
      makeLog(file, lines);
      log(`    viewer: ${fmt(lines)} lines\n`);
      const pipe = await target(['pipe', 'ERROR'], file);
      rows.push([
        `pipe mode, -f ERROR (1%), ${fmt(lines)} lines`,
        fmt(pipe.ms),
        fmt(pipe.cpuMs),
        rate(lines, pipe.ms),
        fmt(pipe.maxRssKb / 1024),
      ]);
      const grep = timed('grep', ['-c', 'ERROR', file]);
      if (grep !== null) rows.push([`grep -c ERROR, ${fmt(lines)} lines`, fmt(grep), '–', rate(lines, grep), '–']);
      // Filters are case-insensitive by default; grep's default is not: both ways, side by side.
      const exact = await target(['pipe', 'ERROR', 'cs'], file);
      rows.push([
        `pipe mode, -f ERROR --case-sensitive, ${fmt(lines)} lines`,
        fmt(exact.ms),
        fmt(exact.cpuMs),
        rate(lines, exact.ms),
        fmt(exact.maxRssKb / 1024),
      ]);
      const grepI = timed('grep', ['-ci', 'ERROR', file]);
      if (grepI !== null) rows.push([`grep -ci ERROR, ${fmt(lines)} lines`, fmt(grepI), '–', rate(lines, grepI), '–']);
      if (lnav) {
        const ms = timed('lnav', ['-n', '-c', ':filter-in ERROR', file]);
        if (ms !== null)
          rows.push([`lnav -n -c ':filter-in ERROR', ${fmt(lines)} lines`, fmt(ms), '–', rate(lines, ms), '–']);
      }
      const store = await target(['store', String(256 * 1024 * 1024)], file);
      rows.push([
        `interactive history (--max-memory 256M), ${fmt(lines)} lines`,
        fmt(store.ms),
        fmt(store.cpuMs),
        rate(lines, store.ms),
        fmt(store.maxRssKb / 1024),
      ]);
      rmSync(file);
    }
    log('    viewer: tail of a process logging as fast as it can\n');
    const perRound = options.quick ? 50_000 : 200_000;
    const tail = await tailCost(options.quick ? 2 : 5, perRound);
    const lps = (ms: number) => `${((2 * perRound) / ms / 1000).toFixed(2)}M records/s`;
    rows.push([
      `a process logging ${fmt(2 * perRound)} records (half DEBUG, root INFO), no tap`,
      fmt(tail.without),
      '–',
      lps(tail.without),
      '–',
    ]);
    const sent = (options.quick ? 2 : 5) * 2 * perRound;
    rows.push([
      `the same with a DEBUG tail tap (${fmt(tail.records)} of ${fmt(sent)} records read; the rest dropped by the 1 MiB bound or in flight at detach)`,
      fmt(tail.with),
      '–',
      lps(tail.with),
      '–',
    ]);
    const paced = (label: string, p: Paced) => [
      label,
      fmt(p.ms),
      fmt(p.cpuMs),
      `${(p.records / p.ms / 1000).toFixed(3)}M records/s`,
      '–',
    ];
    rows.push(
      paced(
        `a process logging ${fmt(PACED_RATE)} records/s (half DEBUG) for ${PACED_MS / 1000} s, no tap`,
        tail.paced.without,
      ),
    );
    rows.push(
      paced(
        `the same with a DEBUG tail tap (${fmt(tail.paced.read)} of ${fmt(tail.paced.with.records)} records read); CPU ms is the process's own`,
        tail.paced.with,
      ),
    );
    const drop =
      1 - tail.paced.with.records / tail.paced.with.ms / (tail.paced.without.records / tail.paced.without.ms);
    const cpu = tail.paced.with.cpuMs / tail.paced.without.cpuMs - 1;
    log(`    viewer: paced tail: throughput drop ${(drop * 100).toFixed(1)}%, CPU +${(cpu * 100).toFixed(0)}%\n`);
    log('    viewer: key to screen under a 500k lines/s producer\n');
    const latency = await keyLatency(dir, options.quick ? 5 : 15);
    rows.push([
      `key to screen in a pseudo-terminal, ${fmt(latency.rate)} lines/s arriving (offered 500,000): median / worst of ${latency.samples.length}`,
      `${fmt(latency.median)} / ${fmt(latency.worst)}`,
      '–',
      '–',
      '–',
    ]);
    const long = join(dir, 'long.log');
    const fd = openSync(long, 'w');
    const block = 'x'.repeat(1 << 20);
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    closeSync(fd);
    log('    viewer: a 100 MB line\n');
    const longLine = await target(['pipe', ''], long);
    rows.push([
      'pipe mode, one 100 MB line without a newline',
      fmt(longLine.ms),
      fmt(longLine.cpuMs),
      `${(100 / (longLine.ms / 1000)).toFixed(0)} MB/s`,
      fmt(longLine.maxRssKb / 1024),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    table: { header: ['measurement', 'wall ms', 'CPU ms', 'rate (wall)', 'peak RSS (MB)'], rows },
    note: `Goals: pipe mode at least 4M lines/s (within 4× of grep); a tail tap costs the tapped process less than 10% of its throughput (its CPU grows more: it also makes, formats and sends every DEBUG record, which it otherwise skips). lnav: ${lnav ? 'measured' : 'not installed, skipped'}.`,
  };
}

/**
 * Key-to-screen latency of the real `logdial view` in a pseudo-terminal (util-linux `script`) while
 * a producer pipes up to 500k lines/s into it: each round types `/` and a unique word and times
 * until the word is on the screen, then cancels the prompt with Esc.
 */
async function keyLatency(
  dir: string,
  rounds: number,
): Promise<{ median: number; worst: number; samples: number[]; rate: number }> {
  const cliEntry = join(benchDir(), '..', 'src', 'cli', 'run.js');
  const report = join(dir, 'producer.json');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const pipeline = `${q(process.execPath)} ${q(join(benchDir(), 'viewer-producer.js'))} 500000 ${q(report)} | ${q(process.execPath)} ${q(cliEntry)} view`;
  const child = spawn('script', ['-qfec', pipeline, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir, COLUMNS: '120', LINES: '30' },
  });
  let screen = '';
  child.stdout.on(
    'data',
    (d: Buffer) => (screen += d.toString('latin1')).length > 1 << 20 && (screen = screen.slice(-(1 << 16))),
  );
  const waitFor = (text: string, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const end = Date.now() + timeoutMs;
      const poll = () => {
        if (screen.includes(text)) return resolve();
        if (Date.now() > end) return reject(new Error(`viewer latency: '${text}' never shown`));
        setImmediate(poll);
      };
      poll();
    });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const samples: number[] = [];
  try {
    await waitFor(' lines');
    await pause(1000);
    for (let i = 0; i < rounds; i++) {
      const word = `zq${i}k${process.pid}`;
      screen = '';
      const start = performance.now();
      child.stdin.write(`/${word}`);
      await waitFor(word);
      samples.push(performance.now() - start);
      child.stdin.write('\x1b');
      await pause(300);
    }
    child.stdin.write('q');
    await new Promise((resolve) => {
      child.once('close', resolve);
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  let rate = 0;
  try {
    const { lines, ms } = JSON.parse(readFileSync(report, 'utf8')) as { lines: number; ms: number };
    rate = (lines * 1000) / ms;
  } catch {
    // The producer did not report (killed hard): the rate stays unknown (0).
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, worst: sorted[sorted.length - 1] ?? 0, samples, rate };
}
