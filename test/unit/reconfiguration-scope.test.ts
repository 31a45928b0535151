/**
 * A level or disabled change refreshes only the loggers it can affect (the changed logger and the
 * descendants that inherit its level), and creating a logger re-parents only the loggers waiting
 * below its name. These tests pin that the narrowed work gives exactly what a full recomputation
 * gives: every logger's threshold, parent and enabled levels, after any sequence of changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CRITICAL,
  DEBUG,
  ERROR,
  INFO,
  NOTSET,
  WARNING,
  disable,
  dictConfig,
  getLogger,
  getRootLogger,
  type Logger,
} from '../../src/index.js';
import { getLoggers, loggerIndex, loggersBelow } from '../../src/core/logger.js';

/** What a full recomputation gives: Python's rule, from the hierarchy alone. */
function expectedThreshold(logger: Logger, disabledUpTo: number): number {
  if (logger.disabled) return Number.MAX_SAFE_INTEGER;
  return Math.max(logger.getEffectiveLevel(), disabledUpTo + 1);
}

/** The nearest existing ancestor by name (what `parent` must be). */
function expectedParent(logger: Logger): Logger {
  const name = logger.name;
  for (let cut = name.lastIndexOf('.'); cut > 0; cut = name.lastIndexOf('.', cut - 1)) {
    const found = getLoggers().find((l) => l.name === name.slice(0, cut));
    if (found) return found;
  }
  return getRootLogger();
}

function checkAll(prefix: string, disabledUpTo = NOTSET): void {
  for (const logger of getLoggers()) {
    if (logger.name !== '' && !logger.name.startsWith(prefix)) continue;
    assert.equal(logger.threshold, expectedThreshold(logger, disabledUpTo), `threshold of ${logger.name || 'root'}`);
    for (const level of [DEBUG, INFO, WARNING, ERROR, CRITICAL])
      assert.equal(logger.isEnabledFor(level), level >= logger.threshold);
    // The level methods are no-ops exactly where the threshold disables their level.
    assert.equal(
      logger.debug === (getRootLogger().constructor as typeof Logger).prototype.debug,
      DEBUG >= logger.threshold,
      `debug method of ${logger.name}`,
    );
    if (logger.name !== '') {
      assert.equal(logger.parent, expectedParent(logger), `parent of ${logger.name}`);
      assert.ok(logger.parent.children.has(logger), `${logger.name} among its parent's children`);
    }
    assert.equal(loggerIndex.disabled.has(logger), logger.disabled);
    assert.equal(loggerIndex.enabled.has(logger), !logger.disabled);
    assert.equal(loggerIndex.withLevel.has(logger), logger.level !== NOTSET);
    assert.equal(loggerIndex.withHandlers.has(logger), logger.handlers.length > 0);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

test('after any sequence of level and disabled changes, every threshold equals a full recomputation', () => {
  const next = random(42);
  const names = ['s', 's.a', 's.a.b', 's.a.b.c', 's.a.x', 's.b', 's.b.c.d', 's.c'];
  const levels = [NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL];
  // Created in an order that makes later loggers adopt earlier, deeper ones.
  for (const name of ['s.a.b.c', 's.b.c.d', 's.a.x', 's', 's.a.b', 's.c']) getLogger(name);
  checkAll('s');
  for (let step = 0; step < 400; step++) {
    const pick = names[Math.floor(next() * names.length)]!;
    const logger = getLogger(pick);
    const what = next();
    if (what < 0.6) logger.setLevel(levels[Math.floor(next() * levels.length)]!);
    else if (what < 0.9) logger.disabled = next() < 0.5;
    else getRootLogger().setLevel(levels[1 + Math.floor(next() * (levels.length - 1))]!);
    checkAll('s');
  }
  getRootLogger().setLevel(WARNING);
});

test('disable() still reaches every logger', () => {
  getLogger('d.x.y').setLevel(DEBUG);
  disable(INFO);
  try {
    checkAll('d', INFO);
    assert.equal(getLogger('d.x.y').isEnabledFor(INFO), false);
  } finally {
    disable(NOTSET);
  }
  checkAll('d');
});

test('a logger created between existing ones is parent of the deeper ones only', () => {
  const deep = getLogger('p.q.r.s');
  const side = getLogger('p.qq');
  assert.equal(deep.parent, getRootLogger());
  const q = getLogger('p.q');
  assert.equal(deep.parent, q);
  assert.equal(side.parent, getRootLogger(), 'p.qq is not below p.q');
  const p = getLogger('p');
  assert.equal(q.parent, p);
  assert.equal(side.parent, p);
  assert.equal(deep.parent, q, 'keeps its nearer parent');
  const r = getLogger('p.q.r');
  assert.equal(deep.parent, r);
  assert.deepEqual([...loggersBelow('p')].map((l) => l.name).sort(), ['p.q', 'p.q.r', 'p.q.r.s', 'p.qq']);
  assert.deepEqual([...loggersBelow('p.q.r.s')], []);
  checkAll('p');
});

test('loggersBelow finds loggers under a name that has no logger itself', () => {
  getLogger('m.n.o');
  getLogger('m.z');
  getLogger('mm.a');
  assert.deepEqual([...loggersBelow('m')].map((l) => l.name).sort(), ['m.n.o', 'm.z']);
});

test('dictConfig disables, re-enables and resets exactly the loggers it did before', () => {
  const keep = getLogger('logdial.kept');
  const plain = getLogger('e.plain');
  const configured = getLogger('e.conf');
  const child = getLogger('e.conf.child');
  child.setLevel(DEBUG);
  child.propagate = false;
  keep.disabled = true;
  dictConfig({ version: 1, disable_existing_loggers: true, loggers: { 'e.conf': { level: 'ERROR' } } });
  assert.equal(plain.disabled, true);
  assert.equal(configured.disabled, false);
  assert.equal(configured.level, ERROR);
  assert.equal(keep.disabled, false, 'the logdial logger and its descendants stay enabled');
  assert.equal(child.disabled, false, 'a child of a configured logger is reset, not disabled');
  assert.equal(child.level, NOTSET);
  assert.equal(child.propagate, true);
  dictConfig({ version: 1, disable_existing_loggers: false, loggers: { 'e.other': { level: 'INFO' } } });
  assert.equal(plain.disabled, false, 'disable_existing_loggers: false enables the others again');
  checkAll('e');
});
