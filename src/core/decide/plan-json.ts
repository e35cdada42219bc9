// A plan as the decision's JSON shows it: amounts as decimal strings, the schedule row by row.
import type { Plan } from '../../generated/decision.js';
import type { OptionPlan } from '../facts/plans.js';
import { formatCents as money } from '../money/decimal.js';
import type { ScheduleRow } from '../money/types.js';

/**
 * Members in canonical (sorted) order, as the audit trail writes them, so the record takes the plan as it
 * is. A literal per shape (with and without gracePayment, which sorts mid-object) rather than an undefined
 * member, which the record would have to copy the plan to drop.
 */
export function planJson(p: OptionPlan, capitalised: bigint, rate: string): Plan {
  const s = p.schedule;
  if (s.gracePayment === undefined)
    return {
      amortisationMonths: p.amortisationMonths,
      annualRate: rate,
      aprIrr: p.aprIrr,
      capitalisedAmount: money(capitalised),
      firstDueDate: p.firstDueDate,
      graceMonths: p.graceMonths,
      method: p.method,
      newPrincipal: money(s.totalPrincipal),
      paymentReductionPct: p.paymentReductionPct,
      regularPayment: money(s.regularPayment),
      schedule: scheduleJson(s.rows),
      totalInterest: money(s.totalInterest),
      totalPayment: money(s.totalPayment),
      totalTermMonths: s.rows.length,
    };
  return {
    amortisationMonths: p.amortisationMonths,
    annualRate: rate,
    aprIrr: p.aprIrr,
    capitalisedAmount: money(capitalised),
    firstDueDate: p.firstDueDate,
    graceMonths: p.graceMonths,
    gracePayment: money(s.gracePayment),
    method: p.method,
    newPrincipal: money(s.totalPrincipal),
    paymentReductionPct: p.paymentReductionPct,
    regularPayment: money(s.regularPayment),
    schedule: scheduleJson(s.rows),
    totalInterest: money(s.totalInterest),
    totalPayment: money(s.totalPayment),
    totalTermMonths: s.rows.length,
  };
}

/** `money`, remembering the last amount: a level payment (or a grace month's interest) repeats row after row. */
function moneyRepeating(): (cents: bigint) => string {
  let last: bigint | undefined;
  let text = '';
  return (cents) => {
    if (cents !== last) {
      last = cents;
      text = money(cents);
    }
    return text;
  };
}

function scheduleJson(rows: readonly ScheduleRow[]): Plan['schedule'] {
  const payment = moneyRepeating();
  const interest = moneyRepeating();
  const out: Plan['schedule'] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    // Members in canonical order (closingBalance, dueDate, interest, payment, period, principal).
    out[i] = r.dueDate
      ? { closingBalance: money(r.closingBalance), dueDate: r.dueDate, interest: interest(r.interest), payment: payment(r.payment), period: r.period, principal: money(r.principal) }
      : { closingBalance: money(r.closingBalance), interest: interest(r.interest), payment: payment(r.payment), period: r.period, principal: money(r.principal) };
  }
  return out;
}
