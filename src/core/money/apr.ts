import { MoneyInputError } from './errors.js';
import { periodRate } from './rate.js';
import { parseRatio, roundDiv } from './rational.js';

// Solves Σ_k CF_k·v^k = PV for the discount factor v = 1/(1+i), i the monthly IRR, and returns
// round_half_up(12·(1 − v)/v) to 6 decimals. f(v) = Σ CF_k·v^k − PV is increasing and convex for v > 0
// (CF_k ≥ 0), so the root v* is unique.
//
// Two paths, one answer:
// - exactApr is the implementation before the fast path, unchanged: Newton in binary fixed point (v·2^96,
//   bigint) with a bisection guard, stopped when a step is below 2^-64, the bracket is narrower than that,
//   or f is exactly 0. Its evaluation error is at most (n+1)·max(1, v)^n units of 2^-96 cents and
//   f'(v*) ≥ PV/v* ≥ 1/v* cent, so when it stops that way with v* ≤ 1.01 and n ≤ 1200, its v is within
//   2^-60 of v*, and it returns the rounding of 12·(1 − v)/v at that v.
// - fastApr replays exactApr's search in float64 (same bracket, seed, Newton steps and bisection guard) to
//   propose R (in millionths), then *certifies* R with a rigorous float64 error bound. R is the rounding
//   of every APR strictly between (R − ½)·10^-6 and (R + ½)·10^-6, i.e. of every v strictly between
//   vH = 24e6/(24e6 + 2R + 1) and vL = 24e6/(24e6 + 2R − 1). The certificate is two points
//   a ≥ vH + vH·2^-37 and b ≤ vL − vL·2^-37 with f(a) < 0 < f(b) proved despite rounding (Horner's error
//   bound, provedSign), so v* ∈ (a, b), and every v within 2^-60 of v* lies strictly inside (vH, vL) (for
//   vH ≥ 0.75) and rounds to R. exactApr's v is such a v, so both paths return R.
//   That exactApr does stop that way, rather than at MAX_ITERATIONS or on a division by a slope that
//   truncated to 0, is what the replay checks: it must converge to 1e-12 within FAST_ITERATIONS (a quarter
//   of MAX_ITERATIONS; exactApr needs two or three more quadratic steps to reach 2^-64) without meeting a
//   slope below 2^-30 cent, where fixed-point truncation would start to steer exactApr elsewhere. Newton
//   with bisection from the same start on the same function follows the same path up to rounding, so
//   this is the one step of the argument that rests on the replay rather than on a bound; the
//   differential tests (test/core/money/fast-paths.property.test.ts) include the inputs that make
//   exactApr throw or crawl.
// Everything else goes to exactApr: v* within ~2^-37 of a rounding boundary (about one case in 10^4),
// exact ties, amounts from 2^52 cents, more than 1200 periods, APRs outside about −12%…400%.
// With the contract rate as hint (plans.ts), the replay converges in two to four steps.
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
  return fastApr(amountFinanced, total, payments, hintAnnualRate) ?? exactApr(amountFinanced, total, payments, hintAnnualRate);
}

/** The implementation before the fast path, unchanged: Newton in 2^96 fixed point. */
function exactApr(amountFinanced: bigint, total: bigint, payments: bigint[], hintAnnualRate: string | undefined): string {
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

// Domain of the fast path: the bounds above (no underflow in Horner for v ≥ 0.75 and n ≤ 1200, since
// 0.75^1200 ≈ 2^-498; exact doubles for amounts below 2^52 cents; exactApr's error for v ≤ 1.01).
const FAST_MAX_PERIODS = 1200;
const FAST_MAX_CENTS = 2n ** 52n;
const FAST_MAX_CENTS_NUMBER = 2 ** 52;
const FAST_MIN_V = 0.75;
const FAST_MAX_V = 1.01;
const FAST_ITERATIONS = 50;
const FAST_CONVERGED = 1e-12;
/** Smallest f' (cents per unit of v) the replay accepts: fixed-point truncation (≤ (n+1)·2^-96 cents for v ≤ 1) stays negligible. */
const MIN_SLOPE = 2 ** -30;
const U = 2 ** -52; // twice the unit roundoff of float64
const MARGIN = 2 ** -36;

/** The 6-decimal APR when float64 can prove it (see the top of the file), else undefined. */
function fastApr(amountFinanced: bigint, total: bigint, payments: bigint[], hintAnnualRate: string | undefined): string | undefined {
  // The hint is parsed first so that a malformed one fails exactly as in exactApr.
  const hint = hintAnnualRate === undefined ? undefined : periodRate(hintAnnualRate); // annual/12 = p/q
  const n = payments.length;
  if (n > FAST_MAX_PERIODS || total >= FAST_MAX_CENTS || amountFinanced >= FAST_MAX_CENTS) return undefined;
  const cf = new Float64Array(n);
  for (let k = 0; k < n; k++) cf[k] = Number(payments[k] as bigint); // exact: below 2^52
  return fastAprOf(Number(amountFinanced), Number(total), cf, hint);
}

/**
 * aprIrr of a schedule's payments, read straight into doubles: no list or sum of bigints. Taken when every
 * payment and the amount are below 2^52 cents and their sum is too (a sum of non-negative doubles that
 * stays below 2^53 is exact: no partial sum rounds); anything else, and every case fastApr cannot
 * certify, is aprIrr itself, so the answer and the errors are aprIrr's.
 */
export function aprIrrOfRows(amountFinanced: bigint, rows: readonly { payment: bigint }[], hintAnnualRate?: string): string {
  const n = rows.length;
  if (amountFinanced > 0n && amountFinanced < FAST_MAX_CENTS && n <= FAST_MAX_PERIODS) {
    const cf = new Float64Array(n);
    let total = 0;
    let k = 0;
    for (; k < n; k++) {
      const p = rows[k]!.payment;
      if (p < 0n || p >= FAST_MAX_CENTS) break;
      const x = Number(p);
      cf[k] = x;
      total += x;
    }
    const pv = Number(amountFinanced);
    if (k === n && total < FAST_MAX_CENTS_NUMBER && total !== 0) {
      if (total === pv) return '0.000000';
      const apr = fastAprOf(pv, total, cf, hintAnnualRate === undefined ? undefined : periodRate(hintAnnualRate));
      if (apr !== undefined) return apr;
    }
  }
  return aprIrr(amountFinanced, rows.map((r) => r.payment), hintAnnualRate);
}

/** fastApr over payments already in doubles (each, the amount and the total exact, below 2^52). */
function fastAprOf(pv: number, total: number, cf: Float64Array, hint: ReturnType<typeof periodRate> | undefined): string | undefined {
  const n = cf.length;

  // exactApr's search replayed in float64 (same bracket, seed, Newton steps and bisection guard): it
  // proposes R and shows that exactApr converges (see the top of the file).
  let lo = 0;
  let hi = 1;
  if (total < pv) {
    lo = 1;
    hi = 2; // the first doubling: f(2) > 0 whenever the root is below 1.01 (f(2) ≥ 2·Σ CF_k·v*^k/1.01 − PV)
    if (!(evaluateFloat(cf, pv, hi) > 0)) return undefined;
  }
  let v: number;
  if (hint !== undefined) v = Number(hint.q) / Number(hint.q + hint.p);
  else {
    const base = pv * (n + 1);
    const guess = base + 2 * (total - pv);
    v = guess > 0 ? base / guess : 1;
  }
  if (v <= lo || v >= hi) v = (lo + hi) / 2;
  for (let i = 0; ; i++) {
    if (i === FAST_ITERATIONS) return undefined;
    let f = 0;
    let df = 0;
    for (let k = n - 1; k >= 0; k--) {
      df = df * v + f;
      f = f * v + (cf[k] as number);
    }
    df = df * v + f;
    f = f * v - pv;
    // Where f' is this small exactApr's 2^-96 fixed point no longer follows (its f' can even truncate to
    // 0 and throw on the division): leave such searches to it.
    if (!(df >= MIN_SLOPE)) return undefined;
    if (f === 0) break;
    if (f < 0) lo = v;
    else hi = v;
    const step = f / df;
    v -= step;
    if (Math.abs(step) < FAST_CONVERGED) break;
    if (v <= lo || v >= hi) v = (lo + hi) / 2;
    if (hi - lo < FAST_CONVERGED) break;
  }

  const r = Math.floor((12e6 * (1 - v)) / v + 0.5);
  const a = (24e6 / (24e6 + 2 * r + 1)) * (1 + MARGIN); // ≥ vH·(1 + 2^-36)(1 − 2^-53)² > vH + vH·2^-37
  const b = (24e6 / (24e6 + 2 * r - 1)) * (1 - MARGIN); // ≤ vL − vL·2^-37 likewise
  if (!(a >= FAST_MIN_V && b <= FAST_MAX_V && a < b)) return undefined;
  if (!(provedSign(cf, pv, a) < 0 && provedSign(cf, pv, b) > 0)) return undefined;
  return formatRate(BigInt(r));
}

function evaluateFloat(cf: Float64Array, pv: number, v: number): number {
  let g = 0;
  for (let k = cf.length - 1; k >= 0; k--) g = g * v + (cf[k] as number);
  return g * v - pv;
}

/**
 * The sign of f(v) = Σ CF_k·v^k − PV evaluated in float64, or 0 when rounding could have changed it.
 * Horner's scheme over n coefficients (n products, n sums and the final difference) is off by at most
 * γ_2n·(Σ CF_k·v^k + PV) ≤ (n + 1)·2^-52·(g + PV) (Higham, Accuracy and Stability, §5.1; no underflow or
 * overflow in the domain); the bound used is twice that, with the computed g.
 */
function provedSign(cf: Float64Array, pv: number, v: number): number {
  let g = 0;
  for (let k = cf.length - 1; k >= 0; k--) g = g * v + (cf[k] as number);
  g *= v;
  const f = g - pv;
  const bound = (g + pv) * (2 * cf.length + 4) * U;
  return f > bound ? 1 : f < -bound ? -1 : 0;
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
