// `require('logdial/pino')`: the ES module itself, loaded by Node's require(esm) (why: index.cts).
import { createRequire } from 'node:module';
export = createRequire(__filename)('../adapters/pino.js') as typeof import('../adapters/pino.js');
