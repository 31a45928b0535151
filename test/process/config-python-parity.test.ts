/**
 * Parity with CPython: every configuration in test/fixtures/config-parity/ (real-world fileConfig
 * and dictConfig files; each names its source) is applied by python3 and by logdial in separate
 * processes, which then log the same messages at every level on several loggers. stdout, stderr
 * and every file written must be identical. Where Python raises, logdial must raise a located
 * ConfigError naming the same Python exception type.
 *
 * Both drivers pin the record time (so %(asctime)s compares) and make the log call from a
 * function `emit_all` on line 10 of `parity_driver.*` (so caller fields compare); the only
 * normalisations are the pid and the driver's file extension.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseConfigText, formatForPath } from '../../src/config/load.js';
import { libraryEntry, sourceFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const dir = join(sourceFixtures, 'config-parity');

/** What each side's driver writes: its pid, and the error a rejected configuration raised. */
interface DriverResult {
  pid?: number;
  error?: string;
  message?: string;
  configError?: boolean;
}
const fixtures = readdirSync(dir)
  .filter((f) => !f.startsWith('parity_driver'))
  .sort();
const PRE = ['app', 'app.db', 'other.thing'];
/** CPython is the oracle; without it these tests cannot say anything. */
const noPython = spawnSync('python3', ['--version']).status === 0 ? false : 'python3 is not installed';

function directives(
  text: string,
  format: string,
): { names?: string[]; defaults?: Record<string, string>; source?: string } {
  let parity: string | undefined;
  let source: string | undefined;
  if (format === 'json') {
    const obj = JSON.parse(text) as Record<string, string>;
    parity = obj['//parity'];
    source = obj['//source'];
  } else {
    parity = /^#\s*parity:\s*(.*)$/m.exec(text)?.[1];
    source = /^#\s*source:\s*(.*)$/m.exec(text)?.[1];
  }
  const out: { names?: string[]; defaults?: Record<string, string>; source?: string } = { source };
  const names = parity && /names=([^;]*)/.exec(parity);
  if (names) out.names = names[1]!.split(',').map((s) => s.trim());
  const defaults = parity && /defaults=(\{.*\})/.exec(parity);
  if (defaults) out.defaults = JSON.parse(defaults[1]!) as Record<string, string>;
  return out;
}

function loggerNames(
  text: string,
  format: 'ini' | 'json' | 'yaml',
  defaults: Record<string, string> | undefined,
): string[] {
  const names = new Set(['', ...PRE]);
  try {
    const spec = parseConfigText(text, format, { defaults });
    for (const l of spec.loggers) {
      names.add(l.name);
      names.add(l.name === '' ? 'child' : `${l.name}.child`);
    }
  } catch {
    // an error fixture: the loggers are never used
  }
  return [...names];
}

function filesUnder(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

test('at least 25 real-world parity fixtures, each naming its source', () => {
  assert.ok(fixtures.length >= 25, `only ${fixtures.length} fixtures`);
  for (const f of fixtures) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.ok(directives(text, formatForPath(f)).source, `${f} names no source`);
  }
});

for (const fixture of fixtures) {
  test(`parity with CPython: ${fixture}`, { skip: noPython }, async (t) => {
    const path = join(dir, fixture);
    const text = readFileSync(path, 'utf8');
    const format = formatForPath(fixture);
    const d = directives(text, format);
    const names = d.names ?? loggerNames(text, format, d.defaults);
    const tmp = tempDir(t, 'logdial-parity-');
    const results: Record<string, { out: string; err: string; files: Map<string, string>; result: DriverResult }> = {};
    for (const side of ['py', 'js'] as const) {
      const cwd = join(tmp, side);
      mkdirSync(join(cwd, 'logs'), { recursive: true });
      const resultFile = join(tmp, `${side}-result.json`);
      const common = [
        path,
        format,
        JSON.stringify(names),
        JSON.stringify(PRE),
        resultFile,
        JSON.stringify(d.defaults ?? null),
      ];
      const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', NO_COLOR: '1', PYTHONDONTWRITEBYTECODE: '1' };
      delete env['FORCE_COLOR'];
      delete env['LOGDIAL_LISTEN'];
      delete env['LOGDIAL_CONFIG'];
      const r =
        side === 'py'
          ? await run('python3', [join(dir, 'parity_driver.py'), ...common], { cwd, env, timeoutMs: 60000 })
          : await run(process.execPath, [join(dir, 'parity_driver.mjs'), libraryEntry, ...common], {
              cwd,
              env,
              timeoutMs: 60000,
            });
      assert.equal(r.code, 0, `${side} driver failed:\n${r.stderr}`);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as DriverResult;
      const normalize = (s: string) => {
        let o = s.replaceAll(String(result['pid'] ?? '\u0000'), '<PID>');
        o = o
          .replaceAll(join(dir, 'parity_driver.mjs'), join(dir, 'parity_driver.py'))
          .replaceAll('parity_driver.mjs', 'parity_driver.py');
        return o;
      };
      const files = new Map([...filesUnder(cwd)].map(([k, v]) => [k, normalize(v)]));
      results[side] = { out: normalize(r.stdout), err: normalize(r.stderr), files, result };
    }
    const py = results['py']!;
    const js = results['js']!;
    if (py.result['error']) {
      assert.ok(
        js.result['error'],
        `Python raised ${String(py.result['error'])}: ${String(py.result['message'])}, logdial accepted the configuration`,
      );
      assert.equal(js.result['configError'], true, `not a ConfigError: ${String(js.result['message'])}`);
      assert.ok(
        String(js.result['message']).includes(path),
        `error does not name the file: ${String(js.result['message'])}`,
      );
      assert.equal(
        js.result['error'],
        py.result['error'],
        `Python: ${String(py.result['error'])}: ${String(py.result['message'])}\nlogdial: ${String(js.result['message'])}`,
      );
      return;
    }
    assert.ok(!js.result['error'], `logdial rejected what Python accepts: ${String(js.result['message'])}`);
    assert.ok(py.out + py.err + [...py.files.values()].join('') !== '', 'the fixture produced no output at all');
    assert.equal(js.out, py.out, 'stdout differs');
    assert.equal(js.err, py.err, 'stderr differs');
    assert.deepEqual([...js.files.keys()].sort(), [...py.files.keys()].sort(), 'different files written');
    for (const [name, content] of py.files) assert.equal(js.files.get(name), content, `${name} differs`);
  });
}
