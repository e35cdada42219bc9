// Frozen copy of src/core/money/schedule.ts as it was before the exact fast paths: the baseline the differential tests
// (test/core/money/fast-paths.property.test.ts) compare the new code with. Do not optimise.
import { annuityPayment } from './annuity.js';
import { monthlyDates } from './dates.js';
import { MoneyInputError, requireInt } from '../../../../src/core/money/errors.js';
import { parseRatio, periodInterest, roundDiv } from '../../../../src/core/money/rational.js';
import type { Schedule, ScheduleInput, ScheduleRow } from '../../../../src/core/money/types.js';

export type { RepaymentMethod, Schedule, ScheduleInput, ScheduleRow } from '../../../../src/core/money/types.js';

export function checkScheduleInput(input: ScheduleInput): void {
  if (input.principal < 0n) throw new MoneyInputError('INVALID_MONEY', 'principal must not be negative');
  requireInt(input.amortisationMonths, 1, 'amortisationMonths');
  requireInt(input.graceMonths ?? 0, 0, 'graceMonths');
  parseRatio(input.annualRate);
}

/**
 * Schedule in exact integer cents. Interest is round-half-up of balance·annual/12 as an exact
 * fraction, so a true half cent always rounds up (decimal.js would first round annual/12).
 */
export function buildSchedule(input: ScheduleInput): Schedule {
  checkScheduleInput(input);
  const { principal, amortisationMonths: n, method } = input;
  const grace = input.graceMonths ?? 0;
  const interestOn = periodInterest(input.annualRate);

  const dates = input.firstDueDate === undefined ? undefined : monthlyDates(input.firstDueDate, grace + n);
  const rows: ScheduleRow[] = new Array<ScheduleRow>(grace + n);
  let totalInterest = 0n;

  const graceInterest = interestOn(principal);
  for (let k = 0; k < grace; k++) {
    rows[k] = row(k + 1, dates?.[k], graceInterest, 0n, graceInterest, principal);
    totalInterest += graceInterest;
  }

  const level = method === 'EQUAL_INSTALLMENT' ? annuityPayment(principal, input.annualRate, n) : roundDiv(principal, BigInt(n));
  let balance = principal;
  for (let j = 1; j <= n; j++) {
    const interest = interestOn(balance);
    const scheduled = method === 'EQUAL_INSTALLMENT' ? level - interest : level;
    // The last period takes the remaining balance. Capping earlier periods at the balance only matters
    // when rounding drift outgrows the balance (tiny balances or long terms at high rates); without it
    // the balance would go negative.
    const paid = j === n ? balance : scheduled < balance ? scheduled : balance;
    balance -= paid;
    totalInterest += interest;
    const k = grace + j - 1;
    rows[k] = row(k + 1, dates?.[k], paid + interest, paid, interest, balance);
  }

  const regularPayment = method === 'EQUAL_INSTALLMENT' ? level : (rows[grace] as ScheduleRow).payment;
  return {
    regularPayment,
    ...(grace > 0 ? { gracePayment: graceInterest } : {}),
    rows,
    totalInterest,
    totalPrincipal: principal,
    totalPayment: principal + totalInterest,
  };
}

function row(period: number, dueDate: string | undefined, payment: bigint, principal: bigint, interest: bigint, closingBalance: bigint): ScheduleRow {
  return dueDate === undefined
    ? { period, payment, principal, interest, closingBalance }
    : { period, dueDate, payment, principal, interest, closingBalance };
}
