/**
 * How `logdial/pino` sees a real pino's children: through pino's own `onChild` hook, so the
 * attached instance keeps its own keys (its shape, which pino's calls are optimised for); a child
 * is named from its own bindings only, keeps a level given at creation, and follows live changes.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { attach, boundValue, type PinoLike } from '../../src/adapters/pino.js';
import { getLogger } from '../../src/core/logger.js';

const require = createRequire(import.meta.url);
const pino = require('pino') as (options: object, stream: Writable) => PinoLike & Record<string | symbol, unknown>;
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });

test('attach keeps the pino instance’s own keys: no own child property, onChild replaced in place', () => {
  const p = pino({ name: 'shape', level: 'info' }, sink());
  const keys = Reflect.ownKeys(p);
  const hook = p['onChild'];
  attach(p);
  assert.deepEqual(Reflect.ownKeys(p), keys);
  assert.ok(!Object.prototype.hasOwnProperty.call(p, 'child'));
  assert.notEqual(p['onChild'], hook);
});

test('children are named by their own naming binding, not an inherited one', () => {
  const p = attach(pino({ name: 'kids', level: 'info' }, sink()));
  const db = p.child({ module: 'db', note: 'says "module":"x"' });
  const q = db.child({ module: 'q' });
  const plain = db.child({ reqId: 7 });
  getLogger('kids.db').setLevel('DEBUG');
  assert.equal(db.level, 'debug');
  assert.equal(plain.level, 'debug', 'a child without the binding follows its parent’s name');
  assert.equal(q.level, 'debug', 'kids.db.q inherits from kids.db');
  getLogger('kids.db.q').setLevel('ERROR');
  assert.equal(q.level, 'error');
  assert.equal(db.level, 'debug');
  assert.equal(p.level, 'info');
});

test('a child created with its own level keeps it, and a user onChild still runs', () => {
  const seen: unknown[] = [];
  const p = attach(pino({ name: 'own', level: 'info', onChild: (c: unknown) => seen.push(c) }, sink()));
  const quiet = p.child({ module: 'quiet' }, { level: 'warn' });
  assert.equal(quiet.level, 'warn');
  assert.equal(getLogger('own.quiet').level, 30);
  assert.deepEqual(seen, [quiet]);
});

test('boundValue reads a binding from the tail of a child’s serialised bindings', () => {
  const parent = ',"pid":1,"hostname":"h","name":"app"';
  assert.equal(boundValue(parent, `${parent},"module":"db","x":1`, '"module":', 'module'), 'db');
  assert.equal(boundValue(parent, `${parent},"x":1`, '"module":', 'module'), undefined);
  assert.equal(boundValue(parent, ',"other":1', '"module":', 'module'), undefined);
  assert.equal(boundValue(parent, `${parent},"module":nope`, '"module":', 'module'), undefined);
});
