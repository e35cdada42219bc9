import { daysBetween } from './dates.js';
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
}

/** Σ round2(principal × annual × multiplier / 360 × days): simple ACT/360 interest, each item rounded. */
export function penaltyAccrued(input: PenaltyInput): bigint {
  const rate = parseRatio(input.annualRate);
  const mult = parseRatio(input.multiplier);
  const den = rate.den * mult.den * 360n;
  let total = 0n;
  for (const item of input.items) {
    if (item.principal < 0n) throw new MoneyInputError('INVALID_MONEY', 'overdue principal must not be negative');
    const days = Math.max(0, daysBetween(item.dueDate, input.asOf));
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
