import { parseRatio } from './rational.js';

/** The period rate annual/12 of a decimal rate string as the exact fraction p/q in lowest terms. */
export interface PeriodRate {
  /** Numerator; 0 for a zero rate (then q = 1). */
  readonly p: bigint;
  readonly q: bigint;
  /** Level-payment multipliers by term, filled by annuity.ts (0 = not computed yet). */
  multipliers: Float64Array;
}

/** At most this many rates are kept (first in, first out); each entry holds at most a few kilobytes. */
const MAX_RATES = 256;
const rates = new Map<string, PeriodRate>();

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Parses and caches; throws parseRatio's MoneyInputError on a malformed rate (which is not cached). */
export function periodRate(annualRate: string): PeriodRate {
  let e = rates.get(annualRate);
  if (e === undefined) {
    const { num, den } = parseRatio(annualRate);
    const twelfths = 12n * den;
    const g = num === 0n ? twelfths : gcd(num, twelfths);
    const p = num / g;
    const q = twelfths / g;
    e = { p, q, multipliers: new Float64Array(0) };
    if (rates.size >= MAX_RATES) {
      const oldest = rates.keys().next().value;
      if (oldest !== undefined) rates.delete(oldest);
    }
    rates.set(annualRate, e);
  }
  return e;
}
