/**
 * When `logdial/callsites` starts the ES module hooks thread (module-hooks-need.ts): the decision
 * is conservative — anything it cannot see through answers "needed".
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  MAX_SCANNED_FILES,
  moduleFormat,
  moduleHooksNeededAtStart,
  scanImports,
  specifierFile,
} from '../../src/callsites/module-hooks-need.js';
import { hasCandidateCall } from '../../src/callsites/transform.js';
import { tempDir } from '../helpers/tmp.js';

test('static imports, re-exports and dynamic imports are found in a module text', () => {
  const scan = scanImports(
    `import a from './a.js';\nimport './b.mjs';\nexport { c } from "../c.js";\nimport{d}from'node:fs'`,
  );
  assert.deepEqual(scan.specifiers, ['./a.js', './b.mjs', '../c.js', 'node:fs']);
  assert.equal(scan.dynamicImport, false);
  assert.equal(scanImports('const m = await import ("./x.js")').dynamicImport, true);
});

test('a specifier names a file, a built-in (null) or a package (undefined)', () => {
  assert.equal(specifierFile('./a.js', '/app/src/main.mjs'), '/app/src/a.js');
  assert.equal(specifierFile('file:///app/b.mjs', '/app/main.mjs'), '/app/b.mjs');
  assert.equal(specifierFile('node:fs', '/app/main.mjs'), null);
  assert.equal(specifierFile('fs', '/app/main.mjs'), null);
  assert.equal(specifierFile('logdial', '/app/main.mjs'), undefined);
});

test('the module format follows the extension and the nearest package.json type', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'esm', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'esm', 'package.json'), '{"type":"module"}');
  assert.equal(moduleFormat(join(dir, 'a.js')), 'commonjs');
  assert.equal(moduleFormat(join(dir, 'esm', 'deep', 'a.js')), 'module');
  assert.equal(moduleFormat(join(dir, 'a.mjs')), 'module');
  assert.equal(moduleFormat(join(dir, 'esm', 'a.cjs')), 'commonjs');
  assert.equal(moduleFormat(join(dir, 'a.ts')), 'other');
});

test('the hooks are needed unless the ES module graph provably holds no logging call', (t) => {
  const dir = tempDir(t);
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const flags = ['--import', 'logdial/callsites'];
  file('quiet.mjs', 'export const x = 1;\n');
  assert.equal(moduleHooksNeededAtStart(file('a.mjs', "import { x } from './quiet.mjs';\n"), flags), false);
  file('loud.mjs', "export const f = (log) => log.info('x');\n");
  assert.equal(moduleHooksNeededAtStart(file('b.mjs', "import { f } from './loud.mjs';\n"), flags), true);
  assert.equal(moduleHooksNeededAtStart(file('c.mjs', "import 'some-package';\n"), flags), true);
  assert.equal(moduleHooksNeededAtStart(file('d.mjs', "await import('./quiet.mjs');\n"), flags), true);
  assert.equal(moduleHooksNeededAtStart(file('e.mjs', "import './missing.mjs';\n"), flags), true);
  assert.equal(moduleHooksNeededAtStart(file('f.cjs', "require('./loud.mjs');\n"), flags), false);
  assert.equal(moduleHooksNeededAtStart(join(dir, 'a.mjs'), [...flags, '--import', 'tsx']), true);
  assert.equal(moduleHooksNeededAtStart(undefined, flags), true);
  // A graph larger than the scan's bound answers "needed".
  for (let i = 0; i <= MAX_SCANNED_FILES; i++)
    file(`n${i}.mjs`, i < MAX_SCANNED_FILES ? `import './n${i + 1}.mjs';\n` : '');
  assert.equal(moduleHooksNeededAtStart(join(dir, 'n0.mjs'), flags), true);
});

test('console.log and Math.log alone are no candidate calls; anything else named like a level is', () => {
  assert.equal(hasCandidateCall("console.log('x'); console .warn('y'); Math.log(2)"), false);
  assert.equal(hasCandidateCall("console.log('x'); log.info('y')"), true);
  assert.equal(hasCandidateCall("app.console.log('x')"), true);
  assert.equal(hasCandidateCall("myconsole.log('x')"), true);
  assert.equal(hasCandidateCall("log?.warn?.('x')"), true);
});
