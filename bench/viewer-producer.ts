/**
 * A producer for the key-to-screen benchmark: writes RATE log lines a second to stdout (in 5 ms
 * steps, waiting when the pipe is full, so the rate is what the reader takes up to RATE) until it
 * gets SIGTERM or SIGHUP, then writes `{"lines":…,"ms":…}` to the file given as its second argument.
 *   viewer-producer.js RATE REPORT_FILE
 */
import { writeFileSync } from 'node:fs';

const [rate = 500_000, report = '/dev/null'] = process.argv.slice(2).map((a, i) => (i === 0 ? Number(a) : a)) as [
  number,
  string,
];
const start = performance.now();
let lines = 0;
let waiting = false;

function finish(): void {
  writeFileSync(report, JSON.stringify({ lines, ms: performance.now() - start }));
  process.exit(0);
}
process.on('SIGTERM', finish);
process.on('SIGHUP', finish);
process.stdout.on('error', finish);

function step(): void {
  if (waiting) return;
  const due = Math.floor((rate * (performance.now() - start)) / 1000);
  let block = '';
  for (; lines < due; lines++) {
    block += `2026-12-01 12:00:00,000 - main.write_logs - Logging Process #${lines & 3} - ${lines % 100 === 0 ? 'ERROR - Oops' : 'INFO - Hey, something happened'} ${lines}\n`;
    if (block.length > 1 << 16) {
      if (!process.stdout.write(block)) {
        waiting = true;
        process.stdout.once('drain', () => ((waiting = false), step()));
        lines++;
        return;
      }
      block = '';
    }
  }
  if (block) process.stdout.write(block);
}
setInterval(step, 5);
