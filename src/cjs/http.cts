// `require('logdial/http')`: the ES module itself, loaded by Node's require(esm) (why: index.cts).
import { createRequire } from 'node:module';
export = createRequire(__filename)('../http/index.js') as typeof import('../http/index.js');
