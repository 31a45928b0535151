/**
 * The one order configuration code sorts names in: by UTF-16 code units, as Python sorts `str`
 * (not `localeCompare`, whose order depends on the locale).
 */

/** Negative, zero or positive as `a` sorts before, with or after `b`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
