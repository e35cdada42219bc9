import { Dec } from '../money/decimal.js';

// The few decimal operations screening does on every snapshot, exact and without decimal.js: the snapshot's
// decimals are plain strings (Rate: at most 3 + 8 digits; Money: at most 15 + 2), and these work on their
// digits. Each gives the very string decimal.js (precision 40, ROUND_HALF_UP) gave, which a test checks on
// generated inputs; anything that is not a plain decimal string goes to decimal.js as before.

/** sign, integer digits (no leading zeros) and fraction digits (no trailing zeros) of a plain decimal. */
interface Digits {
  neg: boolean;
  int: string;
  frac: string;
}

/** `^(-?)(\d+)(?:\.(\d+))?$` read by char codes (no match array, no capture strings): the same digits. */
function digitsOf(s: string): Digits | undefined {
  const n = s.length;
  let i = 0;
  const neg = n > 0 && s.charCodeAt(0) === 45; // '-'
  if (neg) i = 1;
  const intStart = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const intEnd = i;
  if (intEnd === intStart) return undefined;
  let fracEnd = intEnd;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return undefined; // '.'
    const fracStart = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i !== n || i === fracStart) return undefined;
    fracEnd = i;
  }
  // No leading integer zeros (one digit stays), no trailing fraction zeros.
  let a = intStart;
  while (a < intEnd - 1 && s.charCodeAt(a) === 48) a++;
  let b = fracEnd;
  while (b > intEnd + 1 && s.charCodeAt(b - 1) === 48) b--;
  return { neg, int: s.slice(a, intEnd), frac: b > intEnd + 1 ? s.slice(intEnd + 1, b) : '' };
}

/** A value as decimal.js's toString prints it when it needs no exponent: no trailing zeros, "-" unless zero. */
function print(d: Digits): string {
  const body = d.frac ? `${d.int}.${d.frac}` : d.int;
  return d.neg && (d.int !== '0' || d.frac) ? `-${body}` : body;
}

/** One added to a string of decimal digits (carry included: "99" → "100"). */
function increment(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return `1${'0'.repeat(digits.length)}`;
  return `${digits.slice(0, i)}${String.fromCharCode(digits.charCodeAt(i) + 1)}${'0'.repeat(digits.length - i - 1)}`;
}

/** The magnitude rounded half away from zero to `places` decimals (trailing zeros kept off). */
function roundDigits(d: Digits, places: number): Digits {
  if (d.frac.length <= places) return d;
  const kept = `${d.int}${d.frac.slice(0, places)}`;
  const up = d.frac.charCodeAt(places) >= 53; // '5'
  const all = up ? increment(kept) : kept;
  const intLen = all.length - places;
  let int = all.slice(0, intLen);
  let frac = all.slice(intLen);
  let j = frac.length;
  while (j > 0 && frac.charCodeAt(j - 1) === 48) j--;
  frac = frac.slice(0, j);
  if (int === '') int = '0';
  else if (int.length > 1 && int.charCodeAt(0) === 48) int = int.replace(/^0+(?=\d)/, '');
  return { neg: d.neg, int, frac };
}

// Beyond 10^21 decimal.js's toString switches to exponents; such values take its own path.
const TOO_LONG = 21;

/** `new Dec(s).toDecimalPlaces(places).toString()`, places from 0 to 6 (below 10^-6 decimal.js prints exponents). */
export function roundedText(s: string, places: number): string {
  const d = digitsOf(s);
  if (!d || d.int.length >= TOO_LONG || places > 6) return new Dec(s).toDecimalPlaces(places).toString();
  return print(roundDigits(d, places));
}

/** `new Dec(s).times(100).toDecimalPlaces(2).toString()`: a ratio as a percentage to 2 places. */
export function percentText(s: string): string {
  const d = digitsOf(s);
  if (!d || d.int.length >= TOO_LONG - 2) return new Dec(s).times(100).toDecimalPlaces(2).toString();
  const frac = d.frac.padEnd(2, '0');
  const int = `${d.int}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  let rest = frac.slice(2);
  let j = rest.length;
  while (j > 0 && rest.charCodeAt(j - 1) === 48) j--;
  rest = rest.slice(0, j);
  return print(roundDigits({ neg: d.neg, int, frac: rest }, 2));
}

/** `new Dec(s).toFixed(2)` for a non-negative plain decimal (money): two decimals, always. */
export function fixed2Text(s: string): string {
  const d = digitsOf(s);
  if (!d || d.neg || d.int.length >= TOO_LONG) return new Dec(s).toFixed(2);
  const r = roundDigits(d, 2);
  return `${r.int}.${r.frac.padEnd(2, '0')}`;
}

/** Whether a decimal string is above zero (`new Dec(s).gt(0)`). */
export function isPositive(s: string): boolean {
  const d = digitsOf(s);
  if (!d) return new Dec(s).gt(0);
  return !d.neg && (d.int !== '0' || d.frac !== '');
}

/** Digits as a scaled integer when they fit a double exactly (15 digits): value = n / 10^scale. */
function scaled(d: Digits, scale: number): number | undefined {
  if (d.int.length + scale > 15) return undefined;
  const n = Number(`${d.int}${d.frac.padEnd(scale, '0')}`);
  return d.neg ? -n : n;
}

/** `new Dec(a).minus(b).toFixed()`: the exact difference, as decimal.js prints it. */
export function differenceText(a: string, b: string): string {
  const x = digitsOf(a);
  const y = digitsOf(b);
  if (x && y) {
    const scale = Math.max(x.frac.length, y.frac.length);
    const nx = scaled(x, scale);
    const ny = scaled(y, scale);
    if (nx !== undefined && ny !== undefined) {
      // Both below 10^15 in magnitude, so the difference is an exact integer of a double.
      const n = nx - ny;
      const abs = String(Math.abs(n)).padStart(scale + 1, '0');
      return print({ neg: n < 0, int: abs.slice(0, abs.length - scale), frac: abs.slice(abs.length - scale).replace(/0+$/, '') });
    }
  }
  return new Dec(a).minus(b).toFixed();
}

const SIGNIFICANT = 40;
const TEN = 10n;

/**
 * `new Dec(a).div(b).toFixed()` for non-negative plain decimals, b > 0: the quotient correctly rounded to 40
 * significant digits half-up (decimal.js's precision), exact in bigint arithmetic.
 */
export function quotientText(a: string, b: string): string {
  const x = digitsOf(a);
  const y = digitsOf(b);
  if (!x || !y || x.neg || y.neg) return new Dec(a).div(b).toFixed();
  // a/b = (X / 10^xs) / (Y / 10^ys) with X, Y integers.
  const xText = `${x.int}${x.frac}`;
  const yText = `${y.int}${y.frac}`;
  // Most books' incomes and payments fit long division in doubles (twice as fast as bigint here).
  if (xText.length <= 15 && yText.length <= 8) {
    const fast = quotientDigits(Number(xText), Number(yText));
    if (fast !== undefined) return printScaled(fast.digits, fast.scale + x.frac.length - y.frac.length);
  }
  const X = BigInt(xText);
  const Y = BigInt(yText);
  if (Y === 0n) return new Dec(a).div(b).toFixed();
  if (X === 0n) return '0';
  // Scale X so that the integer quotient has 40 or 41 digits, then keep exactly 40 and round.
  const xDigits = X.toString().length;
  const yDigits = Y.toString().length;
  let k = SIGNIFICANT - (xDigits - yDigits);
  let num = k >= 0 ? X * TEN ** BigInt(k) : X;
  let den = k >= 0 ? Y : Y * TEN ** BigInt(-k);
  let q = num / den;
  if (q.toString().length > SIGNIFICANT) {
    k -= 1;
    if (k >= 0) num = X * TEN ** BigInt(k);
    else den = Y * TEN ** BigInt(-k);
    q = num / den;
  }
  const r = num - q * den;
  if (2n * r >= den) q += 1n;
  // value = q · 10^-(k + xs - ys)
  return printScaled(q.toString(), k + x.frac.length - y.frac.length);
}

/** digits · 10^-shift as toFixed() prints it (digits without leading zeros). */
function printScaled(digits: string, shift: number): string {
  if (shift <= 0) return `${digits}${'0'.repeat(-shift)}`;
  if (digits.length <= shift) digits = digits.padStart(shift + 1, '0');
  const int = digits.slice(0, digits.length - shift);
  const frac = digits.slice(digits.length - shift).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

const CHUNK = 1e7;

/**
 * X / Y (integers, 0 < X < 10^15, 0 < Y < 10^8) to 40 significant digits, half up, by long division in
 * doubles, 7 digits a step: every product and remainder stays below 10^15, so each step is exact.
 * value = digits · 10^-scale, digits without leading zeros.
 */
function quotientDigits(X: number, Y: number): { digits: string; scale: number } | undefined {
  if (!(X > 0 && Y > 0)) return undefined;
  let q = Math.floor(X / Y);
  let r = X - q * Y;
  // The double quotient may be one off either way; the remainder says which.
  if (r < 0) {
    q--;
    r += Y;
  } else if (r >= Y) {
    q++;
    r -= Y;
  }
  let all = q === 0 ? '' : String(q);
  let scale = 0;
  // Where the significant digits start: the integer part's first, or the fraction's first non-zero.
  let first = q === 0 ? -1 : 0;
  while (r !== 0 && (first < 0 || all.length - first <= SIGNIFICANT)) {
    const t = r * CHUNK;
    let d = Math.floor(t / Y);
    r = t - d * Y;
    if (r < 0) {
      d--;
      r += Y;
    } else if (r >= Y) {
      d++;
      r -= Y;
    }
    const chunk = String(d);
    if (first < 0 && d !== 0) first = all.length + 7 - chunk.length;
    all += chunk.length === 7 ? chunk : chunk.padStart(7, '0');
    scale += 7;
  }
  if (first < 0) first = all.length;
  if (all.length - first > SIGNIFICANT) {
    // Keep 40 significant digits; the 41st decides the rounding (half up: the rest is ≥ ½ exactly when it is ≥ 5).
    const cut = first + SIGNIFICANT;
    const up = all.charCodeAt(cut) >= 53;
    scale -= all.length - cut;
    all = all.slice(first, cut);
    if (up) all = increment(all);
  } else all = all.slice(first);
  return { digits: all, scale };
}
