// Logria-style parser files: regex groups or a split become fields to filter, count and aggregate;
// a bad file is an error naming the file, the key and what was expected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate } from '../../src/viewer/analytics.js';
import { CustomParser, parserPath, parserSpec } from '../../src/viewer/custom-parser.js';
import { meets, parseCondition } from '../../src/viewer/json-lines.js';

const hyphens = new CustomParser(
  parserSpec(
    {
      pattern: ' - ',
      type: 'split',
      name: 'Hyphen Separated',
      analytics: { Date: 'date', Caller: 'count', Level: 'count', Message: 'none' },
    },
    'hyphen.json',
  ),
);

const commonLog = new CustomParser(
  parserSpec(
    {
      pattern: '([^ ]*) ([^ ]*) ([^ ]*) \\[([^\\]]*)\\] "([^"]*)" ([^ ]*) ([^ ]*)',
      type: 'regex',
      name: 'Common Log Format',
      analytics: {
        'Remote Host': 'count',
        'User ID': 'none',
        Username: 'none',
        Date: 'date',
        Request: 'count',
        Status: 'count',
        Size: 'sum',
      },
    },
    'clf.json',
  ),
);

test('a split parser names the parts; its level, caller and message fill the common fields', () => {
  const fields = hyphens.parse('2005-03-19 15:10:26,773 - simple_example - CRITICAL - it broke - twice')!;
  assert.equal(fields.time, '2005-03-19 15:10:26,773');
  assert.equal(fields.level, 'CRITICAL');
  assert.equal(fields.rank, 50);
  assert.equal(fields.logger, 'simple_example');
  assert.equal(fields.message, 'it broke - twice', 'the last field takes the rest of the line');
  assert.equal(hyphens.parse('no separators here'), null);
  assert.ok(meets(fields, parseCondition('level>=error')));
  assert.ok(meets(fields, parseCondition('Caller=simple_example')));
});

test('a regex parser: groups in order are the fields, usable by conditions and aggregations', () => {
  const lines = [
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326',
    '10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] "GET /b HTTP/1.0" 404 100',
    '10.0.0.2 - - [10/Oct/2000:13:55:38 -0700] "GET /c HTTP/1.0" 200 100',
  ].map((l) => ({ level: 0, fields: commonLog.parse(l) }));
  const first = lines[0]!.fields!;
  assert.equal(first.object['Remote Host'], '127.0.0.1');
  assert.equal(first.object['Remote_Host'], '127.0.0.1', 'spaces become _ for conditions');
  assert.equal(first.time, '10/Oct/2000:13:55:36 -0700');
  assert.ok(meets(lines[1]!.fields!, parseCondition('Status>=400')));
  assert.ok(!meets(first, parseCondition('Status>=400')));
  assert.deepEqual(aggregate('Size', lines), { field: 'Size', count: 3, sum: 2526, mean: 842, mode: 100 });
});

test('a bad parser file is refused, naming the file, the key and what was expected', () => {
  assert.throws(
    () => parserSpec({ type: 'grok', pattern: 'x', fields: ['a'] }, 'p.json'),
    /p\.json at type: expected "regex" or "split"/,
  );
  assert.throws(
    () => parserSpec({ type: 'regex', pattern: '(', fields: ['a'] }, 'p.json'),
    /p\.json at pattern: expected a valid regular expression/,
  );
  assert.throws(
    () => parserSpec({ type: 'split', pattern: ' ', analytics: { a: 'median' } }, 'p.json'),
    /at analytics\.a: expected one of count, sum/,
  );
  assert.throws(
    () => parserSpec({ type: 'split', pattern: ' ' }, 'p.json'),
    /at analytics: expected the fields named in order/,
  );
  assert.throws(() => CustomParser.load('/nonexistent/p.json'), /cannot read parser \/nonexistent\/p\.json/);
  assert.equal(parserPath('web', { XDG_CONFIG_HOME: '/x' }), '/x/logdial/parsers/web.json');
  assert.equal(parserPath('./web.json', {}), './web.json');
});
