/**
 * Node's module-customisation hooks for ES modules (registered by `logdial/callsites`): marks the
 * logging calls of every ES module loaded from a file. `load` runs in the loader-hooks thread
 * (`module.register`); `loadSync` in the main thread where Node has `module.registerHooks`, which
 * `require()` of an ES module also goes through (the loader thread cannot serve it).
 * CommonJS files are marked in the main thread instead (register.ts).
 */
import { CJS_FIRST_SITE, ESM_FIRST_SITE, markOnDemand, shouldMark } from './scope.js';

interface LoadContext {
  format?: string | null;
  [key: string]: unknown;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}

type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>;
type NextLoadSync = (url: string, context: LoadContext) => LoadResult;

let nextSite = ESM_FIRST_SITE;
const decoder = new TextDecoder();

function sourceText(source: string | ArrayBuffer | ArrayBufferView): string {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return decoder.decode(source);
  return decoder.decode(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  return marked(url, await nextLoad(url, context));
}

export function loadSync(url: string, context: LoadContext, nextLoad: NextLoadSync): LoadResult {
  return marked(url, nextLoad(url, context));
}

function marked(url: string, result: LoadResult): LoadResult {
  if (result.format !== 'module' || result.source == null || !url.startsWith('file:') || !shouldMark(url))
    return result;
  const marked = markOnDemand(sourceText(result.source), {
    sourceType: 'module',
    firstSite: nextSite,
    lastSite: CJS_FIRST_SITE - 1,
  });
  if (marked === null || marked.sites === 0) return result;
  nextSite += marked.sites;
  return { ...result, source: marked.code };
}
