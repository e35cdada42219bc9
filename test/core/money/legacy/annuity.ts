// Frozen copy of src/core/money/annuity.ts as it was before the exact fast paths: the baseline the differential tests
// (test/core/money/fast-paths.property.test.ts) compare the new code with. Do not optimise.
import { Dec } from '../../../../src/core/money/decimal.js';
import { requireInt } from '../../../../src/core/money/errors.js';
import { parseRatio, roundDiv } from '../../../../src/core/money/rational.js';

// A = round2(B·r·f / (f − 1)), f = (1+r)^n, r = annual/12. The multiplier r·f/(f − 1) depends only on
// (rate, n), so it is computed once at 40 digits and cached: the term solver asks for it repeatedly.
const MAX_CACHED = 4096;
const multipliers = new Map<string, Dec>();

function multiplier(annualRate: string, n: number): Dec {
  const key = `${annualRate}|${n}`;
  let m = multipliers.get(key);
  if (m === undefined) {
    const r = new Dec(annualRate).div(12);
    const f = r.plus(1).pow(n);
    m = r.times(f).div(f.minus(1));
    if (multipliers.size >= MAX_CACHED) multipliers.clear();
    multipliers.set(key, m);
  }
  return m;
}

// 40 digits leave an error far below 1e-9 cent, so only a value this close to a half cent can be an
// exact tie that the approximation might round the wrong way; those are settled in exact integers.
const TIE_WINDOW = new Dec('1e-9');

/** Level payment in cents for a balance in cents, rounded once, half-up. */
export function annuityPayment(principalCents: bigint, annualRate: string, n: number): bigint {
  requireInt(n, 1, 'number of periods');
  const { num, den } = parseRatio(annualRate);
  if (num === 0n) return roundDiv(principalCents, BigInt(n));
  // n = 1: A = B·(1 + r) and B is whole cents, so round(B + B·r) = B + round(B·r) exactly.
  if (n === 1) return principalCents + roundDiv(principalCents * num, 12n * den);
  const raw = new Dec(principalCents.toString()).times(multiplier(annualRate, n));
  const frac = raw.minus(raw.floor());
  if (frac.minus(0.5).abs().lt(TIE_WINDOW)) return exactAnnuity(principalCents, num, 12n * den, n);
  return BigInt(raw.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
}

/** r = p/q: A = B·p·(q+p)^n / (q·((q+p)^n − q^n)), rounded half-up in integers. */
function exactAnnuity(b: bigint, p: bigint, q: bigint, n: number): bigint {
  const big = (q + p) ** BigInt(n);
  return roundDiv(b * p * big, q * (big - q ** BigInt(n)));
}
