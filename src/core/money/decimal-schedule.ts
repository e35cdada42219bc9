import { centsFromDecimal, Dec, decimalFromCents, round2 } from './decimal.js';
import { monthlyDates } from './dates.js';
import { checkScheduleInput } from './schedule.js';
import type { Schedule, ScheduleInput, ScheduleRow } from './types.js';

/**
 * The decimal.js schedule (MONEY=reference; not to be confused with the reference evaluator, json-rules-engine): the conventions of docs/domain.md#money transliterated to decimal.js, amounts as Decimal throughout, kept
 * deliberately plain so that buildSchedule can be checked against it. It departs from a naive
 * transcription in three ways, all shared with buildSchedule:
 * - interest is round2(balance·annual/12), multiplying before dividing: `balance·(annual/12)` rounds
 *   annual/12 to 40 digits first, so an exact half cent (162.00 at 7%: 0.945) can round down;
 * - the level payment is the exact annuity rounded once: at an exact half cent (1.20 at 35% for one
 *   month is 1.235) the 40-digit quotient can fall just below the tie, so ties are recomputed exactly;
 * - a period never repays more than the remaining balance (see buildSchedule).
 */
export function buildScheduleDecimal(input: ScheduleInput): Schedule {
  checkScheduleInput(input);
  const n = input.amortisationMonths;
  const grace = input.graceMonths ?? 0;
  const B = decimalFromCents(input.principal);
  const annual = new Dec(input.annualRate);
  const r = annual.div(12);
  const interestOn = (bal: Dec): Dec => round2(bal.times(annual).div(12));
  const dates = input.firstDueDate === undefined ? [] : monthlyDates(input.firstDueDate, grace + n);

  const rows: ScheduleRow[] = [];
  const push = (payment: Dec, principal: Dec, interest: Dec, balance: Dec): void => {
    const dueDate = dates[rows.length];
    rows.push({
      period: rows.length + 1,
      ...(dueDate === undefined ? {} : { dueDate }),
      payment: centsFromDecimal(payment),
      principal: centsFromDecimal(principal),
      interest: centsFromDecimal(interest),
      closingBalance: centsFromDecimal(balance),
    });
  };

  const graceInterest = interestOn(B);
  for (let k = 1; k <= grace; k++) push(graceInterest, new Dec(0), graceInterest, B);

  const level = input.method === 'EQUAL_PRINCIPAL' || r.isZero() ? round2(B.div(n)) : levelPayment(B, annual, n);

  let bal = B;
  let totalInterest = graceInterest.times(grace);
  for (let k = 1; k <= n; k++) {
    const i = interestOn(bal);
    const scheduled = input.method === 'EQUAL_INSTALLMENT' ? level.minus(i) : level;
    const p = k === n ? bal : Dec.min(scheduled, bal);
    bal = bal.minus(p);
    totalInterest = totalInterest.plus(i);
    push(i.plus(p), p, i, bal);
  }

  const first = rows[grace] as ScheduleRow;
  return {
    regularPayment: input.method === 'EQUAL_INSTALLMENT' ? centsFromDecimal(level) : first.payment,
    ...(grace > 0 ? { gracePayment: centsFromDecimal(graceInterest) } : {}),
    rows,
    totalInterest: centsFromDecimal(totalInterest),
    totalPrincipal: centsFromDecimal(B),
    totalPayment: centsFromDecimal(B.plus(totalInterest)),
  };
}

function levelPayment(B: Dec, annual: Dec, n: number): Dec {
  const r = annual.div(12);
  const f = r.plus(1).pow(n);
  const a = B.times(r).times(f).div(f.minus(1));
  if (a.times(100).mod(1).minus(0.5).abs().gt('1e-9')) return round2(a);
  // With P = 12 + annual, A = B·annual·P^n / (12·(P^n − 12^n)); at a precision that holds P^n
  // exactly, the final division is the only rounding step and an exact tie stays a tie.
  const P = annual.plus(12);
  const Exact = Dec.clone({ precision: P.sd() * n + B.sd() + annual.sd() + 20 });
  const Pn = new Exact(P).pow(n);
  const exact = new Exact(B).times(annual).times(Pn).div(Pn.minus(new Exact(12).pow(n)).times(12));
  return new Dec(exact.toDecimalPlaces(2, Dec.ROUND_HALF_UP));
}
