/**
 * Runs the differential test: generated cases go through CPython's logging.Formatter (one python3
 * process for all of them, test/fixtures/parity-peer.py) and through logdial's Formatter (in this
 * process), and the two outputs are compared case by case. A case differs only in an explained way
 * when logdial's output equals the peer's rendering under the documented value model
 * (`js-value-model`: null, undefined, booleans and objects under `%s` in a message print
 * JavaScript's way) or the documented wrong-type rendering (`wrong-type`: `%!d(str=abc)` where
 * CPython drops the record). Anything else is a mismatch.
 */
import { join } from 'node:path';
import { Formatter } from '../../../src/format/formatter.js';
import { makeRecord } from '../../fixtures/format-records.js';
import { sourceFixtures } from '../paths.js';
import { run } from '../proc.js';
import { type ParityCase, genCase } from './generate.js';
import { decode } from './values.js';

type Result = { ok: string } | { error: string };
interface PeerAnswer {
  py: Result;
  model?: Result;
  kinds?: string[];
}

export interface ParityReport {
  total: number;
  identical: number;
  /** Cases explained by the documented differences, per kind (`js-value-model`, `wrong-type`). */
  explained: Record<string, number>;
  mismatches: string[];
  pythonMs: number;
  logdialMs: number;
}

/** The cases of one seed, in time-zone order (each side switches zones only when it changes). */
export function casesFor(seed: number, count: number): ParityCase[] {
  const cases: ParityCase[] = [];
  for (let id = 0; id < count; id++) cases.push(genCase(seed, id));
  return cases.sort((a, b) => (a.tz < b.tz ? -1 : a.tz > b.tz ? 1 : a.id - b.id));
}

/** logdial's rendering of a case, or the message of what it threw. */
export function renderCase(c: ParityCase): Result {
  try {
    const formatter = new Formatter(c.fmt, c.datefmt, c.style);
    formatter.utc = c.utc;
    const extra = Object.fromEntries(Object.entries(c.extra).map(([k, v]) => [k, decode(v)]));
    const record = makeRecord({ ...c.record, msg: c.msg, args: c.args.map(decode), extra });
    return { ok: formatter.format(record) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const same = (a: Result | undefined, b: Result): boolean =>
  a !== undefined && ('ok' in a ? 'ok' in b && a.ok === b.ok : 'error' in b && a.error === b.error);

function describe(c: ParityCase, seed: number, answer: PeerAnswer, actual: Result): string {
  const show = (r: Result | undefined) => JSON.stringify(r ?? null);
  const args = JSON.stringify(c.args).slice(0, 300);
  return [
    `seed ${seed} case ${c.id}: style ${c.style} fmt ${JSON.stringify(c.fmt)} datefmt ${JSON.stringify(c.datefmt)} TZ=${c.tz}${c.utc ? ' utc' : ''}`,
    `  msg ${JSON.stringify(c.msg)} args ${args}`,
    `  python:  ${show(answer.py)}`,
    ...(answer.model ? [`  model:   ${show(answer.model)} (${answer.kinds!.join(', ')})`] : []),
    `  logdial: ${show(actual)}`,
  ].join('\n');
}

/** Generates `count` cases of `seed`, runs both sides and classifies every case. */
export async function runParity(seed: number, count: number, timeoutMs = 120_000): Promise<ParityReport> {
  const cases = casesFor(seed, count);
  let started = Date.now();
  const python = await run('python3', [join(sourceFixtures, 'parity-peer.py')], {
    input: JSON.stringify(cases),
    timeoutMs,
  });
  if (python.code !== 0) throw new Error(`parity peer failed (exit ${python.code}): ${python.stderr.slice(-2000)}`);
  const answers = JSON.parse(python.stdout) as PeerAnswer[];
  const pythonMs = Date.now() - started;
  const report: ParityReport = {
    total: cases.length,
    identical: 0,
    explained: {},
    mismatches: [],
    pythonMs,
    logdialMs: 0,
  };
  const savedTz = process.env['TZ'];
  started = Date.now();
  try {
    cases.forEach((c, i) => {
      if (process.env['TZ'] !== c.tz) process.env['TZ'] = c.tz;
      const actual = renderCase(c);
      const answer = answers[i]!;
      if (same(actual, answer.py)) report.identical++;
      else if (answer.model && same(actual, answer.model)) {
        for (const kind of answer.kinds!) report.explained[kind] = (report.explained[kind] ?? 0) + 1;
      } else report.mismatches.push(describe(c, seed, answer, actual));
    });
  } finally {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  }
  report.logdialMs = Date.now() - started;
  return report;
}
