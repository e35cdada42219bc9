import type { Loan, RestructuringApplication } from '../../generated/application.js';
import { addDays, addMonthsClamped, daysBetween } from '../money/dates.js';

/** Counts from the account's restructuring, waiver and contact history, as of the receipt date. */
export function historyFacts(app: RestructuringApplication, today: string, observationMonths: number) {
  // The cut-off dates, each computed once (the filters below ask for them per item).
  const cutoffs = new Map<number, string>();
  const since = (months: number): string => {
    let d = cutoffs.get(months);
    if (d === undefined) cutoffs.set(months, (d = addMonthsClamped(today, -months)));
    return d;
  };
  const prior: Loan['priorRestructurings'] = app.loan.priorRestructurings;
  const plans = prior.filter((p) => p.type === 'INSTALLMENT' || p.type === 'GRACE_PERIOD' || p.type === 'PERSONALISED_PLAN');
  const broken = prior.filter((p) => p.status === 'BROKEN').map((p) => p.brokenDate ?? p.effectiveDate);
  const brokenRecent = broken.filter((d) => d >= since(12) && d <= today).sort();
  const permanentRecent = prior.filter(
    (p) => (p.type === 'INSTALLMENT' || p.type === 'PERSONALISED_PLAN') && p.status !== 'BROKEN' && p.effectiveDate >= since(24) && p.effectiveDate <= today,
  );
  const graceMonths = prior
    .filter((p) => p.type === 'GRACE_PERIOD' && p.effectiveDate >= since(24) && p.effectiveDate <= today)
    .reduce((sum, p) => sum + (p.graceMonths ?? 3), 0);
  const waiversRecent = app.loan.priorWaivers.filter((w) => w.date >= since(12) && w.date <= today).length;
  const lastPlan = plans.map((p) => p.effectiveDate).sort().pop();
  // Observation (CN 2023 Art. 20) lasts at least observationMonths even when the plan is paid off early.
  const observationEnded = plans.some((p) => p.status !== 'BROKEN' && addMonthsClamped(p.effectiveDate, observationMonths) <= today);
  return {
    brokenPlanLast12m: brokenRecent.length,
    lastBrokenPlanDate: brokenRecent.pop(),
    restructuringsLast24m: permanentRecent.length,
    lastRestructuringDate: lastPlan,
    restructuringsLifetime: plans.length,
    workoutsLast5y: prior.filter((p) => p.type === 'PERSONALISED_PLAN' && p.effectiveDate >= since(60) && p.effectiveDate <= today).length,
    graceMonthsLast24m: graceMonths,
    priorWaiversLast12m: waiversRecent,
    isFirstTimeDelinquency: app.loan.delinquencies30PlusLast24m === 0 && waiversRecent === 0,
    hasActiveArrangement: plans.some((p) => p.status === 'ACTIVE'),
    observationEndedCleanly: observationEnded && app.loan.daysPastDue === 0 && broken.length === 0,
  };
}

const SUCCESSFUL = new Set(['REACHED', 'PROMISE_TO_PAY', 'RECORDED_AGREEMENT']);

/** Good faith as docs/domain.md#derived-facts defines it, and the contact facts behind malicious delinquency. */
export function contactFacts(app: RestructuringApplication, today: string) {
  const dpd = app.loan.daysPastDue;
  const overdue = app.loan.overdueItems.map((i) => i.dueDate).sort();
  // Without itemised arrears, the first missed due date is implied by the days past due.
  const firstMissed = dpd > 0 ? (overdue[0] ?? addDays(today, -dpd)) : undefined;
  const contacts = [...(app.contactHistory ?? [])].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const refused = contacts.some((c) => c.outcome === 'REFUSED');
  const inboundBefore = contacts.some((c) => c.direction === 'INBOUND' && (firstMissed === undefined || c.at.slice(0, 10) < firstMissed));
  const lastOk = contacts.filter((c) => SUCCESSFUL.has(c.outcome)).pop();
  const noContactDays = dpd === 0 ? 0 : lastOk ? Math.max(0, daysBetween(lastOk.at.slice(0, 10), today)) : dpd;
  return {
    firstMissedDueDate: firstMissed,
    contactedBeforeFirstMissedDue: inboundBefore,
    goodFaith: dpd === 0 || (inboundBefore && !refused),
    noContactDays,
    lastContactOutcome: contacts[contacts.length - 1]?.outcome,
  };
}
