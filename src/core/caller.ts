/**
 * Caller information for records, captured only when a formatter asks for it: a stack capture
 * costs far more than the rest of a log call.
 */
import { basename, extname } from 'node:path';
const { fileURLToPath } = process.getBuiltinModule('node:url');

/** Where a log call was made, as Python's record fields name it. */
export interface CallerInfo {
  pathname: string;
  filename: string;
  module: string;
  funcName: string;
  lineno: number;
}

type CallSites = NodeJS.CallSite[];

/** A public logging method, by identity: where a captured stack trace is cut (never called). */
export type EntryPoint = (...args: never[]) => unknown;

/** V8's hook, typed as a property (it is one: set and restored around a capture). */
type StackHook = { prepareStackTrace?: (error: Error, sites: CallSites) => unknown };
const collectCallSites = (_error: Error, sites: CallSites): CallSites => sites;

/**
 * Captures the frame that called `entry` (one of the logger's public methods), skipping
 * `stacklevel - 1` more frames like Python's `stacklevel`.
 */
export function captureCallSite(entry: EntryPoint, stacklevel = 1): NodeJS.CallSite | undefined {
  const savedLimit = Error.stackTraceLimit;
  const savedPrepare = (Error as StackHook).prepareStackTrace;
  Error.stackTraceLimit = stacklevel;
  (Error as StackHook).prepareStackTrace = collectCallSites;
  const holder: { stack?: CallSites } = {};
  Error.captureStackTrace(holder, entry);
  const sites = holder.stack;
  (Error as StackHook).prepareStackTrace = savedPrepare;
  Error.stackTraceLimit = savedLimit;
  return Array.isArray(sites) ? sites[stacklevel - 1] : undefined;
}

const UNKNOWN: CallerInfo = {
  pathname: '(unknown file)',
  filename: '(unknown file)',
  module: 'Unknown module',
  funcName: '(unknown function)',
  lineno: 0,
};

/** Top-level code of a module (or script) is enclosed by the script itself, which starts at 1:1. */
function isModuleLevel(site: NodeJS.CallSite): boolean {
  const enclosing = site as NodeJS.CallSite & {
    getEnclosingLineNumber?(): number | null;
    getEnclosingColumnNumber?(): number | null;
  };
  if (typeof enclosing.getEnclosingLineNumber !== 'function') return site.isToplevel();
  return enclosing.getEnclosingLineNumber() === 1 && enclosing.getEnclosingColumnNumber?.() === 1;
}

/** The file part of {@link CallerInfo}, derived from a V8 file name (path or `file://` URL). */
interface FileInfo {
  pathname: string;
  filename: string;
  module: string;
}

/**
 * Perf (bench/, profiled): the same few file names come back on every call, and
 * `fileURLToPath` + `basename` + `extname` cost about a fifth of a text log line; they are
 * computed once per distinct file name. Bounded, so code with unique names (eval, vm) cannot
 * grow it without end.
 */
const fileInfoCache = new Map<string, FileInfo>();
const FILE_CACHE_LIMIT = 1024;

function fileInfo(raw: string): FileInfo {
  let info = fileInfoCache.get(raw);
  if (info !== undefined) return info;
  let pathname = raw;
  if (pathname.startsWith('file://')) {
    try {
      pathname = fileURLToPath(pathname);
    } catch {
      // keep the URL as it is
    }
  }
  const filename = basename(pathname);
  const ext = extname(filename);
  const module = ext ? filename.slice(0, -ext.length) : filename;
  info = { pathname, filename, module };
  if (fileInfoCache.size >= FILE_CACHE_LIMIT) fileInfoCache.clear();
  fileInfoCache.set(raw, info);
  return info;
}

/** Turns a V8 call site into Python's caller fields (`<module>` for top-level code). */
export function describeCallSite(site: NodeJS.CallSite | undefined): CallerInfo {
  if (!site) return UNKNOWN;
  const file = fileInfo(site.getFileName() ?? site.getScriptNameOrSourceURL() ?? '(unknown file)');
  const fn = site.getFunctionName();
  const funcName = fn ?? (isModuleLevel(site) ? '<module>' : '<anonymous>');
  return {
    pathname: file.pathname,
    filename: file.filename,
    module: file.module,
    funcName,
    lineno: site.getLineNumber() ?? 0,
  };
}
