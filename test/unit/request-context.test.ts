import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { type DictConfig, Formatter, INFO, dictConfig, getContext, getLogger, withContext } from '../../src/index.js';
import { CollectingHandler, isolatedLogger } from '../helpers/logger.js';

function isolated() {
  const h = new CollectingHandler();
  return { logger: isolatedLogger('ctx', h, INFO), h };
}

const fieldsOf = (h: CollectingHandler) => h.records.map((r) => ({ ...r.fields }));

test('records inside withContext carry its fields across awaits, timers and EventEmitter callbacks', async () => {
  const { logger, h } = isolated();
  const emitter = new EventEmitter();
  let listening!: Promise<void>;
  await withContext({ reqId: 'a1' }, async () => {
    logger.info('sync');
    await new Promise((resolve) => setImmediate(resolve));
    logger.info('after await');
    await new Promise<void>((resolve) => setTimeout(() => (logger.info('in timer'), resolve()), 1));
    listening = new Promise<void>((resolve) => emitter.on('ev', () => (logger.info('in listener'), resolve())));
    setImmediate(() => emitter.emit('ev'));
  });
  logger.info('outside');
  await listening;
  assert.deepEqual(fieldsOf(h), [{ reqId: 'a1' }, { reqId: 'a1' }, { reqId: 'a1' }, {}, { reqId: 'a1' }]);
  assert.equal(h.records[3]!.context, undefined);
});

test('nested scopes merge (inner wins); getContext reads the merged fields; concurrent scopes stay apart', async () => {
  const { logger, h } = isolated();
  assert.equal(getContext(), undefined);
  await Promise.all(
    ['x', 'y'].map((id) =>
      withContext({ reqId: id, tenant: 't' }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return withContext({ tenant: `inner-${id}`, step: 2 }, () => {
          assert.deepEqual(getContext(), { reqId: id, tenant: `inner-${id}`, step: 2 });
          logger.info('inner');
        });
      }),
    ),
  );
  assert.deepEqual(fieldsOf(h), [
    { reqId: 'x', tenant: 'inner-x', step: 2 },
    { reqId: 'y', tenant: 'inner-y', step: 2 },
  ]);
  assert.equal(
    withContext({ a: 1 }, () => 42),
    42,
  );
});

test('context < child bindings < per-call fields', () => {
  const { logger, h } = isolated();
  withContext({ a: 'ctx', b: 'ctx', c: 'ctx' }, () =>
    logger.child({ b: 'bound', c: 'bound' }).info({ c: 'call' }, 'm'),
  );
  assert.deepEqual(fieldsOf(h), [{ a: 'ctx', b: 'bound', c: 'call' }]);
  assert.deepEqual(h.records[0]!.context, { a: 'ctx', b: 'ctx', c: 'ctx' });
});

test('the context survives a reconfiguration: it belongs to the call, not to handlers or filters', () => {
  const name = 'ctx-reconfigured';
  const h = new CollectingHandler();
  h.setFormatter(new Formatter('%(reqId)s %(message)s'));
  const config: DictConfig = {
    version: 1,
    handlers: {
      c: {
        '()': function () {
          return h;
        },
      },
    },
    loggers: { [name]: { level: 'INFO', handlers: ['c'], propagate: false } },
  };
  dictConfig(config);
  withContext({ reqId: 'r1' }, () => {
    getLogger(name).info('before');
    dictConfig(config);
    getLogger(name).info('after');
  });
  assert.deepEqual(
    h.records.map((r) => h.format(r)),
    ['r1 before', 'r1 after'],
  );
});

test('withContext rejects what is not fields and a function', () => {
  assert.throws(() => withContext(null as never, () => 1), /fields must be an object/);
  assert.throws(() => withContext({}, 1 as never), /fn must be a function/);
});
