/**
 * `npm run parity -- [--cases N] [--seed S] [--seeds a,b,c] [--show N]`: the differential test
 * against python3 as a long run. Prints, per seed, how many cases render identically to CPython,
 * how many differ only in the documented ways, and the first mismatches; exits 1 on any mismatch.
 */
import { runParity } from './compare.js';

const HELP = `Usage: npm run parity -- [options]

Renders random Formatter cases (three styles, flags, widths, precisions, message arguments of
every kind, datefmts, time zones) with CPython's logging and with logdial, and compares them.

Options:
  --cases N      cases per seed (default 5000)
  --seed S       one seed (default 1)
  --seeds a,b    several seeds
  --show N       mismatches to print per seed (default 20)
  -h, --help     show this help`;

function parseArgs(argv: string[]): { cases: number; seeds: number[]; show: number } {
  const options = { cases: 5000, seeds: [1], show: 20 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    const number = (name: string) => {
      if (value === undefined || !/^\d+$/.test(value))
        throw new Error(`${name} needs a non-negative integer (see --help)`);
      i++;
      return Number(value);
    };
    if (arg === '-h' || arg === '--help') {
      console.log(HELP);
      process.exit(0);
    } else if (arg === '--cases') options.cases = number('--cases');
    else if (arg === '--seed') options.seeds = [number('--seed')];
    else if (arg === '--show') options.show = number('--show');
    else if (arg === '--seeds') {
      if (value === undefined || !/^\d+(,\d+)*$/.test(value))
        throw new Error('--seeds needs a comma-separated list of integers');
      options.seeds = value.split(',').map(Number);
      i++;
    } else throw new Error(`unknown option ${arg} (see --help)`);
  }
  return options;
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  let failed = false;
  for (const seed of options.seeds) {
    const report = await runParity(seed, options.cases, Math.max(120_000, options.cases * 20));
    const explained =
      Object.entries(report.explained)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ') || 'none';
    console.log(
      `seed ${seed}: ${report.total} cases, ${report.identical} identical to CPython, explained: ${explained}, mismatches: ${report.mismatches.length} (python ${report.pythonMs} ms, logdial ${report.logdialMs} ms)`,
    );
    for (const text of report.mismatches.slice(0, options.show)) console.log(text);
    if (report.mismatches.length > 0) failed = true;
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
