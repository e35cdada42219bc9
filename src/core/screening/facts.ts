import type { LoanSnapshot } from '../../generated/loan-snapshot.js';
import { daysBetween } from '../money/dates.js';
import { differenceText, isPositive, quotientText } from './decimal-text.js';

/**
 * The facts a screening rule may read: the snapshot's own fields and signals, and a few derived from
 * them. A fact is `undefined` when its inputs are unknown, and an unknown fact fails every comparison,
 * so a missing signal never fires a rule (only the `unknown` operator sees it).
 */
export type ScreeningFactType = 'integer' | 'decimal' | 'boolean' | 'enum';

export const SCREENING_FACTS = {
  daysPastDue: 'integer',
  fraudFlag: 'enum',
  arrangementActive: 'boolean',
  remainingTermMonths: 'integer',
  salaryCreditLateDays: 'integer',
  salaryCreditMissingMonths: 'integer',
  creditScore: 'integer',
  creditScore90dAgo: 'integer',
  /** creditScore90dAgo − creditScore: positive when the score fell. */
  creditScoreDrop: 'integer',
  minimumPaymentStreak: 'integer',
  utilisation: 'decimal',
  utilisation90dAgo: 'decimal',
  /** utilisation − utilisation90dAgo. */
  utilisationRise: 'decimal',
  /** Days from autopayCancelledAt to asOf (0 = cancelled on asOf; negative = dated after asOf). */
  autopayCancelledDaysAgo: 'integer',
  overdraftDaysLast30: 'integer',
  externalArrears: 'boolean',
  missedPaymentsLast12m: 'integer',
  /** currentScheduledPayment / monthlyIncome, exact (rounded only for display); unknown without a positive income. */
  paymentToIncome: 'decimal',
  currentScheduledPayment: 'decimal',
  monthlyIncome: 'decimal',
} as const satisfies Record<string, ScreeningFactType>;

export type ScreeningFactName = keyof typeof SCREENING_FACTS;
/** A fact's value, `undefined` when unknown. */
export type ScreeningFacts = Partial<Record<ScreeningFactName, number | string | boolean | undefined>>;

export function isScreeningFact(name: string): name is ScreeningFactName {
  return Object.prototype.hasOwnProperty.call(SCREENING_FACTS, name);
}

/**
 * Derives the fact sheet of one validated snapshot. Pure: asOf is the snapshot's own date. Every fact is a
 * key of one literal, `undefined` when unknown (what an absent key read as): every sheet has the same shape,
 * so the rules' reads of it stay monomorphic.
 */
export function screeningFacts(s: LoanSnapshot): ScreeningFacts {
  const g = s.signals;
  const income = s.monthlyIncome;
  return {
    daysPastDue: s.daysPastDue,
    fraudFlag: s.fraudFlag,
    arrangementActive: s.arrangementActive,
    remainingTermMonths: s.remainingTermMonths,
    currentScheduledPayment: s.currentScheduledPayment,
    monthlyIncome: income,
    salaryCreditLateDays: g.salaryCreditLateDays,
    salaryCreditMissingMonths: g.salaryCreditMissingMonths,
    creditScore: g.creditScore,
    creditScore90dAgo: g.creditScore90dAgo,
    creditScoreDrop: g.creditScore !== undefined && g.creditScore90dAgo !== undefined ? g.creditScore90dAgo - g.creditScore : undefined,
    minimumPaymentStreak: g.minimumPaymentStreak,
    utilisation: g.utilisation,
    utilisation90dAgo: g.utilisation90dAgo,
    utilisationRise: g.utilisation !== undefined && g.utilisation90dAgo !== undefined ? differenceText(g.utilisation, g.utilisation90dAgo) : undefined,
    autopayCancelledDaysAgo: g.autopayCancelledAt !== undefined ? daysBetween(g.autopayCancelledAt, s.asOf) : undefined,
    overdraftDaysLast30: g.overdraftDaysLast30,
    externalArrears: g.externalArrears,
    missedPaymentsLast12m: g.missedPaymentsLast12m,
    paymentToIncome: income !== undefined && isPositive(income) ? quotientText(s.currentScheduledPayment, income) : undefined,
  };
}
