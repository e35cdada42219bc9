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
export type ScreeningFacts = Partial<Record<ScreeningFactName, number | string | boolean>>;

export function isScreeningFact(name: string): name is ScreeningFactName {
  return Object.prototype.hasOwnProperty.call(SCREENING_FACTS, name);
}

/** Derives the fact sheet of one validated snapshot. Pure: asOf is the snapshot's own date. */
export function screeningFacts(s: LoanSnapshot): ScreeningFacts {
  const g = s.signals;
  const f: ScreeningFacts = {
    daysPastDue: s.daysPastDue,
    fraudFlag: s.fraudFlag,
    arrangementActive: s.arrangementActive,
    remainingTermMonths: s.remainingTermMonths,
    currentScheduledPayment: s.currentScheduledPayment,
  };
  if (s.monthlyIncome !== undefined) f.monthlyIncome = s.monthlyIncome;
  if (g.salaryCreditLateDays !== undefined) f.salaryCreditLateDays = g.salaryCreditLateDays;
  if (g.salaryCreditMissingMonths !== undefined) f.salaryCreditMissingMonths = g.salaryCreditMissingMonths;
  if (g.creditScore !== undefined) f.creditScore = g.creditScore;
  if (g.creditScore90dAgo !== undefined) f.creditScore90dAgo = g.creditScore90dAgo;
  if (g.creditScore !== undefined && g.creditScore90dAgo !== undefined) f.creditScoreDrop = g.creditScore90dAgo - g.creditScore;
  if (g.minimumPaymentStreak !== undefined) f.minimumPaymentStreak = g.minimumPaymentStreak;
  if (g.utilisation !== undefined) f.utilisation = g.utilisation;
  if (g.utilisation90dAgo !== undefined) f.utilisation90dAgo = g.utilisation90dAgo;
  if (g.utilisation !== undefined && g.utilisation90dAgo !== undefined) f.utilisationRise = differenceText(g.utilisation, g.utilisation90dAgo);
  if (g.autopayCancelledAt !== undefined) f.autopayCancelledDaysAgo = daysBetween(g.autopayCancelledAt, s.asOf);
  if (g.overdraftDaysLast30 !== undefined) f.overdraftDaysLast30 = g.overdraftDaysLast30;
  if (g.externalArrears !== undefined) f.externalArrears = g.externalArrears;
  if (g.missedPaymentsLast12m !== undefined) f.missedPaymentsLast12m = g.missedPaymentsLast12m;
  if (s.monthlyIncome !== undefined && isPositive(s.monthlyIncome)) f.paymentToIncome = quotientText(s.currentScheduledPayment, s.monthlyIncome);
  return f;
}
