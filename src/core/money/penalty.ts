import { addDays, daysBetween } from './dates.js';
import { MoneyInputError } from './errors.js';
import { parseRatio, roundDiv } from './rational.js';

export interface OverdueItem {
  dueDate: string;
  /** Overdue principal in cents; penalty never accrues on interest, which would compound it. */
  principal: bigint;
}

export interface PenaltyInput {
  items: OverdueItem[];
  /** Contract annual rate, e.g. "0.108". */
  annualRate: string;
  /** Penalty rate = annualRate × multiplier, e.g. "1.5". */
  multiplier: string;
  /** Accrue up to this date (YYYY-MM-DD). */
  asOf: string;
  /** Days on which no penalty accrues (a legal moratorium): first and last day inclusive, `end` absent = open-ended. */
  excluded?: { start: string; end?: string };
}

/** Days of (dueDate, asOf] that fall inside [start, end]: the days a moratorium takes off an item's accrual. */
function excludedDays(dueDate: string, asOf: string, ex: { start: string; end?: string }): number {
  const first = addDays(dueDate, 1) > ex.start ? addDays(dueDate, 1) : ex.start;
  const last = ex.end !== undefined && ex.end < asOf ? ex.end : asOf;
  return Math.max(0, daysBetween(first, last) + 1);
}

/** Σ round2(principal × annual × multiplier / 360 × days): simple ACT/360 interest, each item rounded. */
export function penaltyAccrued(input: PenaltyInput): bigint {
  const rate = parseRatio(input.annualRate);
  const mult = parseRatio(input.multiplier);
  const den = rate.den * mult.den * 360n;
  let total = 0n;
  for (const item of input.items) {
    if (item.principal < 0n) throw new MoneyInputError('INVALID_MONEY', 'overdue principal must not be negative');
    const accruing = Math.max(0, daysBetween(item.dueDate, input.asOf));
    const days = input.excluded && accruing > 0 ? accruing - excludedDays(item.dueDate, input.asOf, input.excluded) : accruing;
    total += roundDiv(item.principal * rate.num * mult.num * BigInt(days), den);
  }
  return total;
}

/** min(round2(accrued × pct), cap); pct is a fraction between 0 and 1, cap null means uncapped. */
export function waiverAmount(accrued: bigint, pct: string, cap: bigint | null): bigint {
  const p = parseRatio(pct);
  if (p.num > p.den) throw new MoneyInputError('INVALID_RATE', `waiver fraction above 1: "${pct}"`);
  if (cap !== null && cap < 0n) throw new MoneyInputError('INVALID_MONEY', 'waiver cap must not be negative');
  const amount = roundDiv(accrued * p.num, p.den);
  return cap !== null && amount > cap ? cap : amount;
}
