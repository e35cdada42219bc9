import { Dec } from './decimal.js';
import { roundDiv } from './rational.js';

// Exact bigint versions of what these functions computed with decimal.js (precision 40, ROUND_HALF_UP, i.e.
// half away from zero), with the decimal.js code kept for inputs outside the range where the two provably
// agree. decimal.js rounds each operation to 40 significant digits, so it can differ from exact arithmetic
// only where a result needs more than 40 digits:
// - a product or difference of decimals is exact when its integer significand is below 10^40;
// - a quotient num/den rounded to 4 places: a half-way point t = (2j + 1)/20000 differs from num/den by
//   at least 1/(20000·den) (or equals it, and t fits in 40 digits), while the 40-digit quotient is within
//   |num/den|·10^-39/2 of num/den; the second is smaller whenever |num| < 10^35, so rounding the 40-digit
//   quotient to 4 places gives the exact half-up rounding.
// The output strings follow decimal.js too: toFixed prints a sign for a negative value that rounds to
// zero ("-0.000000") but not for a negative zero (toDecimalPlaces(4) of −0.00001 prints "0.0000").

/** Shown when a ratio's denominator (income) is zero but obligations are not: far above any limit. */
export const RATIO_CAP = '99.9999';
const CAP_UNITS = 999_999n;
const EXACT_QUOTIENT_NUM = 10n ** 35n;
const EXACT_SIGNIFICAND = 10n ** 40n;

/** num / den to 4 decimals half-up, as a decimal string. */
export function ratio(num: bigint, den: bigint): string {
  if (den <= 0n) return num <= 0n ? '0.0000' : RATIO_CAP;
  if (num >= EXACT_QUOTIENT_NUM || num <= -EXACT_QUOTIENT_NUM) return decimalRatio(num, den);
  const q = roundDiv(num * 10_000n, den);
  return q > CAP_UNITS ? RATIO_CAP : fixed(q, 4, false);
}

function decimalRatio(num: bigint, den: bigint): string {
  const r = new Dec(num.toString()).div(den.toString()).toDecimalPlaces(4);
  return r.greaterThan(RATIO_CAP) ? RATIO_CAP : r.toFixed(4);
}

/** A decimal string as sign·digits/10^scale, for the plain forms this module computes exactly. */
interface Parsed {
  readonly num: bigint;
  readonly scale: number;
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const parsedCache = new Map<string, Parsed | null>();
const MAX_PARSED = 256;

function parseDecimal(s: string): Parsed | null {
  let p = parsedCache.get(s);
  if (p === undefined) {
    const m = PLAIN_DECIMAL.exec(s);
    const frac = m?.[3] ?? '';
    p = m ? { num: BigInt(`${m[1]}${m[2]}${frac}`), scale: frac.length } : null;
    if (parsedCache.size >= MAX_PARSED) parsedCache.clear();
    parsedCache.set(s, p);
  }
  return p;
}

const POW10 = Array.from({ length: 41 }, (_, k) => 10n ** BigInt(k));
const pow10 = (k: number): bigint => POW10[k] ?? 10n ** BigInt(k);
const fits40 = (x: bigint): boolean => x < EXACT_SIGNIFICAND && x > -EXACT_SIGNIFICAND;

/** round(r × cents) to whole cents, half away from zero. */
export function ratioTimesCents(r: string, cents: bigint): bigint {
  const p = parseDecimal(r);
  if (p !== null) {
    const product = p.num * cents;
    if (fits40(product)) return roundDiv(product, pow10(p.scale));
  }
  return BigInt(new Dec(r).times(cents.toString()).toDecimalPlaces(0).toFixed(0));
}

/** round((1 − r) × cents) to whole cents, half away from zero (e.g. a payment after a reduction target). */
export function complementTimesCents(r: string, cents: bigint): bigint {
  const p = parseDecimal(r);
  if (p !== null) {
    const complement = pow10(p.scale) - p.num;
    const product = complement * cents;
    if (fits40(complement) && fits40(product)) return roundDiv(product, pow10(p.scale));
  }
  return BigInt(new Dec(cents.toString()).times(new Dec(1).minus(r)).toDecimalPlaces(0).toFixed(0));
}

/** a − b to 6 decimals half-up as decimal.js's `new Dec(a).minus(b).toFixed(6)` prints it. */
export function differenceFixed6(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x !== null && y !== null) {
    const scale = Math.max(6, x.scale, y.scale);
    const diff = x.num * pow10(scale - x.scale) - y.num * pow10(scale - y.scale);
    if (fits40(diff)) return fixed(roundDiv(diff, pow10(scale - 6)), 6, diff < 0n);
  }
  return new Dec(a).minus(b).toFixed(6);
}

/** units/10^places as a fixed-point string; `negative` also prints the sign of a value rounded to zero. */
function fixed(units: bigint, places: number, negative: boolean): string {
  const neg = units < 0n || negative;
  const abs = units < 0n ? -units : units;
  const unit = pow10(places);
  return `${neg ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(places, '0')}`;
}
