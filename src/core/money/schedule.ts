import { annuityPayment } from './annuity.js';
import { monthlyDates } from './dates.js';
import { MoneyInputError, requireInt } from './errors.js';
import { periodRate } from './rate.js';
import { roundDiv } from './rational.js';
import type { Schedule, ScheduleInput, ScheduleRow } from './types.js';

export type { RepaymentMethod, Schedule, ScheduleInput, ScheduleRow } from './types.js';

export function checkScheduleInput(input: ScheduleInput): void {
  if (input.principal < 0n) throw new MoneyInputError('INVALID_MONEY', 'principal must not be negative');
  requireInt(input.amortisationMonths, 1, 'amortisationMonths');
  requireInt(input.graceMonths ?? 0, 0, 'graceMonths');
  periodRate(input.annualRate); // parses (and caches) the rate: parseRatio's error on a malformed one
}

/**
 * Schedule in exact integer cents. Interest is round-half-up of balance·annual/12 as an exact
 * fraction, so a true half cent always rounds up (decimal.js would first round annual/12).
 */
export function buildSchedule(input: ScheduleInput): Schedule {
  checkScheduleInput(input);
  const { principal, amortisationMonths: n, method } = input;
  const grace = input.graceMonths ?? 0;
  const equalInstallment = method === 'EQUAL_INSTALLMENT';
  // annual/12 = p/q in lowest terms. Balances never go negative (the principal is checked and no period
  // repays more than the balance), and for b ≥ 0 round_half_up(b·p/q) = ⌊(2·b·p + q) / 2q⌋, which is
  // roundDiv(b·p, q) with its constant factors taken out of the loop.
  const { p, q } = periodRate(input.annualRate);
  const twoP = 2n * p;
  const twoQ = 2n * q;

  const dates = input.firstDueDate === undefined ? undefined : monthlyDates(input.firstDueDate, grace + n);
  const rows: ScheduleRow[] = new Array<ScheduleRow>(grace + n);

  const graceInterest = (principal * twoP + q) / twoQ;
  for (let k = 0; k < grace; k++) rows[k] = row(k + 1, dates?.[k], graceInterest, 0n, graceInterest, principal);
  let totalInterest = graceInterest * BigInt(grace);

  const level = equalInstallment ? annuityPayment(principal, input.annualRate, n) : roundDiv(principal, BigInt(n));
  let balance = principal;
  for (let j = 1; j <= n; j++) {
    const interest = (balance * twoP + q) / twoQ;
    const scheduled = equalInstallment ? level - interest : level;
    // The last period takes the remaining balance. Capping earlier periods at the balance only matters
    // when rounding drift outgrows the balance (tiny balances or long terms at high rates); without it
    // the balance would go negative.
    const paid = j === n ? balance : scheduled < balance ? scheduled : balance;
    balance -= paid;
    totalInterest += interest;
    const k = grace + j - 1;
    rows[k] = row(k + 1, dates?.[k], paid + interest, paid, interest, balance);
  }

  const regularPayment = equalInstallment ? level : (rows[grace] as ScheduleRow).payment;
  const totalPayment = principal + totalInterest;
  // Two literals rather than a spread of the optional key: V8 builds the keys after a spread slowly.
  return grace > 0
    ? { regularPayment, gracePayment: graceInterest, rows, totalInterest, totalPrincipal: principal, totalPayment }
    : { regularPayment, rows, totalInterest, totalPrincipal: principal, totalPayment };
}

function row(period: number, dueDate: string | undefined, payment: bigint, principal: bigint, interest: bigint, closingBalance: bigint): ScheduleRow {
  return dueDate === undefined
    ? { period, payment, principal, interest, closingBalance }
    : { period, dueDate, payment, principal, interest, closingBalance };
}
