/**
 * Records made for taps alone skip the caller capture unless a tap reads caller fields; records
 * that also go to the handlers keep their caller as before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEBUG, INFO } from '../../src/core/levels.js';
import { addRecordTap } from '../../src/core/logger.js';
import type { LogRecord } from '../../src/core/record.js';
import type { RecordTap } from '../../src/core/taps.js';
import { Formatter } from '../../src/format/formatter.js';
import { CollectingHandler, isolatedLogger } from '../helpers/logger.js';

function tapOf(logger: string, withoutCaller: boolean): RecordTap & { seen: LogRecord[] } {
  const seen: LogRecord[] = [];
  return { logger, level: DEBUG, withoutCaller, seen, deliver: (record) => void seen.push(record) };
}

test('a record made for a tap without caller fields skips the stack capture; an emitted one keeps it', () => {
  const handler = new CollectingHandler();
  handler.setFormatter(new Formatter('%(module)s %(message)s'));
  const log = isolatedLogger('tapcaller.without', handler, INFO);
  const tap = tapOf(log.name, true);
  const detach = addRecordTap(tap);
  try {
    log.debug('for the tap alone');
    log.info('for the handlers too');
  } finally {
    detach();
  }
  assert.equal(tap.seen.length, 2);
  assert.equal(tap.seen[0]!.callSite, undefined);
  assert.notEqual(tap.seen[1]!.callSite, undefined);
  assert.equal(handler.records.length, 1);
});

test('a record made for a tap that may read caller fields keeps its caller', () => {
  const handler = new CollectingHandler();
  handler.setFormatter(new Formatter('%(module)s %(message)s'));
  const log = isolatedLogger('tapcaller.with', handler, INFO);
  const quiet = tapOf(log.name, true);
  const reader = tapOf(log.name, false);
  const detachQuiet = addRecordTap(quiet);
  const detachReader = addRecordTap(reader);
  try {
    log.debug('for the taps alone');
  } finally {
    detachReader();
  }
  try {
    log.debug('for the quiet tap alone');
  } finally {
    detachQuiet();
  }
  assert.notEqual(reader.seen[0]!.callSite, undefined);
  assert.equal(quiet.seen[1]!.callSite, undefined);
});
