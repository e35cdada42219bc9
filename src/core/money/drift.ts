import { annuityPayment } from './annuity.js';
import { Dec, formatCents } from './decimal.js';
import { periodRate } from './rate.js';

/** Largest amount the API's Money schema represents: 15 integer digits, in cents. */
export const MAX_MONEY_CENTS = 10n ** 17n - 1n;

/**
 * A level-payment schedule rounds each period's interest to the cent and carries the difference to the last
 * payment, which can end up to 0.005 × ((1+r)^n − 1)/r away from the level payment A. When that bound
 * reaches A/2 the schedule can end early with zero rows or a last payment far from A, so it is refused.
 * With r = p/q (annual/12 in lowest terms) and amounts in cents the test is exact:
 * 0.5·((q+p)^n − q^n)/(p·q^(n−1)) ≥ A/2  ⇔  (q+p)^n − q^n ≥ A·p·q^(n−1)   (r = 0: n ≥ A).
 * Returns the bound and the payment when the schedule is refused, else undefined.
 */
export function levelPaymentDrift(principalCents: bigint, annualRate: string, n: number): { bound: string; payment: string } | undefined {
  const payment = annuityPayment(principalCents, annualRate, n);
  const { p, q } = periodRate(annualRate);
  if (p === 0n) return BigInt(n) >= payment ? { bound: new Dec(n).times('0.005').toFixed(2), payment: formatCents(payment) } : undefined;
  const grown = (q + p) ** BigInt(n) - q ** BigInt(n);
  const scale = p * q ** BigInt(n - 1);
  if (grown < payment * scale) return undefined;
  return { bound: new Dec(grown.toString()).div(scale.toString()).times('0.005').toFixed(2), payment: formatCents(payment) };
}
