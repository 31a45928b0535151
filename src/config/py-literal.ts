/**
 * A safe evaluator for the Python expressions found in fileConfig `args=` and `kwargs=`.
 *
 * CPython `eval`s these strings in the `logging` namespace; we never evaluate code. Instead this
 * parser accepts Python literals (tuples, lists, dicts, strings with escapes and prefixes, numbers,
 * True/False/None), the operators `+ - *`, a whitelist of names real configs use (`sys.stdout`,
 * `sys.stderr`, level names, `handlers.SYSLOG_UDP_PORT`, `handlers.SysLogHandler.LOG_*`, …) and
 * `#` comments. Anything else is a located {@link ConfigError}.
 */
import { ConfigError } from './errors.js';

/** A Python tuple (kept apart from lists because `(x)` vs `(x,)` matters for `args`). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A Python dict; keys are hashable literals. */
export class PyDict {
  constructor(readonly entries: Map<PyKey, PyValue>) {}
}

/**
 * A whitelisted name standing for a runtime object (`sys.stdout`, `sys.stderr`,
 * `socket.SOCK_STREAM`); handler factories interpret it.
 */
export class PyRef {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

export type PyKey = string | number | boolean | null;
export type PyValue = PyKey | PyValue[] | PyTuple | PyDict | PyRef;

/** Where the expression sits, for error messages. */
export interface LiteralLocation {
  file?: string | undefined;
  /** Line of the first line of the expression (continuation lines follow it). */
  line?: number | undefined;
  /** What is being parsed, e.g. `args of [handler_console]`. */
  what?: string | undefined;
}

const MAX_DEPTH = 100;

const LEVELS: Record<string, number> = {
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARNING: 30,
  WARN: 30,
  INFO: 20,
  DEBUG: 10,
  NOTSET: 0,
};

const SYSLOG: Record<string, number> = {
  LOG_EMERG: 0,
  LOG_ALERT: 1,
  LOG_CRIT: 2,
  LOG_ERR: 3,
  LOG_WARNING: 4,
  LOG_NOTICE: 5,
  LOG_INFO: 6,
  LOG_DEBUG: 7,
  LOG_KERN: 0,
  LOG_USER: 1,
  LOG_MAIL: 2,
  LOG_DAEMON: 3,
  LOG_AUTH: 4,
  LOG_SYSLOG: 5,
  LOG_LPR: 6,
  LOG_NEWS: 7,
  LOG_UUCP: 8,
  LOG_CRON: 9,
  LOG_AUTHPRIV: 10,
  LOG_FTP: 11,
  LOG_NTP: 12,
  LOG_SECURITY: 13,
  LOG_CONSOLE: 14,
  LOG_SOLCRON: 15,
  LOG_LOCAL0: 16,
  LOG_LOCAL1: 17,
  LOG_LOCAL2: 18,
  LOG_LOCAL3: 19,
  LOG_LOCAL4: 20,
  LOG_LOCAL5: 21,
  LOG_LOCAL6: 22,
  LOG_LOCAL7: 23,
};

const HANDLER_CONSTANTS: Record<string, number> = {
  SYSLOG_UDP_PORT: 514,
  SYSLOG_TCP_PORT: 514,
  DEFAULT_TCP_LOGGING_PORT: 9020,
  DEFAULT_UDP_LOGGING_PORT: 9021,
  DEFAULT_HTTP_LOGGING_PORT: 9022,
  DEFAULT_SOAP_LOGGING_PORT: 9023,
};

/** `table`'s own entry `key` (never one inherited from Object.prototype). */
function own(table: Readonly<Record<string, number>>, key: string | undefined): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The value of a dotted name as CPython would find it in `vars(logging)`, or `undefined` when
 * the name is not on the whitelist. `handlers.logging.X` works because logging.handlers imports
 * logging, as in CPython.
 */
export function resolvePyName(name: string): PyValue | undefined {
  let parts = name.split('.');
  if (parts.length === 1) return own(LEVELS, parts[0]);
  if (parts[0] === 'sys' && parts.length === 2 && (parts[1] === 'stdout' || parts[1] === 'stderr'))
    return new PyRef(name);
  // handlers.logging.handlers.logging.X … all name the same modules.
  while (parts.length > 2 && parts[0] === 'handlers' && parts[1] === 'logging') {
    parts = parts.slice(2);
    if (parts[0] === 'handlers') continue;
    if (parts.length === 1) return own(LEVELS, parts[0]);
    if (parts[0] === 'sys') return resolvePyName(parts.join('.'));
    return undefined;
  }
  if (parts[0] !== 'handlers') return undefined;
  if (parts.length === 2) return own(HANDLER_CONSTANTS, parts[1]);
  const syslog = parts.length === 3 && parts[1] === 'SysLogHandler' ? own(SYSLOG, parts[2]) : undefined;
  if (syslog !== undefined) return syslog;
  if (parts.length === 3 && parts[1] === 'socket' && (parts[2] === 'SOCK_STREAM' || parts[2] === 'SOCK_DGRAM'))
    return new PyRef(`socket.${parts[2]}`);
  if (parts.length === 3 && parts[1] === 'sys' && (parts[2] === 'stdout' || parts[2] === 'stderr'))
    return new PyRef(`sys.${parts[2]}`);
  return undefined;
}

type Tok =
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'name'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'nl'; pos: number }
  | { t: 'end'; pos: number };

/** Parses a Python expression safely; see the module comment for what is accepted. */
export function parsePyLiteral(text: string, where: LiteralLocation = {}): PyValue {
  return new LiteralParser(text, where).parseTop();
}

/** Sticky readers: each matches at `lastIndex` only, so no token costs a copy of the rest of the text. */
const STRING_START = /([rRbBuUfF]{0,2})(['"])/y;
const NUMBER =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.)/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*/y;

class LiteralParser {
  private toks: Tok[] = [];
  private i = 0;
  /** Nesting depth: bounded so a hostile value cannot exhaust the stack. */
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly where: LiteralLocation,
  ) {
    this.tokenize();
  }

  private fail(pos: number, message: string, expected?: string): never {
    const before = this.text.slice(0, pos);
    const lineIndex = before.split('\n').length - 1;
    const column = pos - (before.lastIndexOf('\n') + 1) + 1;
    const line = this.where.line !== undefined ? this.where.line + lineIndex : undefined;
    const what = this.where.what ? `${this.where.what}: ` : '';
    throw new ConfigError(
      `${what}${message} (column ${column} of ${JSON.stringify(this.text.length > 200 ? this.text.slice(0, 200) + '…' : this.text)})`,
      {
        file: this.where.file,
        line,
        expected:
          expected ??
          'a Python literal: tuple, list, dict, string, number, True/False/None, sys.stdout/sys.stderr, level names',
        pythonType: 'SyntaxError',
      },
    );
  }

  /** Splits the text into tokens; one pass, each reader consuming from `i` (linear in the text). */
  private tokenize(): void {
    const s = this.text;
    let i = 0;
    let depth = 0;
    while (i < s.length) {
      const c = s.charAt(i);
      if (c === '\n') {
        if (depth === 0) this.toks.push({ t: 'nl', pos: i });
        i++;
        continue;
      }
      const next = this.skipBlank(i) ?? this.readString(i) ?? this.readNumber(i) ?? this.readName(i);
      if (next !== undefined) {
        i = next;
        continue;
      }
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      if ('()[]{},:+-*.'.includes(c)) {
        if (c === '*' && s[i + 1] === '*') this.fail(i, "operator '**' is not supported", "'+', '-' or '*'");
        this.toks.push({ t: 'op', v: c, pos: i });
        i++;
        continue;
      }
      this.fail(i, `unexpected character ${JSON.stringify(c)}`);
    }
    this.toks.push({ t: 'end', pos: s.length });
  }

  /** Whitespace, a line continuation or a comment at `i`: the index after it. */
  private skipBlank(i: number): number | undefined {
    const s = this.text;
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') return i + 1;
    if (c === '\\' && s[i + 1] === '\n') return i + 2;
    if (c !== '#') return undefined;
    const end = s.indexOf('\n', i);
    return end < 0 ? s.length : end;
  }

  /** A string literal (with its r/u/b prefix) at `i`: pushes it, returns the index after it. */
  private readString(i: number): number | undefined {
    const s = this.text;
    STRING_START.lastIndex = i;
    const given = STRING_START.exec(s)?.[1]; // group 1 always takes part in a match
    if (given === undefined || !(given === '' || /^(r|u|b|br|rb)$/i.test(given))) return undefined;
    const start = i;
    const prefix = given.toLowerCase();
    i += prefix.length;
    const q = s.charAt(i); // the quote STRING_START matched
    const triple = s.startsWith(q.repeat(3), i);
    const close = triple ? q.repeat(3) : q;
    i += close.length;
    let value = '';
    const raw = prefix.includes('r');
    for (;;) {
      if (i >= s.length) this.fail(start, 'unterminated string literal', 'a closing quote');
      if (s.startsWith(close, i)) break;
      const ch = s.charAt(i);
      if (ch === '\n' && !triple) this.fail(start, 'unterminated string literal', 'a closing quote on the same line');
      if (ch === '\\') {
        const [text, len] = raw ? [ch + (s[i + 1] ?? ''), 2] : this.escape(i);
        value += text;
        i += len;
        continue;
      }
      value += ch;
      i++;
    }
    this.toks.push({ t: 'str', v: value, pos: start });
    return i + close.length;
  }

  /** A number literal at `i`: pushes it, returns the index after it. */
  private readNumber(i: number): number | undefined {
    const s = this.text;
    if (!/[\d.]/.test(s[i] ?? '')) return undefined;
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(s);
    if (!num) return undefined;
    const lit = num[0].replace(/_/g, '');
    let v: number;
    if (/^0[xob]/i.test(lit)) v = Number(lit.toLowerCase());
    else if (/^\d+$/.test(lit)) {
      if (lit.length > 1 && lit.startsWith('0') && /[1-9]/.test(lit))
        this.fail(i, 'leading zeros in decimal integer literals are not permitted');
      v = Number(lit);
    } else v = Number(lit);
    if (!Number.isFinite(v)) this.fail(i, `number out of range: ${lit}`, 'a number JavaScript can represent');
    if (Number.isInteger(v) && !/[.eE]/.test(lit) && !Number.isSafeInteger(v))
      this.fail(i, `integer too large: ${lit}`, `an integer up to ${Number.MAX_SAFE_INTEGER}`);
    this.toks.push({ t: 'num', v, pos: i });
    const after = i + num[0].length;
    if (/[A-Za-z_]/.test(s[after] ?? '')) this.fail(after, 'invalid decimal literal');
    return after;
  }

  /** A dotted name (`sys.stdout`, `logging.handlers.X`) at `i`: pushes it, returns the index after it. */
  private readName(i: number): number | undefined {
    NAME.lastIndex = i;
    const name = NAME.exec(this.text);
    if (!name) return undefined;
    this.toks.push({ t: 'name', v: name[0].replace(/\s+/g, ''), pos: i });
    return i + name[0].length;
  }

  private escape(i: number): [string, number] {
    const s = this.text;
    const n = s[i + 1];
    if (n === undefined) this.fail(i, 'unterminated string literal');
    const simple: Record<string, string> = {
      '\n': '',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    const simpleEscape = simple[n];
    if (simpleEscape !== undefined) return [simpleEscape, 2];
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))![0]; // starts with n, an octal digit
      return [String.fromCharCode(parseInt(m, 8)), 1 + m.length];
    }
    const hex = (len: number): [string, number] => {
      const h = s.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) this.fail(i, `truncated \\${n} escape`);
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) this.fail(i, `illegal Unicode character \\${n}${h}`);
      return [String.fromCodePoint(cp), 2 + len];
    };
    if (n === 'x') return hex(2);
    if (n === 'u') return hex(4);
    if (n === 'U') return hex(8);
    // Python keeps unknown escapes as written.
    return ['\\' + n, 2];
  }

  // tokenize() ends the list with an 'end' token, and no rule reads past it.
  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    return this.toks[this.i++]!;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v)
      this.fail(
        t.pos,
        t.t === 'end' ? `'${v}' was never written: unexpected end of expression` : `expected '${v}'`,
        `'${v}'`,
      );
  }

  parseTop(): PyValue {
    if (this.peek().t === 'end') this.fail(0, 'empty expression', 'a Python literal such as () or (sys.stdout,)');
    const first = this.expr();
    let result: PyValue = first;
    if (this.isOp(',')) {
      // `eval("'a.log', 'a'")` is a tuple even without parentheses.
      const items = [first];
      while (this.isOp(',')) {
        this.next();
        if (this.peek().t === 'end' || this.peek().t === 'nl') break;
        items.push(this.expr());
      }
      result = new PyTuple(items);
    }
    while (this.peek().t === 'nl') this.next();
    const t = this.peek();
    if (t.t !== 'end')
      this.fail(t.pos, 'unexpected text after the expression', 'one expression (wrap several in parentheses)');
    return result;
  }

  private expr(): PyValue {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next() as { v: string; pos: number };
      const right = this.term();
      left = this.binary(op.v, left, right, op.pos);
    }
    return left;
  }

  private term(): PyValue {
    let left = this.unary();
    while (this.isOp('*')) {
      const op = this.next() as { v: string; pos: number };
      const right = this.unary();
      left = this.binary('*', left, right, op.pos);
    }
    return left;
  }

  private unary(): PyValue {
    if (++this.depth > MAX_DEPTH)
      this.fail(this.peek().pos, `nested more than ${MAX_DEPTH} levels deep`, `at most ${MAX_DEPTH} levels of nesting`);
    try {
      return this.unaryInner();
    } finally {
      this.depth--;
    }
  }

  private unaryInner(): PyValue {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next() as { v: string; pos: number };
      const v = this.unary();
      if (typeof v === 'number') return op.v === '-' ? -v : v;
      if (typeof v === 'boolean') return op.v === '-' ? -Number(v) : Number(v);
      this.fail(op.pos, `bad operand type for unary ${op.v}`, 'a number');
    }
    return this.atom();
  }

  private binary(op: string, a: PyValue, b: PyValue, pos: number): PyValue {
    const num = (v: PyValue): number | undefined =>
      typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;
    const na = num(a);
    const nb = num(b);
    let out: PyValue | undefined;
    if (na !== undefined && nb !== undefined) out = op === '+' ? na + nb : op === '-' ? na - nb : na * nb;
    else if (op === '+' && typeof a === 'string' && typeof b === 'string') out = a + b;
    else if (op === '+' && a instanceof PyTuple && b instanceof PyTuple) out = new PyTuple([...a.items, ...b.items]);
    else if (op === '+' && Array.isArray(a) && Array.isArray(b)) out = [...a, ...b];
    else if (op === '*') {
      const [seq, times] = na !== undefined ? [b, na] : [a, nb];
      if (times !== undefined && Number.isInteger(times)) {
        const n = Math.max(0, times);
        if (typeof seq === 'string') {
          if (seq.length * n > 1_000_000) this.fail(pos, 'string too long', 'a value under 1,000,000 characters');
          out = seq.repeat(n);
        } else if (Array.isArray(seq) || seq instanceof PyTuple) {
          const items = Array.isArray(seq) ? seq : seq.items;
          if (items.length * n > 100_000) this.fail(pos, 'sequence too long');
          const rep: PyValue[] = [];
          for (let k = 0; k < n; k++) rep.push(...items);
          out = Array.isArray(seq) ? rep : new PyTuple(rep);
        }
      }
    }
    if (out === undefined)
      this.fail(pos, `unsupported operand types for ${op}`, 'numbers (or strings, tuples, lists with +)');
    if (typeof out === 'number' && !Number.isSafeInteger(out) && Number.isInteger(out))
      this.fail(pos, 'integer too large', `an integer up to ${Number.MAX_SAFE_INTEGER}`);
    return out;
  }

  private atom(): PyValue {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return t.v;
      case 'str': {
        let v = t.v;
        // Adjacent string literals concatenate, as in Python.
        while (this.peek().t === 'str') v += (this.next() as { v: string }).v;
        return v;
      }
      case 'name': {
        if (t.v === 'True') return true;
        if (t.v === 'False') return false;
        if (t.v === 'None') return null;
        if (this.isOp('('))
          this.fail(
            t.pos,
            `function calls are not evaluated (${t.v}(...))`,
            'a literal value; logdial never evaluates code',
          );
        const v = resolvePyName(t.v);
        if (v === undefined)
          this.fail(
            t.pos,
            `name '${t.v}' is not allowed here`,
            'a literal or one of sys.stdout, sys.stderr, DEBUG…CRITICAL, handlers.SYSLOG_UDP_PORT, handlers.SysLogHandler.LOG_*',
          );
        return v;
      }
      case 'op': {
        if (t.v === '(') return this.sequence(')', t.pos, true);
        if (t.v === '[') return this.sequence(']', t.pos, false);
        if (t.v === '{') return this.dict(t.pos);
        return this.fail(t.pos, `unexpected '${t.v}'`);
      }
      case 'nl':
        return this.fail(t.pos, 'unexpected line break outside brackets', 'arguments spread over lines inside ( )');
      case 'end':
        return this.fail(t.pos, 'unexpected end of expression', 'a value');
    }
  }

  private sequence(close: string, pos: number, tuple: boolean): PyValue {
    const items: PyValue[] = [];
    let comma = false;
    while (!this.isOp(close)) {
      if (this.peek().t === 'end') this.fail(pos, `'${tuple ? '(' : '['}' was never closed`, `'${close}'`);
      items.push(this.expr());
      if (this.isOp(',')) {
        this.next();
        comma = true;
      } else if (!this.isOp(close)) {
        const t = this.peek();
        this.fail(
          t.pos,
          t.t === 'end' ? `'${tuple ? '(' : '['}' was never closed` : `expected ',' or '${close}'`,
          `',' or '${close}'`,
        );
      }
    }
    this.next();
    if (!tuple) return items;
    // `(x)` is just x; `(x,)` and `()` are tuples.
    const [only] = items;
    if (only !== undefined && items.length === 1 && !comma) return only;
    return new PyTuple(items);
  }

  private dict(pos: number): PyValue {
    const map = new Map<PyKey, PyValue>();
    while (!this.isOp('}')) {
      if (this.peek().t === 'end') this.fail(pos, "'{' was never closed", "'}'");
      const keyTok = this.peek();
      const key = this.expr();
      if (key !== null && typeof key === 'object')
        this.fail(keyTok.pos, 'dict keys must be strings, numbers, True, False or None');
      this.expectOp(':');
      map.set(key, this.expr());
      if (this.isOp(',')) this.next();
      else if (!this.isOp('}')) this.fail(this.peek().pos, "expected ',' or '}'", "',' or '}'");
    }
    this.next();
    return new PyDict(map);
  }
}

/** Converts a parsed value to plain JavaScript: tuples and lists become arrays, dicts objects. */
export function pyToJs(value: PyValue): unknown {
  if (value instanceof PyTuple) return value.items.map(pyToJs);
  if (Array.isArray(value)) return value.map(pyToJs);
  if (value instanceof PyDict) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries) out[String(k)] = pyToJs(v);
    return out;
  }
  return value;
}

/** Python's `repr` of a parsed value, for messages. */
export function pyValueRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return JSON.stringify(value).replace(/^"|"$/g, "'");
  if (value instanceof PyTuple)
    return `(${value.items.map(pyValueRepr).join(', ')}${value.items.length === 1 ? ',' : ''})`;
  if (Array.isArray(value)) return `[${value.map(pyValueRepr).join(', ')}]`;
  if (value instanceof PyDict)
    return `{${[...value.entries].map(([k, v]) => `${pyValueRepr(k)}: ${pyValueRepr(v)}`).join(', ')}}`;
  if (value instanceof PyRef) return `<${value.name}>`;
  // An object of no Python kind shows as `[object Object]`, as String() would.
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol') return value.toString();
  return Object.prototype.toString.call(value);
}
