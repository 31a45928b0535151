/**
 * Python's float rendering (`repr`, `f`, `e`, `g` and the typeless `format()` form), correctly
 * rounded half-to-even on the exact binary value as CPython does. JavaScript's `toFixed` and
 * `toExponential` round exact ties upwards (`(2.5).toFixed(0)` is `3`, Python gives `2`), so the
 * digits are rounded here from the exact decimal expansion instead.
 */

/** The exact decimal digits of a positive finite number: value = 0.d1d2d3… × 10^(exp10 + 1). */
interface ExactDecimal {
  /** Significant digits, without leading zeros (`'0'` for zero). */
  digits: string;
  /** Power of ten of the first digit (scientific exponent). */
  exp10: number;
}

function exactDecimal(abs: number): ExactDecimal {
  if (abs === 0) return { digits: '0', exp10: 0 };
  if (abs >= 1e21) {
    // Integers this large print exactly through BigInt.
    const text = BigInt(abs).toString();
    return { digits: text.replace(/0+$/, '') || '0', exp10: text.length - 1 };
  }
  // toFixed(100) is exact for every double whose expansion ends within 100 decimals, which covers
  // all values a log line realistically shows; the rest is rounded once, at the 100th decimal.
  const text = abs.toFixed(100);
  const point = text.indexOf('.');
  const intPart = text.slice(0, point);
  const fracPart = text.slice(point + 1);
  if (intPart !== '0') {
    const digits = (intPart + fracPart).replace(/0+$/, '');
    return { digits, exp10: intPart.length - 1 };
  }
  const firstNonZero = fracPart.search(/[1-9]/);
  return { digits: fracPart.slice(firstNonZero).replace(/0+$/, ''), exp10: -firstNonZero - 1 };
}

/**
 * Keeps the first `keep` digits of `digits`, rounding half to even. Returns the kept digits
 * (length `keep`, or `keep + 1` when a carry adds a digit in front).
 */
function roundDigits(digits: string, keep: number): string {
  if (keep >= digits.length) return digits.padEnd(keep, '0');
  if (keep < 0) return '';
  const kept = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else if (/[1-9]/.test(digits.slice(keep + 1))) up = true;
  else up = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1; // an exact tie: to even
  if (!up) return kept;
  const chars = kept.split('');
  let i = chars.length - 1;
  while (i >= 0 && chars[i] === '9') chars[i--] = '0';
  if (i >= 0)
    chars[i] = String.fromCharCode(kept.charCodeAt(i) + 1); // only digits right of i changed
  else chars.unshift('1');
  return chars.join('');
}

/**
 * Whether rounding `abs` to `decimals` places can hit an exact tie, where JavaScript (ties up)
 * and Python (ties to even) differ. A double has exactly as many decimals as binary fraction
 * digits, the last one being 5, so a tie needs exactly `decimals + 1` binary fraction digits —
 * a test that is exact, since scaling by a power of two is. Rounding left of the point
 * (`decimals < 0`) is rare; any integer is treated as a possible tie there.
 */
function tiePossible(abs: number, decimals: number): boolean {
  if (decimals < 0) return Number.isInteger(abs);
  const scaled = abs * 2 ** (decimals + 1);
  return Number.isInteger(scaled) && scaled % 2 === 1;
}

/** `abs` with exactly `precision` decimals (Python's `f`), for a positive finite number. */
export function fixedDigits(abs: number, precision: number): string {
  // Fast path: toFixed is exact rounding except on ties.
  if (abs < 1e21 && precision <= 100 && !tiePossible(abs, precision)) return abs.toFixed(precision);
  const { digits, exp10 } = exactDecimal(abs);
  let intDigits: string;
  let fracDigits: string;
  if (digits === '0') {
    intDigits = '0';
    fracDigits = '';
  } else if (exp10 >= 0) {
    intDigits = digits.slice(0, exp10 + 1).padEnd(exp10 + 1, '0');
    fracDigits = digits.slice(exp10 + 1);
  } else {
    intDigits = '0';
    fracDigits = '0'.repeat(-exp10 - 1) + digits;
  }
  const combined = intDigits + fracDigits;
  const keep = intDigits.length + precision;
  const rounded = roundDigits(combined, keep);
  const carry = rounded.length - keep; // 1 when rounding added a digit in front
  let intOut = rounded.slice(0, intDigits.length + carry).replace(/^0+(?=\d)/, '');
  if (intOut === '') intOut = '0';
  const fracOut = rounded.slice(intDigits.length + carry);
  return precision > 0 ? `${intOut}.${fracOut}` : intOut;
}

/** Mantissa digits and exponent of `abs` rounded to `significant` digits. */
function roundedScientific(abs: number, significant: number): { digits: string; exp10: number } {
  if (significant <= 101 && abs !== 0) {
    // Fast path: toExponential rounds exactly except on ties; the tie test covers both possible
    // rounding positions (the exponent may have moved up by a carry).
    const [mantissa, exponent] = abs.toExponential(significant - 1).split('e') as [string, string];
    const exp10 = Number(exponent);
    const decimals = significant - 1 - exp10;
    if (!tiePossible(abs, decimals) && !tiePossible(abs, decimals + 1))
      return { digits: mantissa.replace('.', ''), exp10 };
  }
  const exact = exactDecimal(abs);
  if (exact.digits === '0') return { digits: '0'.repeat(significant), exp10: 0 };
  const rounded = roundDigits(exact.digits, significant);
  if (rounded.length > significant) return { digits: rounded.slice(0, significant), exp10: exact.exp10 + 1 };
  return { digits: rounded, exp10: exact.exp10 };
}

function exponentSuffix(exp10: number): string {
  return (exp10 < 0 ? 'e-' : 'e+') + String(Math.abs(exp10)).padStart(2, '0');
}

/** `abs` in Python's `e` notation with `precision` decimals in the mantissa. */
export function exponentDigits(abs: number, precision: number, alternate = false): string {
  const { digits, exp10 } = roundedScientific(abs, precision + 1);
  const mantissa = precision > 0 || alternate ? `${digits[0]}.${digits.slice(1)}` : digits;
  return mantissa + exponentSuffix(exp10);
}

/**
 * Python's `g` (and the typeless form when `addDotZero`): `precision` significant digits, fixed
 * notation unless the exponent is below -4 or too large, trailing zeros removed unless `alternate`.
 */
export function generalDigits(abs: number, precision: number, alternate = false, addDotZero = false): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp10 } = roundedScientific(abs, p);
  const useExponent = exp10 < -4 || exp10 >= (addDotZero ? p - 1 : p);
  let text: string;
  if (useExponent) {
    let mantissaDigits = digits.slice(1);
    if (!alternate) mantissaDigits = mantissaDigits.replace(/0+$/, '');
    text = (mantissaDigits || alternate ? `${digits[0]}.${mantissaDigits}` : digits.charAt(0)) + exponentSuffix(exp10);
  } else {
    let intPart: string;
    let fracPart: string;
    if (exp10 >= 0) {
      intPart = digits.slice(0, exp10 + 1).padEnd(exp10 + 1, '0');
      fracPart = digits.slice(exp10 + 1);
    } else {
      intPart = '0';
      fracPart = '0'.repeat(-exp10 - 1) + digits;
    }
    if (!alternate) fracPart = fracPart.replace(/0+$/, '');
    if (fracPart === '' && addDotZero) fracPart = '0';
    text = fracPart || alternate ? `${intPart}.${fracPart}` : intPart;
  }
  return text;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa, exponent] = abs.toExponential().split('e') as [string, string];
  const exp10 = Number(exponent);
  if (exp10 < -4 || exp10 >= 16) return sign + mantissa + exponentSuffix(exp10);
  const digits = mantissa.replace('.', '');
  let text: string;
  if (exp10 >= 0) {
    const intPart = digits.slice(0, exp10 + 1).padEnd(exp10 + 1, '0');
    const fracPart = digits.slice(exp10 + 1);
    text = `${intPart}.${fracPart || '0'}`;
  } else {
    text = `0.${'0'.repeat(-exp10 - 1)}${digits}`;
  }
  return sign + text;
}
