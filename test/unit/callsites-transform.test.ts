import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markCallSites } from '../../src/callsites/transform.js';
import { type MarkedMethod, MethodFamily, siteCode } from '../../src/core/call-site-marks.js';

const mark = (source: string, sourceType: 'module' | 'script' = 'module', firstSite = 1) =>
  markCallSites(source, { sourceType, firstSite });

/** Runs transformed source as a function body with recording `__logdialSite` / `__logdialArm`. */
function runMarked(body: string): { result: unknown; marks: Array<[string, unknown]> } {
  const marks: Array<[string, unknown]> = [];
  const site = (code: number, receiver: unknown) => {
    marks.push([`site ${code}`, receiver]);
    return receiver;
  };
  const arm = (code: number, value: unknown) => {
    marks.push([`arm ${code}`, value]);
    return value;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the transformed source is what is tested
  const run = new Function('__logdialSite', '__logdialArm', body) as (s: typeof site, a: typeof arm) => unknown;
  const result = run(site, arm);
  return { result, marks };
}

test('a logging call notes its site code (site, method, argument count) and receiver, and arms the note after its last argument', () => {
  assert.equal(siteCode(1, 'info', 3), 1 * 128 + 2 * 16 + 3);
  const { code, sites } = mark("log.info('sent %d bytes to %s', n, host);");
  assert.equal(code, "__logdialSite(163,(log)).info('sent %d bytes to %s', n, __logdialArm(163,(host)));");
  assert.equal(sites, 1);
  assert.equal(
    mark("class A { #log; m() { this.#log.info('hello'); } }", 'module', 5).code,
    "class A { #log; m() { __logdialSite(673,(this.#log)).info(__logdialArm(673,('hello'))); } }",
  );
});

test('every logger method name is marked; sites are numbered in source order from firstSite', () => {
  const names = ['debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal', 'exception', 'log'];
  const source = names.map((name) => `a.${name}('x');`).join('\n');
  const { code, sites } = mark(source, 'module', 10);
  assert.equal(sites, names.length);
  const codes = [...code.matchAll(/__logdialSite\((\d+),/g)].map((m) => Number(m[1]));
  assert.deepEqual(
    codes,
    names.map((name, i) => siteCode(10 + i, name as MarkedMethod, 1)),
  );
  // Aliases share a family: a disabled level has one no-op for both.
  assert.equal(MethodFamily.warn, MethodFamily.warning);
  assert.equal(MethodFamily.fatal, MethodFamily.critical);
});

test('calls that cannot be paired with a mark are left alone', () => {
  const untouched = [
    "console.log('a', 1); console.error(err); Math.log(x);", // never loggers
    'log.info();', // no argument
    'log.info(...args);', // spread: the runtime argument count is unknown
    "log.info('a', ...rest, last);",
    "log['info']('computed');",
    "log.infos('other name');",
    "info('a plain function');",
    'class A extends B { m() { super.info("x"); } }',
    `log.info(${Array.from({ length: 16 }, (_, i) => i).join(', ')});`, // more than 15 arguments
    'const o = { info(x) { return x; } };', // a definition, not a call
    // Functions named when created (a computed key): one site, several %(funcName)s.
    "const make = (n) => ({ [n](x) { log.info('x %s', x); } })[n];",
    "const make = (n) => ({ [n]: () => log.info('x') })[n];",
    "class A { [key]() { log.info('x'); } static [other] = () => log.warn('y'); }",
  ];
  for (const source of untouched) assert.equal(mark(source).code, source, source);
});

test('calls in functions with a static name are marked, whatever encloses them', () => {
  for (const source of [
    "const make = (n) => ({ [n]: function named() { log.info('x'); } })[n];",
    "const o = { [k]: 1, method() { log.info('x'); } };",
    "function outer() { return { [k]() { return function inner() { log.info('x'); }; } }; }",
    "class A { [key] = 1; run() { log.info('x'); } }",
  ]) {
    assert.equal(mark(source).sites, 1, source);
  }
});

test('nested logging calls are each marked, the inner inside the outer', () => {
  const { code, sites } = mark("a.info('x %s', b.debug('y', z));");
  assert.equal(sites, 2);
  assert.equal(
    code,
    "__logdialSite(290,(a)).info('x %s', __logdialArm(290,(__logdialSite(146,(b)).debug('y', __logdialArm(146,(z))))));",
  );
  const { result, marks } = runMarked(`
    const seen = [];
    const a = { info: (...args) => { seen.push(['a', ...args]); return 'A'; } };
    const b = { debug: (...args) => { seen.push(['b', ...args]); return 'B'; } };
    const z = 'Z';
    ${code}
    return seen;`);
  assert.deepEqual(result, [
    ['b', 'y', 'Z'],
    ['a', 'x %s', 'B'],
  ]);
  // The outer site is noted first, the inner one is noted, armed and called, then the outer one is armed.
  assert.deepEqual(
    marks.map(([what]) => what),
    ['site 290', 'site 146', 'arm 146', 'arm 290'],
  );
  assert.deepEqual(marks[3], ['arm 290', 'B']);
});

test('the transformed program computes the same values, in the same order, with the same this', () => {
  const cases = [
    "let s = ''; const log = { info(...a) { s += this === log ? a.join('|') : 'wrong this'; } }; log.info('a', (s += '1', 'b'), (s += '2', 'c')); return s;",
    'let r = []; const log = { warn(a, b) { r.push(a, b); } }; log.warn((1, 2), (3, 4)); return r;',
    'const log = { error(f) { return f(2); } }; return log.error(x => x * 21);',
    "const log = { info(o) { return o.k; } }; return log.info({ k: 'obj' });",
    'const log = { info(t) { return t; } }; const v = 7; return log.info(`t${v}`);',
    "const log = null; return log?.info('x');",
    "const log = { info: undefined }; return log.info?.('x');",
    'const log = { info(a, b) { return a + b; } }; return log\n.info(1,\n 2 // trailing comment\n);',
    'const log = { info(a) { return a; } }; return log.info(/x(y)/.source, );',
    "const log = { log(a, b) { return [a, typeof b]; } }; return log.log('f', function named() { return 1; });",
    'const log = { info(...a) { return a.length; } }; function f() { return log.info(arguments[0], arguments.length); } return f(5, 6);',
    "const log = { info(a) { return a; } }; const o = { p: 1 }; return log.info('p' in o);",
    'const log = { info(a) { return a; } }; let x = 1; return log.info(x++, x);',
  ];
  for (const body of cases) {
    const { code } = mark(body, 'script');
    assert.notEqual(code, body, `not marked: ${body}`);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the untransformed source, run for comparison
    const plain = (new Function(body) as () => unknown)();
    const { result } = runMarked(code);
    assert.deepEqual(result, plain, body);
  }
});

test('yield and await as the last argument stay valid inside generators and async functions', async () => {
  const gen =
    "const log = { info(a, b) { return [a, b]; } }; function* g() { return log.info('v', yield 1); } const it = g(); it.next(); return it.next(42).value;";
  const { code } = mark(gen, 'script');
  assert.match(code, /__logdialArm\(\d+,\(yield 1\)\)/);
  assert.deepEqual(runMarked(code).result, ['v', 42]);
  const asyncBody =
    "const log = { info(a, b) { return [a, b]; } }; return (async () => log.info('v', await Promise.resolve(9)))();";
  const marked = mark(asyncBody, 'script').code;
  assert.deepEqual(await (runMarked(marked).result as Promise<unknown>), ['v', 9]);
});

test('no line break is added, so every line keeps its number', () => {
  const source =
    "#!/usr/bin/env node\n'use strict';\nlog.info('a',\n  b);\n\nfunction f() {\n  log.debug(`multi\nline`, x);\n}\n";
  const { code, sites } = mark(source, 'script');
  assert.equal(sites, 2);
  assert.equal(code.split('\n').length, source.split('\n').length);
  assert.ok(code.startsWith("#!/usr/bin/env node\n'use strict';\n"), 'the hashbang and the directive stay first');
  const lines = code.split('\n');
  assert.equal(lines[2], "__logdialSite(162,(log)).info('a',");
  assert.equal(lines[3], '  __logdialArm(162,(b)));');
});

test('CommonJS top-level return parses as a script; source that does not parse is returned unchanged', () => {
  assert.equal(mark("if (x) return;\nlog.info('a');", 'script').sites, 1);
  for (const broken of ["log.info('a'", "log.info('a');\n<div>jsx</div>", "log.info('a', );;; }"]) {
    const result = mark(broken);
    assert.equal(result.code, broken);
    assert.equal(result.sites, 0);
  }
});

test('a file nested too deeply to walk is returned unchanged, not an error', () => {
  const deep = `log.info('x', 1);\nconst s = ${Array.from({ length: 20_000 }, () => "'a'").join(' + ')};\n`;
  const result = mark(deep, 'script');
  assert.equal(result.code, deep);
  assert.equal(result.sites, 0);
});

test('the receiver of a marked call is evaluated once, before the arguments', () => {
  const body =
    "const order = []; const log = { info(a) { order.push('call ' + a); } }; const get = () => (order.push('receiver'), log); get().info((order.push('argument'), 'x')); return order;";
  const { code } = mark(body, 'script');
  assert.deepEqual(runMarked(code).result, ['receiver', 'argument', 'call x']);
  assert.match(code, /__logdialSite\(\d+,\(get\(\)\)\)\.info/);
});

test('a file that says @logdial-no-callsites is left unmarked', () => {
  const source = "// @logdial-no-callsites: sent to the browser as text\nexport const task = (log) => log.info('x');\n";
  assert.equal(mark(source).code, source);
});

test('the quick pre-check lets every spelling of a logging call through to the parser', () => {
  for (const source of [
    "log.info?.('x');",
    "log\n  .info ('x');",
    'log.exception(err);',
    "a.b.log(INFO, 'x');",
    "log.fatal\t('x');",
  ]) {
    assert.equal(mark(source).sites, 1, source);
  }
});
