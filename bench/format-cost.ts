/**
 * What formatting one record costs, without I/O: message arguments (`printf`) and whole records
 * through `Formatter.format` for the usual formats of the three styles. CPU time per operation
 * (process.cpuUsage, not wall time, so a busy shared machine disturbs it less), best of 7 rounds.
 *
 *   node dist/bench/format-cost.js          (prints one line per case, ns per operation)
 */
import { printf } from '../src/core/printf.js';
import { LogRecord } from '../src/core/record.js';
import { Formatter } from '../src/format/formatter.js';

const ROUNDS = 7;
const OPS = 200_000;

function cpuNsPerOp(op: (i: number) => unknown): number {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < OPS; i++) sink += (op(i) as string).length;
    const used = process.cpuUsage(start);
    best = Math.min(best, ((used.user + used.system) * 1000) / OPS);
  }
  if (sink < 0) console.log(sink); // keeps the results alive
  return best;
}

const record = (msg: string, args: unknown[]) => new LogRecord('app.db', 20, msg, args);
const percent = new Formatter('%(asctime)s %(levelname)-8s %(name)s: %(message)s');
const brace = new Formatter('{asctime} {levelname:<8} {name}: {message}', null, '{');
const dollar = new Formatter('$asctime $levelname $name: $message', null, '$');
const numeric = new Formatter('%(levelno)03d %(msecs)03d %(relativeCreated).1f %(process)x %(message).40s');

const CASES: Array<[string, (i: number) => unknown]> = [
  ["printf('hello world %d', i)", (i) => printf('hello world %d', [i]).text],
  [
    "printf('%s took %5.1f ms (%r) %x', …)",
    (i) => printf('%s took %5.1f ms (%r) %x', ['GET /orders', i / 7, 'ok', i]).text,
  ],
  ['% format, one record', (i) => percent.format(record('hello world %d', [i]))],
  ['{ format, one record', (i) => brace.format(record('hello world %d', [i]))],
  ['$ format, one record', (i) => dollar.format(record('hello world %d', [i]))],
  ['% numeric fields, one record', (i) => numeric.format(record('user %s', [`u${i}`]))],
];

for (const [name, op] of CASES) console.log(`${name.padEnd(40)} ${cpuNsPerOp(op).toFixed(0).padStart(6)} ns`);
