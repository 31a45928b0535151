/**
 * One viewer measurement in its own process, so its peak RSS is its own:
 *   viewer-target.js pipe FILTER [cs] — pipe mode on standard input (output to /dev/null); cs: case-sensitive
 *   viewer-target.js store MAXBYTES   — the interactive history: standard input into the line store
 * Prints `{"ms":…,"cpuMs":…,"lines":…,"maxRssKb":…}` on fd 3 when the input has ended.
 */
import { openSync, writeSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { FilterSet } from '../src/viewer/filters.js';
import { historyBudget, LineStore } from '../src/viewer/line-store.js';
import { DEFAULT_MAX_LINE, runViewer } from '../src/viewer/viewer.js';
import { FdSource } from '../src/viewer/sources.js';

const [mode, arg, flag] = process.argv.slice(2);
const started = process.hrtime.bigint();
let lines = 0;
if (mode === 'pipe') {
  const output = createWriteStream('', { fd: openSync('/dev/null', 'w') }) as unknown as NodeJS.WriteStream;
  await runViewer({ include: arg ? [arg] : [], output, interactive: false, caseSensitive: flag === 'cs' });
} else {
  const store = new LineStore(historyBudget(Number(arg)), new FilterSet());
  await new FdSource('stdin', 0, { maxLine: DEFAULT_MAX_LINE }, (text, cut, stream) => store.push(text, cut, stream, 0))
    .done;
  lines = store.received;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const usage = process.resourceUsage();
// CPU time beside wall time: on a shared machine the wall clock measures the neighbours too.
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
writeSync(3, JSON.stringify({ ms, cpuMs, lines, maxRssKb: usage.maxRSS }) + '\n');
