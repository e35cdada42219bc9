// A plan as the decision's JSON shows it: amounts as decimal strings, the schedule row by row.
import type { Plan } from '../../generated/decision.js';
import type { OptionPlan } from '../facts/plans.js';
import { formatCents as money } from '../money/decimal.js';
import type { ScheduleRow } from '../money/types.js';

/**
 * Members in canonical (sorted) order, as the audit trail writes them, so the record takes the plan as it
 * is: gracePayment, which sorts mid-object, is added in its place (an undefined member would have the record
 * copy the plan to drop it).
 */
export function planJson(p: OptionPlan, capitalised: bigint, rate: string): Plan {
  const s = p.schedule;
  const plan = {
    amortisationMonths: p.amortisationMonths,
    annualRate: rate,
    aprIrr: p.aprIrr,
    capitalisedAmount: money(capitalised),
    firstDueDate: p.firstDueDate,
    graceMonths: p.graceMonths,
  } as Plan;
  if (s.gracePayment !== undefined) plan.gracePayment = money(s.gracePayment);
  plan.method = p.method;
  plan.newPrincipal = money(s.totalPrincipal);
  plan.paymentReductionPct = p.paymentReductionPct;
  plan.regularPayment = money(s.regularPayment);
  plan.schedule = scheduleJson(s.rows);
  plan.totalInterest = money(s.totalInterest);
  plan.totalPayment = money(s.totalPayment);
  plan.totalTermMonths = s.rows.length;
  return plan;
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
