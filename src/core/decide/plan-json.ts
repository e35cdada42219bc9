// A plan as the decision's JSON shows it: amounts as decimal strings, the schedule row by row.
import type { Plan } from '../../generated/decision.js';
import type { OptionPlan } from '../facts/plans.js';
import { formatCents as money } from '../money/decimal.js';
import type { ScheduleRow } from '../money/types.js';

export function planJson(p: OptionPlan, capitalised: bigint, rate: string): Plan {
  const s = p.schedule;
  return {
    method: p.method,
    capitalisedAmount: money(capitalised),
    newPrincipal: money(s.totalPrincipal),
    annualRate: rate,
    graceMonths: p.graceMonths,
    amortisationMonths: p.amortisationMonths,
    totalTermMonths: s.rows.length,
    firstDueDate: p.firstDueDate,
    regularPayment: money(s.regularPayment),
    ...(s.gracePayment !== undefined ? { gracePayment: money(s.gracePayment) } : {}),
    totalInterest: money(s.totalInterest),
    totalPayment: money(s.totalPayment),
    aprIrr: p.aprIrr,
    paymentReductionPct: p.paymentReductionPct,
    schedule: scheduleJson(s.rows),
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
    out[i] = r.dueDate
      ? { period: r.period, dueDate: r.dueDate, payment: payment(r.payment), principal: money(r.principal), interest: interest(r.interest), closingBalance: money(r.closingBalance) }
      : { period: r.period, payment: payment(r.payment), principal: money(r.principal), interest: interest(r.interest), closingBalance: money(r.closingBalance) };
  }
  return out;
}
