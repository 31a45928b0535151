// `require('logdial/winston')`: the ES module itself, loaded by Node's require(esm) (why: index.cts).
import { createRequire } from 'node:module';
export = createRequire(__filename)('../adapters/winston.js') as typeof import('../adapters/winston.js');
