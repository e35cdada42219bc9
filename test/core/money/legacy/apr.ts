// Frozen copy of src/core/money/apr.ts as it was before the exact fast paths: the baseline the differential tests
// (test/core/money/fast-paths.property.test.ts) compare the new code with. Do not optimise.
import { MoneyInputError } from '../../../../src/core/money/errors.js';
import { parseRatio, roundDiv } from '../../../../src/core/money/rational.js';

// Solves Σ_k CF_k·v^k = PV for the discount factor v = 1/(1+i), i the monthly IRR. With CF_k ≥ 0 the
// left side is increasing and convex in v, so Newton converges from any v > 0 (after one step it
// approaches the root from the right). Arithmetic is binary fixed point in bigint (v·2^96): exact,
// deterministic on every platform, and about ten times faster than the same Newton in decimal.js at
// 24 digits (36 rows: ~17 µs against ~220 µs).
const SHIFT = 96n;
const ONE = 1n << SHIFT;
const CONVERGED = 1n << 32n; // |Δv| < 2^-64
const MAX_ITERATIONS = 200;

/**
 * Nominal annual IRR (12 × monthly IRR) of `payments` (cents, payment k at the end of month k)
 * against `amountFinanced`, as a string with 6 decimals. `hintAnnualRate` (e.g. the contract rate)
 * only speeds convergence.
 */
export function aprIrr(amountFinanced: bigint, payments: bigint[], hintAnnualRate?: string): string {
  if (amountFinanced <= 0n) throw new MoneyInputError('INVALID_MONEY', 'amount financed must be positive');
  let total = 0n;
  for (const p of payments) {
    if (p < 0n) throw new MoneyInputError('INVALID_MONEY', 'payments must not be negative');
    total += p;
  }
  if (total === 0n) throw new MoneyInputError('INVALID_ARGUMENT', 'payments are all zero: no rate repays the amount');
  if (total === amountFinanced) return '0.000000';

  const coefficients = payments.map((p) => p << SHIFT);
  const target = amountFinanced << SHIFT;
  // Bracket [lo, hi] with f(lo) < 0 < f(hi), f(v) = Σ CF_k·v^k − PV; a Newton step leaving it bisects.
  // Σ CF > PV puts the root below v = 1 (positive rate); otherwise double until f(hi) > 0.
  let lo = 0n;
  let hi = ONE;
  if (total < amountFinanced) {
    do {
      lo = hi;
      hi <<= 1n;
    } while (evaluate(coefficients, target, hi)[0] <= 0n);
  }
  let v = seed(amountFinanced, total, payments.length, hintAnnualRate);
  if (v <= lo || v >= hi) v = (lo + hi) >> 1n;

  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const [f, df] = evaluate(coefficients, target, v);
    if (f === 0n) break;
    if (f < 0n) lo = v;
    else hi = v;
    const step = (f << SHIFT) / df; // df > 0: f is increasing wherever v > 0
    if (step < CONVERGED && step > -CONVERGED) {
      v -= step;
      break;
    }
    v -= step;
    if (v <= lo || v >= hi) v = (lo + hi) >> 1n;
    if (hi - lo < CONVERGED) break;
  }
  return formatRate(roundDiv(12n * (ONE - v) * 1_000_000n, v));
}

/** Horner's scheme for f(v) and f'(v) together, in fixed point. */
function evaluate(coefficients: bigint[], target: bigint, v: bigint): [bigint, bigint] {
  let f = 0n;
  let df = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) {
    df = ((df * v) >> SHIFT) + f;
    f = ((f * v) >> SHIFT) + (coefficients[k] as bigint);
  }
  // The loop built Σ CF_k·v^(k−1); one more factor v and the constant term finish f and f'.
  df = ((df * v) >> SHIFT) + f;
  f = ((f * v) >> SHIFT) - target;
  return [f, df];
}

/** v0 from the hint rate, else from the level-payment approximation i ≈ 2(total − PV) / (PV(n + 1)). */
function seed(pv: bigint, total: bigint, n: number, hint: string | undefined): bigint {
  if (hint !== undefined) {
    const { num, den } = parseRatio(hint);
    return (ONE * 12n * den) / (12n * den + num);
  }
  const base = pv * BigInt(n + 1);
  const guess = base + 2n * (total - pv);
  return guess > 0n ? (ONE * base) / guess : ONE;
}

function formatRate(micro: bigint): string {
  const abs = micro < 0n ? -micro : micro;
  return `${micro < 0n ? '-' : ''}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}`;
}
