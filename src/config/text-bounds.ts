/**
 * Bounds checked on configuration text before a general-purpose parser sees it, in one linear
 * pass. The `yaml` package slows down quadratically on some inputs (thousands of flow indicators
 * on one line) and recurses once per nesting level; JSON's `JSON.parse` is linear, but looking up
 * a line in a deeply nested document is not. A logging configuration is a few short lines nested
 * three or four levels deep, so these bounds are far above any real one.
 *
 * Invariants: every check is a single pass over the text; an input within the bounds is what the
 * parsers handle in time linear in its size.
 */
import { ConfigError } from './errors.js';

/** Larger configuration texts and files are refused before parsing (a logging config is a few KB). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Longest line of a YAML configuration, in characters. */
export const MAX_YAML_LINE = 8192;
/**
 * Most lines plus flow separators (`,`) in a YAML configuration: the package spends tens of
 * microseconds on each item (more on each error), so this bounds its time to about a second.
 */
export const MAX_YAML_ITEMS = 50_000;
/** Deepest nesting of a JSON or YAML configuration (flow brackets or block indentation levels). */
export const MAX_NESTING = 64;

/**
 * Throws a located {@link ConfigError} when a YAML text has a line longer than {@link MAX_YAML_LINE},
 * more than {@link MAX_YAML_ITEMS} lines and commas, or nests deeper than {@link MAX_NESTING}
 * (counting `[`/`{` and indentation levels).
 */
export function checkYamlBounds(text: string, file: string | undefined): void {
  let line = 1;
  let lineStart = 0;
  const indents: number[] = [];
  let flow = 0;
  let atIndent = true;
  let items = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 10;
    if ((code === 10 || code === 44) && ++items > MAX_YAML_ITEMS)
      fail(
        file,
        line,
        `more than ${MAX_YAML_ITEMS} lines and commas`,
        `a configuration of at most ${MAX_YAML_ITEMS} lines and list items`,
      );
    if (code === 10) {
      if (i - lineStart > MAX_YAML_LINE)
        fail(
          file,
          line,
          `line ${line} is ${i - lineStart} characters long`,
          `lines of at most ${MAX_YAML_LINE} characters`,
        );
      line++;
      lineStart = i + 1;
      atIndent = true;
      continue;
    }
    if (atIndent && code !== 32) {
      atIndent = false;
      const column = i - lineStart;
      // Block nesting: the stack of indentation columns still open at this line.
      if (code !== 35 && code !== 13) {
        while ((indents.at(-1) ?? -1) >= column) indents.pop(); // column >= 0: an empty stack stops
        indents.push(column);
        // `- - - x` and `a: b: c` nest within one line too; flow brackets are counted below.
        if (indents.length + flow > MAX_NESTING)
          fail(file, line, `nested more than ${MAX_NESTING} levels deep`, `at most ${MAX_NESTING} levels of nesting`);
      }
    }
    if (code === 91 || code === 123) {
      if (++flow + indents.length > MAX_NESTING)
        fail(file, line, `nested more than ${MAX_NESTING} levels deep`, `at most ${MAX_NESTING} levels of nesting`);
    } else if ((code === 93 || code === 125) && flow > 0) flow--;
  }
}

/** Deepest bracket nesting of a JSON text (brackets inside strings ignored), stopping past `limit`. */
export function jsonDepthExceeds(text: string, limit: number = MAX_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92) i++;
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      if (++depth > limit) return true;
    } else if (code === 93 || code === 125) depth--;
  }
  return false;
}

function fail(file: string | undefined, line: number, message: string, expected: string): never {
  throw new ConfigError(`invalid YAML: ${message}`, { file, line, pythonType: 'YAMLError', expected });
}
