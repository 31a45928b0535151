/**
 * A pushed configuration meeting pino/winston loggers: their levels apply (the adapters follow
 * the logdial logger of the same name), but handlers, filters and `propagate` cannot — those
 * libraries write through their own destinations. This module takes such parts out of the spec
 * before it is applied, and lists each one for the reply, so nothing is half-applied or silently
 * ignored. Pure: the caller says which logger names belong to another library.
 *
 * Invariants: only what cannot apply is removed; a handler is removed only when no remaining
 * logdial logger (or MemoryHandler) uses it, a formatter only when no remaining handler does.
 */
import { locationText } from '../config/errors.js';
import type { ConfigSpec, HandlerSpec, LoggerSpec } from '../config/spec.js';
import type { NotApplied } from './protocol.js';

/** `kindOf(name)`: the library of logger `name` (`''` is the root), undefined for a logdial logger. */
export function withoutForeignParts(
  spec: ConfigSpec,
  kindOf: (name: string) => string | undefined,
): { spec: ConfigSpec; notApplied: NotApplied[] } {
  const notApplied: NotApplied[] = [];
  const strip = (logger: LoggerSpec): LoggerSpec => {
    const kind = kindOf(logger.name);
    if (kind === undefined) return logger;
    const path = logger.name === '' ? 'root' : `loggers.${logger.name}`;
    const why = `a ${kind} logger takes only a level (it writes through its own destination)`;
    const out: LoggerSpec = { ...logger };
    if (logger.handlers.length > 0 && !spec.incremental) {
      notApplied.push(
        item(`${path}.handlers`, `${logger.handlers.join(', ')}: ${why}`, logger.keyLoc['handlers'] ?? logger.loc),
      );
      out.handlers = [];
    }
    if (logger.filters.length > 0 && !spec.incremental) {
      notApplied.push(
        item(`${path}.filters`, `${logger.filters.join(', ')}: ${why}`, logger.keyLoc['filters'] ?? logger.loc),
      );
      out.filters = [];
    }
    if (logger.propagate === false) {
      notApplied.push(item(`${path}.propagate`, `false: ${why}`, logger.keyLoc['propagate'] ?? logger.loc));
      out.propagate = undefined;
    }
    return out;
  };
  const loggers = spec.loggers.map(strip);
  const root = spec.root ? strip(spec.root) : undefined;
  if (notApplied.length === 0) return { spec, notApplied };
  const handlers = usedHandlers(spec, [...loggers, ...(root ? [root] : [])], notApplied);
  const formatters = spec.formatters.filter((f) => {
    if (handlers.some((h) => h.formatter === f.id) || !spec.handlers.some((h) => h.formatter === f.id)) return true;
    notApplied.push(item(`formatters.${f.id}`, 'used only by handlers that were not applied', f.loc));
    return false;
  });
  return { spec: { ...spec, loggers, root, handlers, formatters }, notApplied };
}

/** The spec's handlers still reachable from a logdial logger (or unused before), the others reported. */
function usedHandlers(spec: ConfigSpec, loggers: LoggerSpec[], notApplied: NotApplied[]): HandlerSpec[] {
  const wanted = new Set(loggers.flatMap((l) => l.handlers));
  const before = new Set([...spec.loggers, ...(spec.root ? [spec.root] : [])].flatMap((l) => l.handlers));
  // A MemoryHandler's target stays as long as the MemoryHandler does.
  for (let grew = true; grew;) {
    grew = false;
    for (const h of spec.handlers) {
      if (wanted.has(h.id) && h.target !== undefined && !wanted.has(h.target)) {
        wanted.add(h.target);
        grew = true;
      }
    }
  }
  return spec.handlers.filter((h) => {
    if (wanted.has(h.id) || (!before.has(h.id) && !spec.handlers.some((o) => o.target === h.id))) return true;
    notApplied.push(item(`handlers.${h.id}`, 'used only by pino/winston loggers, which cannot take handlers', h.loc));
    return false;
  });
}

function item(
  what: string,
  reason: string,
  loc: { file?: string | undefined; line?: number | undefined; path?: string | undefined },
): NotApplied {
  const location = locationText(loc);
  return location ? { item: what, reason, location } : { item: what, reason };
}
