/**
 * `attach` takes pino's and winston's own TypeScript types without a cast (this file is
 * type-checked against them) and returns what it was given.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import winston from 'winston';
import { attach as attachPino } from '../../src/adapters/pino.js';
import { attach as attachWinston } from '../../src/adapters/winston.js';

test('attach accepts a pino Logger, a winston Logger and winston.loggers as typed by their packages', () => {
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const p = pino({ name: 'typed-pino' }, sink);
  assert.equal(attachPino(p), p);
  const w = winston.createLogger({ transports: [new winston.transports.Stream({ stream: sink })] });
  assert.equal(attachWinston(w, { name: 'typed-winston' }), w);
  assert.equal(attachWinston(winston.loggers), winston.loggers);
});
