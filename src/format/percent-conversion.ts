/**
 * One `%(name)…` conversion of a `%`-style format, with Python's rules (`fmt % record.__dict__`):
 * flags `#0- +`, width, precision and the types `diouxXeEfFgGcrsa`. The numeric conversions are
 * the ones message arguments use (`core/py-conversion.ts`); here a wrong type raises Python's error.
 */
import { type ConversionSpec, conversionError, numericConversion, padConversion } from '../core/py-conversion.js';
import { sliceCodePoints } from '../core/py-text.js';
import { FormatError } from './errors.js';
import { type FieldKind, pyValueAscii, pyValueRepr, pyValueStr } from './fields.js';

/** Conversion types Python's `%` operator accepts after a key (`%%` alone is a literal percent). */
export const PERCENT_TYPES = 'diouxXeEfFgGcrsa';

/** Python's type name of a field value: `args` is a tuple, float fields are floats. */
function typeNameOf(value: unknown, kind: FieldKind): string | undefined {
  if (kind === 'tuple' && Array.isArray(value)) return 'tuple';
  if (kind === 'float' && typeof value === 'number') return 'float';
  return undefined;
}

/** Renders `value` (of a field of `kind`) under one parsed `%` conversion. */
export function percentConversion(spec: ConversionSpec, value: unknown, kind: FieldKind): string {
  switch (spec.type) {
    case 's':
    case 'r':
    case 'a': {
      let text =
        spec.type === 's'
          ? pyValueStr(value, kind)
          : spec.type === 'r'
            ? pyValueRepr(value, kind)
            : pyValueAscii(value, kind);
      if (spec.precision >= 0) text = sliceCodePoints(text, spec.precision);
      return padConversion(text, spec, false);
    }
    default: {
      // A float field (`msecs`) is a Python float even when integral: `%x` and `%c` reject it.
      const text = kind === 'float' && 'xXoc'.includes(spec.type) ? null : numericConversion(spec, value);
      if (text === null) throw new FormatError(conversionError(spec.type, value, typeNameOf(value, kind)));
      return text;
    }
  }
}
