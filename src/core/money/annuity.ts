import { Dec } from './decimal.js';
import { requireInt } from './errors.js';
import { periodRate, type PeriodRate } from './rate.js';
import { parseRatio, roundDiv } from './rational.js';

// A = round_half_up(B·m), m = r·f/(f − 1), f = (1+r)^n, r = annual/12. With r = p/q in lowest terms m is the
// exact rational p·P^n / (q·(P^n − q^n)), P = q + p, and A is that rational times B rounded once, half-up
// (half away from zero for a negative B). This is what the decimal.js path below (the code before the fast
// path, kept for terms beyond MAX_FAST_TERM) computes too: its 40-digit error is far below its tie window,
// and values inside the window are settled with the same exact rational.
//
// Fast path, exact by construction: m is cached per (rate, n) as m̃ = the double nearest to ⌊m·2^k⌋/2^k
// with ⌊m·2^k⌋ ≥ 2^66, so |m̃ − m| ≤ m·(2^-53 + 2^-66). For |B| ≤ 2^53 the product x = fl(|B|·m̃) then has
// |x − |B|·m| < |B|·m·2^-51 ≤ x·2^-50. Whenever the fraction of x is further than x·2^-48 (> 4× that
// error) from ½, every value within the error has the same half-up rounding as x, so it is the exact
// answer. Only the rare x this close to a half cent (about one in 10^7 for realistic amounts, and every
// exact tie) is settled in exact integers.

/** Longest term with a cached multiplier; longer terms take the decimal.js path (P^n grows with n). */
const MAX_FAST_TERM = 1200;
/** Largest |B|·m handled in doubles: the safety margin x·2^-48 stays below 1/16 of a cent. */
const MAX_FAST_PAYMENT = 2 ** 44;
const MAX_FAST_PRINCIPAL = 2n ** 44n;

/** Binary digits of n: k = 67 + bits(n) makes ⌊m·2^k⌋ ≥ 2^66 since m ≥ 1/n (interest only adds to B/n). */
function bitLength(n: number): number {
  return 32 - Math.clz32(n);
}

function multiplier(e: PeriodRate, n: number): number {
  let table = e.multipliers;
  if (n >= table.length) {
    const grown = new Float64Array(Math.min(MAX_FAST_TERM + 1, Math.max(64, 2 * n)));
    grown.set(table);
    e.multipliers = table = grown;
  }
  let m = table[n] as number;
  if (m === 0) {
    const { p, q } = e;
    const big = (q + p) ** BigInt(n);
    const k = BigInt(67 + bitLength(n));
    const scaled = ((p * big) << k) / (q * (big - q ** BigInt(n)));
    // Number(bigint) rounds to nearest; dividing by the power of two 2^k is exact (k < 100: no underflow).
    m = Number(scaled) / Number(1n << k);
    table[n] = m;
  }
  return m;
}

/** Level payment in cents for a balance in cents, rounded once, half-up. */
export function annuityPayment(principalCents: bigint, annualRate: string, n: number): bigint {
  requireInt(n, 1, 'number of periods');
  const e = periodRate(annualRate);
  const { p, q } = e;
  if (p === 0n) return roundDiv(principalCents, BigInt(n));
  // n = 1: A = B·(1 + r) and B is whole cents, so round(B + B·r) = B + round(B·r) exactly.
  if (n === 1) return principalCents + roundDiv(principalCents * p, q);
  if (n > MAX_FAST_TERM) return decimalAnnuity(principalCents, annualRate, n);
  const negative = principalCents < 0n;
  const b = negative ? -principalCents : principalCents;
  if (b <= MAX_FAST_PRINCIPAL) {
    const x = Number(b) * multiplier(e, n);
    if (x < MAX_FAST_PAYMENT) {
      const whole = Math.floor(x);
      const frac = x - whole; // exact: the fraction bits of x
      const margin = x * 2 ** -48;
      if (frac > 0.5 + margin || frac < 0.5 - margin) {
        const a = BigInt(frac > 0.5 ? whole + 1 : whole);
        return negative ? -a : a;
      }
    }
  }
  return exactAnnuity(principalCents, p, q, n);
}

/** r = p/q: A = B·p·(q+p)^n / (q·((q+p)^n − q^n)), rounded half-up in integers. */
function exactAnnuity(b: bigint, p: bigint, q: bigint, n: number): bigint {
  const big = (q + p) ** BigInt(n);
  return roundDiv(b * p * big, q * (big - q ** BigInt(n)));
}

// The path before the fast one, unchanged, for terms beyond MAX_FAST_TERM: (1+r)^n at 40 digits stays cheap
// however long the term, where the exact P^n would not.
const MAX_CACHED = 4096;
const decimalMultipliers = new Map<string, Dec>();

function decimalMultiplier(annualRate: string, n: number): Dec {
  const key = `${annualRate}|${n}`;
  let m = decimalMultipliers.get(key);
  if (m === undefined) {
    const r = new Dec(annualRate).div(12);
    const f = r.plus(1).pow(n);
    m = r.times(f).div(f.minus(1));
    if (decimalMultipliers.size >= MAX_CACHED) decimalMultipliers.clear();
    decimalMultipliers.set(key, m);
  }
  return m;
}

// 40 digits leave an error far below 1e-9 cent, so only a value this close to a half cent can be an
// exact tie that the approximation might round the wrong way; those are settled in exact integers.
const TIE_WINDOW = new Dec('1e-9');

function decimalAnnuity(principalCents: bigint, annualRate: string, n: number): bigint {
  const { num, den } = parseRatio(annualRate);
  const raw = new Dec(principalCents.toString()).times(decimalMultiplier(annualRate, n));
  const frac = raw.minus(raw.floor());
  if (frac.minus(0.5).abs().lt(TIE_WINDOW)) return exactAnnuity(principalCents, num, 12n * den, n);
  return BigInt(raw.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
}
