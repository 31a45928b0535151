import assert from 'node:assert/strict';
import { test } from 'node:test';

test("caller fields: module is the file's name, funcName the calling function (<module> at top level)", async () => {
  const { capture } = await import('../fixtures/core-caller/main.js');
  const seen = capture.seen;
  assert.equal(seen.length, 4);
  assert.match(seen[0]!, /^main\.write_logs:\d+:main\.js$/);
  assert.match(seen[1]!, /^main\.<module>:\d+:main\.js$/);
  assert.match(seen[2]!, /^main\.run:\d+:main\.js$/);
  assert.match(seen[3]!, /^main\.<anonymous>:\d+:main\.js$/);
});
