// `require('logdial/control')`: the ES module itself, loaded by Node's require(esm) (why: index.cts).
import { createRequire } from 'node:module';
export = createRequire(__filename)('../control/index.js') as typeof import('../control/index.js');
