// `require('logdial/callsites')`: the ES module itself, loaded by Node's require(esm) (why: index.cts).
import { createRequire } from 'node:module';
export = createRequire(__filename)('../callsites/register.js') as typeof import('../callsites/register.js');
