/**
 * The target of `bench/push-stall.ts`: a process configured from a file, with a control endpoint
 * (unix socket and a legacy TCP port from argv[2]), that watches its own event loop with a 1 ms
 * timer. A line `report` on stdin prints `STALL <ms> <cpu ms> <main ms>`, the longest gap between
 * two ticks since the last report (minus the 1 ms period), the CPU time the process used during
 * that gap, and the most CPU time the main thread used between two ticks (`thread-cpu.ts`), in
 * whichever gap: what the longest gap would be on an idle machine — on a loaded one the longest
 * wall gap is often one spent waiting for a core, and the process's figure also counts the push
 * reader's worker parsing on the other core and the GC's helper threads. Resets them. The end of stdin ends the process (so a target run
 * with `--cpu-prof` writes its profile).
 */
import { createInterface } from 'node:readline';
import { fileConfig, listen } from '../src/index.js';
import { threadCpuClock } from './thread-cpu.js';

const [port, log] = process.argv.slice(2);
fileConfig(
  `[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[formatter_f]\nformat=%(message)s\n[handler_h]\nclass=FileHandler\nformatter=f\nargs=(${JSON.stringify(log)},)\n[logger_root]\nlevel=INFO\nhandlers=h\n`,
);
const handle = listen({ port: Number(port), legacy: true, app: 'stall' });
let last = performance.now();
let lastCpu = process.cpuUsage();
const mainCpu = threadCpuClock();
let lastMain = mainCpu.now();
let longest = 0;
let longestCpu = 0;
let longestMain = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage(lastCpu);
  const main = mainCpu.now();
  if (now - last - 1 > longest) {
    longest = now - last - 1;
    longestCpu = (cpu.user + cpu.system) / 1000;
  }
  longestMain = Math.max(longestMain, main - lastMain);
  last = now;
  lastCpu = process.cpuUsage();
  lastMain = mainCpu.now();
}, 1);
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'report') return;
    process.stdout.write(`STALL ${longest.toFixed(1)} ${longestCpu.toFixed(1)} ${longestMain.toFixed(1)}\n`);
    longest = 0;
    longestCpu = 0;
    longestMain = 0;
  })
  .on('close', () => {
    clearInterval(ticker);
    void handle.close().then(() => process.exit(0));
  });
void handle.ready.then(() => process.stdout.write(`READY ${handle.socketPath} ${mainCpu.source}\n`));
