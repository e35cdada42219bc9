import { annuityPayment } from './annuity.js';
import { formatCents } from './decimal.js';
import { MoneyInputError, requireInt } from './errors.js';
import { periodInterest, roundDiv } from './rational.js';
import type { Schedule, ScheduleRow } from './types.js';

export interface Step {
  /** First period (1-based) paying this amount; it applies until the next step. */
  fromPeriod: number;
  payment: bigint;
}

export interface StepPlan {
  balance: bigint;
  annualRate: string;
  termMonths: number;
  steps: Step[];
}

/** A failed shape still carries the schedule as asked when its steps could be laid out, so callers can judge it. */
export type StepShape = { ok: true; schedule: Schedule } | { ok: false; problems: string[]; asked?: Schedule };

const MAX_STEPS = 3;

/** PP-05's shape rules (docs/domain.md#step-plans). Reports every problem found, not just the first. */
export function checkStepShape(plan: StepPlan): StepShape {
  requireInt(plan.termMonths, 1, 'termMonths');
  if (plan.balance < 0n) throw new MoneyInputError('INVALID_MONEY', 'balance must not be negative');
  const n = plan.termMonths;
  const level = annuityPayment(plan.balance, plan.annualRate, n);
  const problems: string[] = [];
  const { steps } = plan;

  if (steps.length === 0 || steps.length > MAX_STEPS) problems.push(`a step plan needs 1 to ${MAX_STEPS} steps, got ${steps.length}`);
  steps.forEach((s, i) => {
    const prev = i === 0 ? 0 : (steps[i - 1] as Step).fromPeriod;
    const ok = Number.isSafeInteger(s.fromPeriod) && (i === 0 ? s.fromPeriod === 1 : s.fromPeriod > prev) && s.fromPeriod <= n;
    if (!ok) problems.push(`step ${i + 1} starts at period ${s.fromPeriod}; steps must start at 1 and strictly increase up to ${n}`);
  });
  const first = steps[0];
  if (first !== undefined && 2n * first.payment < level) {
    problems.push(`first step ${formatCents(first.payment)} is below 50% of the level payment ${formatCents(level)}`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const interestOn = periodInterest(plan.annualRate);
  const rows: ScheduleRow[] = [];
  let balance = plan.balance;
  let totalInterest = 0n;
  let current = 0; // index of the step in force
  let underInterest = 0;
  for (let k = 1; k <= n; k++) {
    if ((steps[current + 1]?.fromPeriod ?? Infinity) === k) current++;
    const stepPayment = (steps[current] as Step).payment;
    const interest = interestOn(balance);
    if (k < n && stepPayment < interest && underInterest++ === 0) {
      problems.push(`period ${k} pays ${formatCents(stepPayment)}, below its interest ${formatCents(interest)}`);
    }
    const principal = k === n ? balance : stepPayment - interest;
    if (k < n && principal >= balance && balance > 0n) {
      problems.push(`period ${k} repays the whole balance before the last period ${n}`);
    }
    balance -= principal;
    totalInterest += interest;
    rows.push({ period: k, payment: principal + interest, principal, interest, closingBalance: balance });
  }
  if (underInterest > 1) problems.push(`${underInterest} periods in all pay less than their interest`);
  // "No balloon" compares the last period with the payment of the step in force: measured against the
  // level payment instead, every plan that starts low (which the 50% floor allows) would be a balloon.
  const last = rows[n - 1] as ScheduleRow;
  const ceiling = (steps[current] as Step).payment + BigInt(n);
  if (last.payment > ceiling) {
    problems.push(`final payment ${formatCents(last.payment)} exceeds the last step plus 0.01 per period (${formatCents(ceiling)}): a balloon`);
  }
  const schedule: Schedule = {
    regularPayment: (first as Step).payment,
    rows,
    totalInterest,
    totalPrincipal: plan.balance,
    totalPayment: plan.balance + totalInterest,
  };
  return problems.length > 0 ? { ok: false, problems, asked: schedule } : { ok: true, schedule };
}

/** Any amortising period (after the grace) whose payment does not cover its interest. */
export function negativeAmortisation(schedule: Schedule, graceMonths: number): boolean {
  const { rows } = schedule;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (r.period > graceMonths && r.payment < r.interest) return true;
  }
  return false;
}

/** (current − next) / current to 4 decimals half-up, e.g. "0.2000"; "0.0000" when current is 0. */
export function paymentReductionPct(current: bigint, next: bigint): string {
  if (current === 0n) return '0.0000';
  const q = roundDiv((current - next) * 10000n, current);
  const abs = q < 0n ? -q : q;
  return `${q < 0n ? '-' : ''}${abs / 10000n}.${(abs % 10000n).toString().padStart(4, '0')}`;
}
