/**
 * `%(fields)s` in text formats: a record's context, child bindings and call fields as key=value
 * pairs, empty when there are none, escaped so nothing logged can pose as another pair or reach
 * a terminal as a control sequence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Formatter, Handler, INFO, type LogRecord, getLogger, keyValuePairs, withContext } from '../../src/index.js';

class Collect extends Handler {
  readonly lines: string[] = [];
  emit(record: LogRecord): void {
    this.lines.push(this.format(record));
  }
}

test('context < bindings < call fields, in every style; empty when there are none', () => {
  const log = getLogger('textfields');
  log.propagate = false;
  log.setLevel(INFO);
  const h = new Collect();
  h.setFormatter(new Formatter('%(levelname)s %(message)s | %(fields)s'));
  log.addHandler(h);
  log.info('plain');
  withContext({ reqId: 'r-1', user: 'ctx' }, () =>
    log.child({ user: 'ada', shard: 3 }).info({ ms: 12.5, ok: true }, 'done'),
  );
  h.setFormatter(new Formatter('{message} [{fields}]', undefined, '{'));
  log.info({ a: 1 }, 'brace');
  h.setFormatter(new Formatter('$message [$fields]', undefined, '$'));
  log.info({ a: 2 }, 'dollar');
  assert.deepEqual(h.lines, [
    'INFO plain | ',
    'INFO done | reqId=r-1 user=ada shard=3 ms=12.5 ok=true',
    'brace [a=1]',
    'dollar [a=2]',
  ]);
});

test('values: strings bare when plain, quoted and escaped otherwise; objects as JSON; errors as their message', () => {
  assert.equal(keyValuePairs(undefined), '');
  assert.equal(keyValuePairs({}), '');
  assert.equal(
    keyValuePairs({
      s: 'plain-text',
      sp: 'two words',
      q: 'say "hi"',
      eq: 'a=b',
      ctl: '\u001b[31mred\u0007',
      c1: 'x\u009by',
      nul: null,
      obj: { n: 1, big: 2n },
      err: new Error('boom'),
      gone: undefined,
      'odd key': 1,
    }),
    's=plain-text sp="two words" q="say \\"hi\\"" eq="a=b" ctl="\\u001b[31mred\\u0007" c1="x\\u009by" nul=null obj={"n":1,"big":2} err=boom "odd key"=1',
  );
});
