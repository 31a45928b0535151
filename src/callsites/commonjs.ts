/**
 * The `require` hook of `logdial/callsites`: marks the logging calls of CommonJS files (`.js`,
 * `.cjs`) as they compile, in the main thread, by wrapping Node's extension loaders — what the
 * `pirates` package does, without loading a package at start-up.
 *
 * Every CommonJS file passes through here, those in `node_modules` too (unmarked unless
 * `LOGDIAL_CALLSITES_NODE_MODULES=1`), so that the first one holding an `import(` can start the ES
 * module hooks before it runs (module-hooks-need.ts).
 */
import { CJS_FIRST_SITE, markOnDemand, shouldMark } from './scope.js';

interface CompilingModule {
  _compile: (this: CompilingModule, code: string, filename: string) => unknown;
}
type ExtensionLoader = (module: CompilingModule, filename: string) => unknown;

const DYNAMIC_IMPORT = /\bimport\s*\(/;

export class CommonJsMarker {
  private nextSite = CJS_FIRST_SITE;
  private dynamicImportSeen = false;

  /** `onDynamicImport` runs (once) before the first file holding an `import(` runs. */
  constructor(private readonly onDynamicImport: () => void) {}

  install(): void {
    const loaders = (
      process.getBuiltinModule('node:module') as unknown as { _extensions: Record<string, ExtensionLoader | undefined> }
    )._extensions;
    // Node 20 has no `.cjs` loader of its own: it uses `.js`'s, taken before it is wrapped.
    const jsLoader = loaders['.js'];
    for (const ext of ['.js', '.cjs']) {
      const load = loaders[ext] ?? jsLoader;
      if (load === undefined) continue;
      loaders[ext] = (module, filename) => {
        const compile = module._compile;
        module._compile = (code, name) => {
          module._compile = compile;
          return compile.call(module, this.transform(code, filename), name);
        };
        return load(module, filename);
      };
    }
  }

  /** The source to compile for `filename`. */
  transform(code: string, filename: string): string {
    if (!this.dynamicImportSeen && DYNAMIC_IMPORT.test(code)) {
      this.dynamicImportSeen = true;
      this.onDynamicImport();
    }
    if (!shouldMark(filename)) return code;
    const marked = markOnDemand(code, { sourceType: 'script', firstSite: this.nextSite });
    if (marked === null) return code;
    this.nextSite += marked.sites;
    return marked.code;
  }
}
