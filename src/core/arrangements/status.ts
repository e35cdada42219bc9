import { addDays, addMonthsClamped } from '../money/dates.js';

export type ArrangementStatus = 'TRIAL' | 'PERFORMING' | 'BROKEN' | 'OBSERVATION_PASSED' | 'PROBATION_PASSED' | 'COMPLETED';

/** How an arrangement is judged (policy parameters; defaults as in docs/forbearance.md). */
export interface StatusRules {
  trialPayments: number;
  paymentToleranceDays: number;
  brokenAfterDays: number;
  probationMonths: number;
}

export const DEFAULT_STATUS_RULES: StatusRules = { trialPayments: 2, paymentToleranceDays: 5, brokenAfterDays: 30, probationMonths: 24 };

export interface ScheduledPayment {
  dueDate: string;
  /** Cents. */
  amount: bigint;
}

export interface ReportedPayment {
  dueDate: string;
  paidOn: string;
  /** Cents. */
  amount: bigint;
}

export interface ArrangementTerms {
  /** Date the offer was accepted: the arrangement is in TRIAL from then. */
  acceptedOn: string;
  schedule: readonly ScheduledPayment[];
  /** CN restructured-asset observation end (the decision's observationPeriodEnd); no OBSERVATION_PASSED without it. */
  observationPeriodEnd?: string;
  rules: StatusRules;
}

export interface StatusOn {
  status: ArrangementStatus;
  /** The day the arrangement entered this status. */
  since: string;
  /** BROKEN only: due date of the missed payment + brokenAfterDays. */
  brokenDate?: string;
}

/** Day each scheduled payment was paid in full counting payments reported on or before `asOf` (undefined: not yet). */
function paidInFullOn(terms: ArrangementTerms, payments: readonly ReportedPayment[], asOf: string): (string | undefined)[] {
  return terms.schedule.map((s) => {
    const mine = payments.filter((p) => p.dueDate === s.dueDate && p.paidOn <= asOf).sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
    let sum = 0n;
    for (const p of mine) {
      sum += p.amount;
      if (sum >= s.amount) return p.paidOn;
    }
    return undefined;
  });
}

/**
 * The status of an arrangement on `asOf`, from its schedule and the payments reported (pure; docs/forbearance.md):
 * BROKEN once a payment is still unpaid the day after due + brokenAfterDays (brokenDate = due + brokenAfterDays);
 * otherwise COMPLETED when all is paid; PERFORMING once the first trialPayments were paid in full within
 * paymentToleranceDays, then OBSERVATION_PASSED from observationPeriodEnd and PROBATION_PASSED probationMonths
 * after the first due date, each only when every payment due by then was kept (paid in full within the tolerance).
 */
export function arrangementStatus(terms: ArrangementTerms, payments: readonly ReportedPayment[], asOf: string): StatusOn {
  const { schedule, rules } = terms;
  const full = paidInFullOn(terms, payments, asOf);
  let broken: string | undefined;
  schedule.forEach((s, i) => {
    const deadline = addDays(s.dueDate, rules.brokenAfterDays);
    const paid = full[i];
    if (deadline < asOf && (paid === undefined || paid > deadline) && (broken === undefined || deadline < broken)) broken = deadline;
  });
  if (broken !== undefined) return { status: 'BROKEN', since: broken, brokenDate: broken };
  if (schedule.length > 0 && full.every((d) => d !== undefined)) return { status: 'COMPLETED', since: full.reduce((a, b) => (b! > a! ? b : a))! };

  const kept = (i: number) => full[i] !== undefined && full[i]! <= addDays(schedule[i]!.dueDate, rules.paymentToleranceDays);
  const trial = Math.min(rules.trialPayments, schedule.length);
  const trialKept = schedule.length > 0 && Array.from({ length: trial }, (_, i) => i).every(kept);
  if (!trialKept) return { status: 'TRIAL', since: terms.acceptedOn };
  const performingSince = full.slice(0, trial).reduce((a, b) => (b! > a! ? b : a))!;
  const keptUntil = (day: string) => schedule.every((s, i) => s.dueDate > day || kept(i));
  const probationEnd = addMonthsClamped(schedule[0]!.dueDate, rules.probationMonths);
  if (probationEnd <= asOf && probationEnd >= performingSince && keptUntil(probationEnd)) return { status: 'PROBATION_PASSED', since: probationEnd };
  const obs = terms.observationPeriodEnd;
  if (obs !== undefined && obs <= asOf && obs >= performingSince && keptUntil(obs)) return { status: 'OBSERVATION_PASSED', since: obs };
  return { status: 'PERFORMING', since: performingSince };
}

/**
 * Every status the arrangement has been in up to `asOf`, oldest first (each a transition for the audit
 * chain): the status is re-derived on each day something can change (a payment, a deadline passing, the
 * observation or probation end) and kept when it differs from the one before.
 */
export function arrangementHistory(terms: ArrangementTerms, payments: readonly ReportedPayment[], asOf: string): StatusOn[] {
  const { rules } = terms;
  const days = new Set<string>([terms.acceptedOn]);
  for (const p of payments) days.add(p.paidOn);
  for (const s of terms.schedule) days.add(addDays(s.dueDate, rules.brokenAfterDays + 1));
  if (terms.observationPeriodEnd) days.add(terms.observationPeriodEnd);
  if (terms.schedule.length) days.add(addMonthsClamped(terms.schedule[0]!.dueDate, rules.probationMonths));
  const out: StatusOn[] = [];
  for (const day of [...days].filter((d) => d <= asOf && d >= terms.acceptedOn).sort()) {
    const s = arrangementStatus(terms, payments, day);
    if (out.at(-1)?.status !== s.status) out.push(s);
  }
  const last = arrangementStatus(terms, payments, asOf);
  if (out.at(-1)?.status !== last.status) out.push(last);
  return out;
}
