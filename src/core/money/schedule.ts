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
 * A schedule whose rows are columns of integer cents in doubles (every amount exact, below 2^53): what
 * buildScheduleCents returns. The totals are bigints as in Schedule; row k (0-based) is period k + 1.
 */
export interface CentsSchedule {
  regularPayment: bigint;
  gracePayment?: bigint;
  totalInterest: bigint;
  totalPrincipal: bigint;
  totalPayment: bigint;
  payment: Float64Array;
  principal: Float64Array;
  interest: Float64Array;
  closingBalance: Float64Array;
  /** Due dates by row, when the input has a first due date. */
  dueDates: readonly string[] | undefined;
}

/**
 * Schedule in exact integer cents. Interest is round-half-up of balance·annual/12 as an exact
 * fraction, so a true half cent always rounds up (decimal.js would first round annual/12).
 *
 * The rows are computed in doubles holding integer cents (buildScheduleCents) when that is provably
 * exact, else in bigints (buildScheduleBig, the previous code). Both give the same schedule.
 */
export function buildSchedule(input: ScheduleInput): Schedule {
  const cents = buildScheduleCents(input);
  return cents === undefined ? buildScheduleBig(input) : scheduleOfCents(cents);
}

/** The rows of a CentsSchedule as bigints (each conversion exact: the amounts are safe integers). */
export function scheduleOfCents(c: CentsSchedule): Schedule {
  const { payment, principal, interest, closingBalance, dueDates, regularPayment, gracePayment, totalPrincipal } = c;
  const total = payment.length;
  const rows: ScheduleRow[] = new Array<ScheduleRow>(total);
  // Amounts that repeat row after row (the level payment, a grace month's interest, the principal during
  // grace, zero) share one bigint rather than each being converted again.
  const level = Number(regularPayment);
  const graceInterest = gracePayment === undefined ? -1 : Number(gracePayment);
  const opening = Number(totalPrincipal);
  const big = (x: number): bigint =>
    x === level ? regularPayment : x === graceInterest ? (gracePayment as bigint) : x === 0 ? 0n : x === opening ? totalPrincipal : BigInt(x);
  for (let k = 0; k < total; k++) {
    rows[k] = row(k + 1, dueDates?.[k], big(payment[k] as number), big(principal[k] as number), big(interest[k] as number), big(closingBalance[k] as number));
  }
  const { totalInterest, totalPayment } = c;
  return gracePayment === undefined
    ? { regularPayment, rows, totalInterest, totalPrincipal, totalPayment }
    : { regularPayment, gracePayment, rows, totalInterest, totalPrincipal, totalPayment };
}

/** buildSchedule in bigints throughout: the path for schedules whose amounts are not provably exact in doubles. */
function buildScheduleBig(input: ScheduleInput): Schedule {
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
  const totalInterest = graceInterest * BigInt(grace) + bigintRows(rows, grace, n, dates, principal, level, twoP, q, equalInstallment);

  const regularPayment = equalInstallment ? level : (rows[grace] as ScheduleRow).payment;
  const totalPayment = principal + totalInterest;
  // Two literals rather than a spread of the optional key: V8 builds the keys after a spread slowly.
  return grace > 0
    ? { regularPayment, gracePayment: graceInterest, rows, totalInterest, totalPrincipal: principal, totalPayment }
    : { regularPayment, rows, totalInterest, totalPrincipal: principal, totalPayment };
}

/**
 * buildSchedule's schedule with its rows in doubles holding integer cents, or undefined when exactness cannot
 * be proven (then buildSchedule's bigint path applies). Errors on bad input are buildSchedule's.
 *
 * Exactness. Let B be the principal, A the level payment (or the equal-principal instalment) and p/q the
 * period rate. The entry check asks B < 2^53, 0 ≤ A < 2^53 and 2·B·p + q < 2^53 (so also p, q, 2q < 2^53;
 * B < 2^53 is asked apart for a zero rate, where p = 0). In the loop:
 * - the balance b stays in [0, B]: it starts at B and each period subtracts paid with 0 ≤ paid ≤ b (paid is
 *   capped at b; a negative scheduled principal, which the annuity's A ≥ round(B·p/q) already rules out, makes
 *   the function give up, so the bound does not rest on that argument);
 * - N = 2·b·p + q ≤ 2·B·p + q < 2^53: the products and the sum are integers below 2^53, exact (2·b is exact
 *   whatever its size: a power-of-two factor);
 * - interest = ⌊N / 2q⌋ = (N − N mod 2q) / 2q: `%` of doubles is exact (IEEE remainder of integers), N − (N mod 2q)
 *   is an exact multiple of 2q below 2^53, and a quotient that is an integer below 2^53 is representable, so the
 *   correctly rounded division returns it exactly. This is round-half-up of b·p/q as an exact rational, as in
 *   bigintRows; interest ≤ N/2q < 2^53 (the grace months' interest is the same formula at b = B);
 * - scheduled = A − interest and b − paid are differences of integers below 2^53 with results of magnitude
 *   below 2^53, exact; paid + interest ≤ b + interest ≤ B + B·p/q + ½ < 2^53 (since 2·B·p + q < 2^53 and q ≥ 1
 *   give B + B·p/q ≤ 2·B·p when p ≥ 1, and B when p = 0), exact;
 * - the running total of the amortising interest sums non-negative integers; rounding is monotone, so if any
 *   true partial sum reached 2^53 the computed total would be ≥ 2^53 too: a final total below 2^53 proves every
 *   step exact, and otherwise the function gives up. The totals with the grace months are taken in bigints.
 */
export function buildScheduleCents(input: ScheduleInput): CentsSchedule | undefined {
  checkScheduleInput(input);
  const { principal, amortisationMonths: n, method } = input;
  const grace = input.graceMonths ?? 0;
  const equalInstallment = method === 'EQUAL_INSTALLMENT';
  const { p, q } = periodRate(input.annualRate);
  const total = grace + n;
  // Before the level payment, as in buildScheduleBig, so that bad input fails the same way.
  const dueDates = input.firstDueDate === undefined ? undefined : monthlyDates(input.firstDueDate, total);
  if (principal >= TWO_53_BIG || 2n * principal * p + q >= TWO_53_BIG) return undefined;
  const level = equalInstallment ? annuityPayment(principal, input.annualRate, n) : roundDiv(principal, BigInt(n));
  if (level < 0n || level >= TWO_53_BIG) return undefined;
  const P = Number(p);
  const Q = Number(q);
  const twoQ = 2 * Q;
  const A = Number(level);
  const B = Number(principal);
  const payment = new Float64Array(total);
  const paidCol = new Float64Array(total);
  const interestCol = new Float64Array(total);
  const closing = new Float64Array(total);

  const graceNum = 2 * B * P + Q;
  const graceInterest = (graceNum - (graceNum % twoQ)) / twoQ;
  for (let k = 0; k < grace; k++) {
    payment[k] = graceInterest;
    interestCol[k] = graceInterest;
    closing[k] = B; // paidCol[k] stays 0
  }
  let balance = B;
  let sum = 0;
  for (let j = 1; j <= n; j++) {
    const num = 2 * balance * P + Q;
    const interest = (num - (num % twoQ)) / twoQ;
    const scheduled = equalInstallment ? A - interest : A;
    if (scheduled < 0) return undefined;
    // The last period takes the remaining balance. Capping earlier periods at the balance only matters
    // when rounding drift outgrows the balance (tiny balances or long terms at high rates); without it
    // the balance would go negative.
    const paid = j === n ? balance : scheduled < balance ? scheduled : balance;
    balance -= paid;
    sum += interest;
    const k = grace + j - 1;
    payment[k] = paid + interest;
    paidCol[k] = paid;
    interestCol[k] = interest;
    closing[k] = balance;
  }
  if (!(sum < TWO_53)) return undefined;

  const graceBig = BigInt(graceInterest);
  const totalInterest = graceBig * BigInt(grace) + BigInt(sum);
  const regularPayment = equalInstallment ? level : BigInt(payment[grace] as number);
  const totalPayment = principal + totalInterest;
  // Two literals rather than adding the optional key: one shape each.
  return grace > 0
    ? { regularPayment, gracePayment: graceBig, totalInterest, totalPrincipal: principal, totalPayment, payment, principal: paidCol, interest: interestCol, closingBalance: closing, dueDates }
    : { regularPayment, totalInterest, totalPrincipal: principal, totalPayment, payment, principal: paidCol, interest: interestCol, closingBalance: closing, dueDates };
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
