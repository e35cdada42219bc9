import type { RestructuringApplication } from '../../generated/application.js';
import type { LoanSnapshot } from '../../generated/loan-snapshot.js';
import { addDays, addMonthsClamped } from '../money/dates.js';
import type { Screening } from './model.js';

/**
 * What a pre-application assumes where the snapshot is silent (docs/screening.md lists every field).
 * Constants, not policy parameters: they describe the mapping, and changing one changes every offer.
 */
export const PRE_APPLICATION_ASSUMPTIONS = {
  /** Risk score when the snapshot has no creditScore. */
  riskScore: 600,
  /** A year on book: the snapshot carries no origination date. */
  monthsOnBook: 12,
  penaltyRateMultiplier: '1.5',
  /** Local time of day the offer is computed at on asOf, in China Standard Time. */
  receivedAtTime: 'T09:00:00+08:00',
} as const;

/**
 * The application the borrower would send if they asked today, built from a snapshot so the decision
 * policy can compute the proactive offer. Income is the latest known (unverified); a missing salary
 * credit is read as the income having stopped. No documents are on file, so the offer lists them all.
 */
export function preApplication(s: LoanSnapshot, screening: Screening): RestructuringApplication {
  const a = PRE_APPLICATION_ASSUMPTIONS;
  const g = s.signals;
  const income = s.monthlyIncome ?? '0.00';
  const salaryStopped = (g.salaryCreditMissingMonths ?? 0) >= 1;
  const missed = g.missedPaymentsLast12m ?? 0;
  return {
    applicationId: s.loanId,
    receivedAt: `${s.asOf}${a.receivedAtTime}`,
    jurisdiction: 'CN',
    borrower: {
      borrowerId: s.borrowerId,
      identityVerified: true,
      riskScore: g.creditScore ?? a.riskScore,
      riskScoreKeyFactors: screening.reasons.slice(0, 4).map((r) => r.text.en.slice(0, 200)) as RestructuringApplication['borrower']['riskScoreKeyFactors'],
      monthlyIncomeBefore: income,
      monthlyIncomeAfter: salaryStopped ? '0.00' : income,
      incomeVerified: false,
      monthlyDebtServiceOther: '0.00',
      hardship: {
        reason: salaryStopped ? 'UNEMPLOYMENT' : 'INCOME_REDUCTION',
        nature: 'UNKNOWN',
        startDate: s.asOf,
        statement: 'Pre-application from book screening: to be confirmed with the borrower.',
      },
      fraudFlag: s.fraudFlag,
      falseDocumentFlag: false,
      assetTransferFlag: false,
    },
    loan: {
      loanId: s.loanId,
      product: s.product,
      repaymentMethod: s.repaymentMethod,
      originationDate: addMonthsClamped(s.asOf, -a.monthsOnBook),
      monthsOnBook: a.monthsOnBook,
      paymentsMade: Math.max(1, a.monthsOnBook - missed),
      outstandingPrincipal: s.outstandingPrincipal,
      accruedInterest: s.accruedInterest,
      accruedPenaltyInterest: '0.00',
      feesOutstanding: '0.00',
      annualRate: s.annualRate,
      penaltyRateMultiplier: a.penaltyRateMultiplier,
      remainingTermMonths: s.remainingTermMonths,
      currentScheduledPayment: s.currentScheduledPayment,
      nextDueDate: s.nextDueDate,
      daysPastDue: s.daysPastDue,
      overdueItems: s.daysPastDue > 0 ? [{ dueDate: addDays(s.asOf, -s.daysPastDue), principal: s.currentScheduledPayment, interest: '0.00' }] : [],
      delinquencies30PlusLast12m: 0,
      delinquencies30PlusLast24m: 0,
      alreadyInInstallmentPlan: false,
      priorRestructurings: [],
      priorWaivers: [],
    },
    request: { options: ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN'] },
  };
}
