// Frozen copy of src/core/money/exact-decimal.ts (then src/core/facts/ratio.ts) as it was before the exact fast paths: the baseline the differential tests
// (test/core/money/fast-paths.property.test.ts) compare the new code with. Do not optimise.
import { Dec, formatCents } from '../../../../src/core/money/decimal.js';

/** Shown when a ratio's denominator (income) is zero but obligations are not: far above any limit. */
export const RATIO_CAP = '99.9999';

/** num / den to 4 decimals half-up, as a decimal string. */
export function ratio(num: bigint, den: bigint): string {
  if (den <= 0n) return num <= 0n ? '0.0000' : RATIO_CAP;
  const r = new Dec(num.toString()).div(den.toString()).toDecimalPlaces(4);
  return r.greaterThan(RATIO_CAP) ? RATIO_CAP : r.toFixed(4);
}

export const money = formatCents;

export function ratioTimesCents(r: string, cents: bigint): bigint {
  return BigInt(new Dec(r).times(cents.toString()).toDecimalPlaces(0).toFixed(0));
}
