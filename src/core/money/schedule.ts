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

/** 2^53: every integer of smaller magnitude is exact in a double, and so is every sum or difference that stays below it. */
const TWO_53 = 2 ** 53;
const TWO_53_BIG = 2n ** 53n;

/**
 * Schedule in exact integer cents. Interest is round-half-up of balance·annual/12 as an exact
 * fraction, so a true half cent always rounds up (decimal.js would first round annual/12).
 *
 * The amortising rows are computed in doubles holding integer cents (fastRows) when that is provably
 * exact, else in bigints (bigintRows, the previous loop, unchanged). Both give the same rows.
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

  const level = equalInstallment ? annuityPayment(principal, input.annualRate, n) : roundDiv(principal, BigInt(n));
  const amortisingInterest =
    fastRows(rows, grace, n, dates, principal, level, p, q, equalInstallment) ?? bigintRows(rows, grace, n, dates, principal, level, twoP, q, equalInstallment);
  const totalInterest = graceInterest * BigInt(grace) + amortisingInterest;

  const regularPayment = equalInstallment ? level : (rows[grace] as ScheduleRow).payment;
  const totalPayment = principal + totalInterest;
  // Two literals rather than a spread of the optional key: V8 builds the keys after a spread slowly.
  return grace > 0
    ? { regularPayment, gracePayment: graceInterest, rows, totalInterest, totalPrincipal: principal, totalPayment }
    : { regularPayment, rows, totalInterest, totalPrincipal: principal, totalPayment };
}

/**
 * The amortising rows in doubles holding integer cents; returns their total interest, or undefined when
 * exactness cannot be proven, and then the bigint loop runs and writes every amortising row again.
 *
 * Exactness. Let B be the principal, A the level payment (or the equal-principal instalment) and p/q the
 * period rate. The entry check asks B < 2^53, 0 ≤ A < 2^53 and 2·B·p + q < 2^53 (so also p, q, 2q < 2^53;
 * B < 2^53 is asked apart for a zero rate, where p = 0). In the loop:
 * - the balance b stays in [0, B]: it starts at B and each period subtracts paid with 0 ≤ paid ≤ b (paid is
 *   capped at b; a negative scheduled principal, which the annuity's A ≥ round(B·p/q) already rules out, makes
 *   the loop give up (the bigint loop then rewrites the rows), so the bound does not rest on that argument);
 * - N = 2·b·p + q ≤ 2·B·p + q < 2^53: the products and the sum are integers below 2^53, exact;
 * - interest = ⌊N / 2q⌋ = (N − N mod 2q) / 2q: `%` of doubles is exact (IEEE remainder of integers), N − (N mod 2q)
 *   is an exact multiple of 2q below 2^53, and a quotient that is an integer below 2^53 is representable, so the
 *   correctly rounded division returns it exactly. This is round-half-up of b·p/q as an exact rational, as in
 *   bigintRows; interest ≤ N/2q < 2^53;
 * - scheduled = A − interest and b − paid are differences of integers below 2^53 with results of magnitude
 *   below 2^53, exact; paid + interest ≤ b + interest ≤ B + B·p/q + ½ < 2^53 (since 2·B·p + q < 2^53 and q ≥ 1
 *   give B + B·p/q ≤ B·(q + p)/q ≤ 2·B·p + q when p ≥ 1, and B when p = 0), exact;
 * - the running total of interest sums non-negative integers; rounding is monotone, so if any true partial
 *   sum reached 2^53 the computed total would be ≥ 2^53 too: a final total below 2^53 proves every step exact,
 *   and otherwise the loop's result is thrown away and the bigint loop runs.
 * Each amount is converted once to a bigint for the row (BigInt of a safe integer is exact).
 */
function fastRows(
  rows: ScheduleRow[],
  grace: number,
  n: number,
  dates: readonly string[] | undefined,
  principal: bigint,
  level: bigint,
  p: bigint,
  q: bigint,
  equalInstallment: boolean,
): bigint | undefined {
  if (principal >= TWO_53_BIG || level < 0n || level >= TWO_53_BIG || 2n * principal * p + q >= TWO_53_BIG) return undefined;
  const P = Number(p);
  const Q = Number(q);
  const twoQ = 2 * Q;
  const A = Number(level);
  let balance = Number(principal);
  let total = 0;
  for (let j = 1; j <= n; j++) {
    const num = 2 * balance * P + Q;
    const interest = (num - (num % twoQ)) / twoQ;
    const scheduled = equalInstallment ? A - interest : A;
    if (scheduled < 0) return undefined;
    const paid = j === n ? balance : scheduled < balance ? scheduled : balance;
    balance -= paid;
    total += interest;
    const k = grace + j - 1;
    const payment = paid + interest;
    // The level amount repeats row after row: its bigint is shared rather than converted again.
    rows[k] = row(
      k + 1,
      dates?.[k],
      equalInstallment && payment === A ? level : BigInt(payment),
      !equalInstallment && paid === A ? level : BigInt(paid),
      BigInt(interest),
      BigInt(balance),
    );
  }
  return total < TWO_53 ? BigInt(total) : undefined;
}

/** The amortising rows in bigints (the loop before fastRows); returns their total interest. */
function bigintRows(
  rows: ScheduleRow[],
  grace: number,
  n: number,
  dates: readonly string[] | undefined,
  principal: bigint,
  level: bigint,
  twoP: bigint,
  q: bigint,
  equalInstallment: boolean,
): bigint {
  const twoQ = 2n * q;
  let balance = principal;
  let totalInterest = 0n;
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
  return totalInterest;
}

function row(period: number, dueDate: string | undefined, payment: bigint, principal: bigint, interest: bigint, closingBalance: bigint): ScheduleRow {
  return dueDate === undefined
    ? { period, payment, principal, interest, closingBalance }
    : { period, dueDate, payment, principal, interest, closingBalance };
}
