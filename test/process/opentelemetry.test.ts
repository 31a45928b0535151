/**
 * OpenTelemetry with the real SDK: records logged inside an active span carry its trace_id,
 * span_id and trace_flags (JSON presets and text attributes), across awaits; outside a span they
 * carry none. Without @opentelemetry/api installed, logging works and nothing is looked up; with
 * it installed, it is loaded only once a formatter asks for span ids.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Formatter, Handler, INFO, JsonFormatter, type LogRecord, MemoryHandler, getLogger } from '../../src/index.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

class Collect extends Handler {
  readonly lines: string[] = [];
  emit(record: LogRecord): void {
    this.lines.push(this.format(record));
  }
}

describe('with the OpenTelemetry SDK', () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  trace.setGlobalTracerProvider(new BasicTracerProvider());
  const tracer = trace.getTracer('logdial-test');

  function logger() {
    const log = getLogger('otel.test');
    log.propagate = false;
    log.setLevel(INFO);
    const handlers = { pino: new Collect(), ecs: new Collect(), otel: new Collect(), text: new Collect() };
    handlers.pino.setFormatter(new JsonFormatter({ preset: 'pino' }));
    handlers.ecs.setFormatter(new JsonFormatter({ preset: 'ecs' }));
    handlers.otel.setFormatter(new JsonFormatter({ preset: 'otel' }));
    handlers.text.setFormatter(new Formatter('%(message)s trace=%(trace_id)s span=%(span_id)s flags=%(trace_flags)s'));
    for (const h of Object.values(handlers)) log.addHandler(h);
    return { log, handlers };
  }

  test('records inside an active span carry its ids, across awaits; outside, none', async () => {
    const { log, handlers } = logger();
    log.info('before');
    const ids = await tracer.startActiveSpan('work', async (span) => {
      log.info('inside');
      await delay(5);
      log.info('after await');
      span.end();
      return span.spanContext();
    });
    log.info('after');
    assert.match(ids.traceId, /^[0-9a-f]{32}$/);
    const pino = handlers.pino.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      pino.map((l) => [l['msg'], l['trace_id'], l['span_id'], l['trace_flags']]),
      [
        ['before', undefined, undefined, undefined],
        ['inside', ids.traceId, ids.spanId, '01'],
        ['after await', ids.traceId, ids.spanId, '01'],
        ['after', undefined, undefined, undefined],
      ],
    );
    const ecs = JSON.parse(handlers.ecs.lines[1]!) as Record<string, unknown>;
    assert.equal(ecs['trace.id'], ids.traceId);
    assert.equal(ecs['span.id'], ids.spanId);
    const otel = JSON.parse(handlers.otel.lines[2]!) as Record<string, unknown>;
    assert.deepEqual([otel['trace_id'], otel['span_id'], otel['trace_flags']], [ids.traceId, ids.spanId, '01']);
    assert.deepEqual(handlers.text.lines, [
      'before trace= span= flags=',
      `inside trace=${ids.traceId} span=${ids.spanId} flags=01`,
      `after await trace=${ids.traceId} span=${ids.spanId} flags=01`,
      'after trace= span= flags=',
    ]);
  });

  test('a record buffered by a MemoryHandler carries the span of its log call, not of the flush', () => {
    const log = getLogger('otel.buffered');
    log.propagate = false;
    log.setLevel(INFO);
    const out = new Collect();
    out.setFormatter(new JsonFormatter({ preset: 'otel' }));
    const memory = new MemoryHandler(100, { target: out });
    log.addHandler(memory);
    log.info('outside');
    const first = tracer.startActiveSpan('request', (span) => {
      log.info('inside');
      span.end();
      return span.spanContext();
    });
    const flushed = tracer.startActiveSpan('flusher', (span) => {
      memory.flush();
      span.end();
      return span.spanContext();
    });
    const lines = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l['body'], l['span_id']]),
      [
        ['outside', undefined],
        ['inside', first.spanId],
      ],
    );
    assert.notEqual(flushed.spanId, first.spanId);
  });

  test('trace: false leaves the ids out', () => {
    const { log, handlers } = logger();
    handlers.pino.setFormatter(new JsonFormatter({ preset: 'pino', trace: false }));
    tracer.startActiveSpan('quiet', (span) => {
      log.info('x');
      span.end();
    });
    assert.ok(!handlers.pino.lines[0]!.includes('trace_id'));
    assert.ok(handlers.ecs.lines[0]!.includes('trace.id'));
  });
});

/** The build this test runs from (dist/ or another outDir), holding src/ and test/. */
const buildRoot = fileURLToPath(new URL('../..', import.meta.url));

/** An app that logs through a text format, then the pino preset, then `%(trace_id)s`, saying each time whether the API was loaded before the call. */
function appScript(logdial: string): string {
  return `import { getLogger, StreamHandler, Formatter, JsonFormatter } from '${logdial}';
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const otelLoaded = () => Object.keys(cache).some((p) => p.includes('@opentelemetry'));
const log = getLogger('app'); log.setLevel('INFO');
const h = new StreamHandler('stdout'); h.setFormatter(new Formatter('%(message)s')); log.addHandler(h);
log.info('text %s', otelLoaded());
h.setFormatter(new JsonFormatter({ preset: 'pino' }));
log.info('json %s', otelLoaded());
h.setFormatter(new Formatter('%(message)s [%(trace_id)s]'));
log.info('attribute %s', otelLoaded());
`;
}

async function runApp(dir: string, script: string, args: string[] = []): Promise<string[]> {
  const file = join(dir, 'app.mjs');
  writeFileSync(file, script);
  const out = await run(process.execPath, [...args, file], { cwd: dir, timeoutMs: 30_000 });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout.trim().split('\n');
}

describe('loading @opentelemetry/api', () => {
  test('installed: loaded only once a formatter asks for span ids', async (t) => {
    const lines = await runApp(tempDir(t), appScript(pathToFileURL(join(buildRoot, 'src/index.js')).href));
    assert.equal(lines[0], 'text false', 'a text format without span ids does not load it');
    assert.equal((JSON.parse(lines[1]!) as { msg: string }).msg, 'json false');
    assert.equal(lines[2], 'attribute true []', 'the JSON line loaded it; no active span: empty');
  });

  test('absent: logging works and nothing fails', async (t) => {
    const dir = tempDir(t);
    // A project with every package of ours but @opentelemetry; --preserve-symlinks makes
    // logdial's own lookups start from this project's node_modules.
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    const ours = resolve(buildRoot, '..', 'node_modules');
    for (const name of readdirSync(ours))
      if (name !== '@opentelemetry' && !name.startsWith('.')) symlinkSync(join(ours, name), join(modules, name));
    symlinkSync(buildRoot, join(modules, 'logdial-build'));
    const lines = await runApp(dir, appScript('logdial-build/src/index.js'), [
      '--preserve-symlinks',
      '--preserve-symlinks-main',
    ]);
    assert.equal(lines[0], 'text false');
    const json = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.equal(json['msg'], 'json false');
    assert.ok(!('trace_id' in json));
    assert.equal(lines[2], 'attribute false []');
  });
});
