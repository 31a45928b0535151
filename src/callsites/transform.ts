/**
 * The source transform behind `node --import logdial/callsites`: marks every logging call with a
 * site code so that the logger knows its call site without capturing the stack
 * (see src/core/call-site-marks.ts).
 *
 *   log.info('sent %d bytes', n)   →   __logdialSite(162,(log)).info('sent %d bytes', __logdialArm(162,(n)))
 *
 * The site notes its code and receiver before the arguments are evaluated and arms the note after
 * them, right before the call (src/core/call-site-marks.ts says why that pairing is exact).
 * Only text is inserted, never a line break, so line numbers (in stack traces too) are unchanged;
 * columns shift on the lines that hold a marked call. A file that does not parse is left as it is.
 */
const { createRequire } = process.getBuiltinModule('node:module');
import type { Node } from 'acorn';
import {
  ARM_FUNCTION_NAME,
  MAX_MARKED_ARGUMENTS,
  MAX_SITE,
  type MarkedMethod,
  MethodFamily,
  SITE_FUNCTION_NAME,
  siteCode,
} from '../core/call-site-marks.js';

/** The method names of logger calls that are marked (logdial's level methods, `exception`, `log`). */
const MARKED_METHODS: ReadonlySet<string> = new Set(Object.keys(MethodFamily));

/** Objects whose methods share those names but are never loggers. */
const NEVER_LOGGERS: ReadonlySet<string> = new Set(['console', 'Math']);

/**
 * Perf (start-up): the parser is loaded on the first file that has a candidate call (about 10 ms),
 * so a process whose main thread loads no CommonJS never loads it there.
 */
let parser: { parse: typeof import('acorn').parse; ancestor: typeof import('acorn-walk').ancestor } | undefined;

function loadParser(): NonNullable<typeof parser> {
  if (parser === undefined) {
    const require = createRequire(import.meta.url);
    parser = {
      parse: (require('acorn') as typeof import('acorn')).parse,
      ancestor: (require('acorn-walk') as typeof import('acorn-walk')).ancestor,
    };
  }
  return parser;
}

/** A file that holds this text (in a comment, say) is never marked. */
export const OPT_OUT = '@logdial-no-callsites';

/**
 * A cheap test that skips parsing files with no candidate call at all (`.info(`, `.info?.(`, …;
 * not `console.log(` nor `Math.log(`, which are never marked).
 */
const CANDIDATE = new RegExp(
  `\\.(?<!(?:^|[^\\w$.])(?:${[...NEVER_LOGGERS].join('|')})\\s*\\.)\\s*(?:${[...MARKED_METHODS].join('|')})\\s*(?:\\?\\.\\s*)?\\(`,
);

/** True when `source` may hold a call this transform marks (a text test: it may say yes wrongly, never no). */
export function hasCandidateCall(source: string): boolean {
  return CANDIDATE.test(source) && !source.includes(OPT_OUT);
}

export interface TransformOptions {
  /** `module` for ES modules, `script` for CommonJS (top-level `return` allowed). */
  sourceType: 'module' | 'script';
  /** The site number of the first marked call; sites are numbered consecutively. */
  firstSite: number;
  /** The last site number this loader may hand out (default {@link MAX_SITE}). */
  lastSite?: number;
}

export interface TransformResult {
  /** The source with marks (the input itself when nothing was marked). */
  code: string;
  /** How many calls were marked (site numbers `firstSite … firstSite + sites - 1`). */
  sites: number;
}

interface Insertion {
  at: number;
  text: string;
  /** Length of the argument it wraps: at one position, outer wraps open first and close last. */
  span: number;
  opens: boolean;
}

interface Span {
  start: number;
  end: number;
}
interface CallNode {
  callee: MemberNode | { type: string };
  arguments: Array<{ type: string; start: number; end: number }>;
}

interface MemberNode {
  type: 'MemberExpression';
  computed: boolean;
  object: Span & { type: string; name?: string };
  property: { type: string; name?: string };
}

/** True when `node` is `<object>.<level method>(…)` on something that may be a logger. */
function isLoggerCall(call: CallNode): boolean {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression') return false;
  const member = callee as MemberNode;
  if (member.computed || member.property.type !== 'Identifier' || !MARKED_METHODS.has(member.property.name!))
    return false;
  if (member.object.type === 'Super') return false;
  if (member.object.type === 'Identifier' && NEVER_LOGGERS.has(member.object.name!)) return false;
  return true;
}

interface AstNode {
  type: string;
  id?: unknown;
  computed?: boolean;
  value?: unknown;
}

/**
 * True when the function enclosing a call gets its name when it is created — a method or property
 * with a computed key (`{ [name]() {…} }`) — so that closures made from one piece of code have
 * different `%(funcName)s`: one call site's caller fields cannot be reused for all of them.
 */
function inFunctionNamedAtRunTime(ancestors: AstNode[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i]!; // 0 <= i < length
    if (node.type === 'FunctionDeclaration') return false;
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      if (node.id) return false;
      const parent = ancestors[i - 1];
      return (
        parent !== undefined &&
        parent.computed === true &&
        parent.value === node &&
        ['Property', 'MethodDefinition', 'PropertyDefinition'].includes(parent.type)
      );
    }
  }
  return false;
}

/** One call to mark: the spans of its receiver and of its last argument, its method and argument count. */
export interface PlannedSite {
  receiverStart: number;
  receiverEnd: number;
  lastStart: number;
  lastEnd: number;
  method: MarkedMethod;
  count: number;
}

/**
 * The logging calls of one file's source that are marked, in the order their sites are numbered
 * (empty when there is none, or when the file does not parse or is too deeply nested to walk).
 * Calls with no argument, more than 15, or a spread argument, and calls in functions named at run
 * time, are left alone (they fall back to a stack capture).
 */
export function planCallSites(source: string, sourceType: TransformOptions['sourceType']): PlannedSite[] {
  if (!hasCandidateCall(source)) return [];
  const { parse, ancestor } = loadParser();
  let ast: Node;
  try {
    ast = parse(source, {
      ecmaVersion: 'latest',
      sourceType,
      allowHashBang: true,
      allowReturnOutsideFunction: sourceType === 'script',
    });
  } catch {
    return [];
  }
  const plan: PlannedSite[] = [];
  try {
    ancestor(ast, {
      CallExpression(node, _state, ancestors) {
        const call = node as unknown as CallNode;
        const count = call.arguments.length;
        if (count === 0 || count > MAX_MARKED_ARGUMENTS || !isLoggerCall(call)) return;
        if (inFunctionNamedAtRunTime(ancestors)) return;
        if (call.arguments.some((argument) => argument.type === 'SpreadElement')) return;
        const receiver = (call.callee as MemberNode).object;
        const last = call.arguments[count - 1]!; // count > 0, checked above
        const method = (call.callee as MemberNode).property.name as MarkedMethod;
        plan.push({
          receiverStart: receiver.start,
          receiverEnd: receiver.end,
          lastStart: last.start,
          lastEnd: last.end,
          method,
          count,
        });
      },
    });
  } catch {
    // The walk recurses per nesting level: a deeply nested (often generated) file can exhaust the stack.
    return [];
  }
  return plan;
}

/** Inserts the marks of `plan` (from {@link planCallSites} on this very source) into `source`. */
export function applyPlan(source: string, plan: readonly PlannedSite[], options: TransformOptions): TransformResult {
  const insertions: Insertion[] = [];
  /** Wraps a span as `<open>(<span>))`; parenthesised, so that a sequence expression stays one expression. */
  const wrap = (start: number, end: number, open: string): void => {
    const span = end - start;
    insertions.push({ at: start, text: `${open}(`, span, opens: true });
    insertions.push({ at: end, text: '))', span, opens: false });
  };
  const lastSite = options.lastSite ?? MAX_SITE;
  let site = options.firstSite;
  for (const call of plan) {
    if (site > lastSite) break;
    const code = siteCode(site, call.method, call.count);
    site++;
    wrap(call.receiverStart, call.receiverEnd, `${SITE_FUNCTION_NAME}(${code},`);
    wrap(call.lastStart, call.lastEnd, `${ARM_FUNCTION_NAME}(${code},`);
  }
  if (insertions.length === 0) return { code: source, sites: 0 };
  insertions.sort((a, b) => {
    if (a.at !== b.at) return a.at - b.at;
    if (a.opens !== b.opens) return a.opens ? 1 : -1; // close what ends here before opening what starts here
    return a.opens ? b.span - a.span : a.span - b.span;
  });
  const parts: string[] = [];
  let from = 0;
  for (const insertion of insertions) {
    parts.push(source.slice(from, insertion.at), insertion.text);
    from = insertion.at;
  }
  parts.push(source.slice(from));
  return { code: parts.join(''), sites: site - options.firstSite };
}

/** Marks the logging calls of one file's source (see {@link planCallSites} for which). */
export function markCallSites(source: string, options: TransformOptions): TransformResult {
  return applyPlan(source, planCallSites(source, options.sourceType), options);
}
