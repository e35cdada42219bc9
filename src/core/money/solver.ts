import { annuityPayment } from './annuity.js';
import { requireInt } from './errors.js';

export interface TermSearch {
  balance: bigint;
  annualRate: string;
  minMonths: number;
  maxMonths: number;
  /** Largest acceptable rounded level payment, in cents. */
  maxPayment: bigint;
}

/**
 * Smallest whole term in [minMonths, maxMonths] whose rounded level payment is ≤ maxPayment, or null.
 * The rounded payment never increases with the term, so a binary search over integers suffices.
 */
export function solveTerm(q: TermSearch): { months: number; payment: bigint } | null {
  requireInt(q.minMonths, 1, 'minMonths');
  requireInt(q.maxMonths, 1, 'maxMonths');
  if (q.maxMonths < q.minMonths) return null;
  const pay = (n: number): bigint => annuityPayment(q.balance, q.annualRate, n);
  let hi = q.maxMonths;
  let best = pay(hi); // invariant: best = pay(hi) and pay(hi) ≤ maxPayment
  if (best > q.maxPayment) return null;
  let lo = q.minMonths;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const p = pay(mid);
    if (p <= q.maxPayment) {
      hi = mid;
      best = p;
    } else lo = mid + 1;
  }
  return { months: hi, payment: best };
}
