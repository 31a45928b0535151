/**
 * The target of `bench/push-stall.ts`: a process configured from a file, with a control endpoint
 * (unix socket and a legacy TCP port from argv[2]), that watches its own event loop with a 1 ms
 * timer. A line `report` on stdin prints `STALL <ms>`, the longest gap between two ticks since the
 * last report (minus the 1 ms period), and resets it.
 */
import { createInterface } from 'node:readline';
import { fileConfig, listen } from '../src/index.js';

const [port, log] = process.argv.slice(2);
fileConfig(
  `[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[formatter_f]\nformat=%(message)s\n[handler_h]\nclass=FileHandler\nformatter=f\nargs=(${JSON.stringify(log)},)\n[logger_root]\nlevel=INFO\nhandlers=h\n`,
);
const handle = listen({ port: Number(port), legacy: true, app: 'stall' });
let last = performance.now();
let longest = 0;
setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last - 1);
  last = now;
}, 1);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'report') return;
  process.stdout.write(`STALL ${longest.toFixed(1)}\n`);
  longest = 0;
});
void handle.ready.then(() => process.stdout.write(`READY ${handle.socketPath}\n`));
