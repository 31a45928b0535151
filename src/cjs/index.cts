/**
 * The `require` condition of each package entry: a CommonJS file that hands back the ES module
 * itself, so `import` and `require` share one instance (one registry, one configuration).
 *
 * Why not simply `require('../index.js')`: when tsx runs a `.cts` entry point on Node 20, Node's
 * ES module loader runs it with a `require()` of its own that cannot load an ES module (nor a
 * CommonJS file that requires one through that same `require()`). `createRequire` gives Node's own
 * CommonJS `require`, whose require(esm) loads it. Elsewhere it is the `require()` Node would use.
 */
import { createRequire } from 'node:module';
export = createRequire(__filename)('../index.js') as typeof import('../index.js');
