import type { RestructuringApplication } from '../../generated/application.js';
import { addDays, addMonthsClamped, daysBetween, dateOf, isValidIsoDate } from '../money/dates.js';
import { parseMoney } from '../money/decimal.js';
import type { EngineParams } from '../policy/engine-params.js';
import type { CompiledPolicy } from '../policy/model.js';
import type { Facts } from './catalog.js';
import { hardshipDocumented, incomeEvidenceVerified } from './documents.js';
import { contactFacts, historyFacts } from './history.js';
import { formatCents as money } from '../money/decimal.js';
import { ratio, ratioTimesCents } from '../money/exact-decimal.js';
import { circumstanceFacts, type Circumstances } from '../forbearance/circumstances.js';

/** Amounts read once from the application, as integer cents. */
export interface Amounts {
  principal: bigint;
  accruedInterest: bigint;
  penalty: bigint;
  fees: bigint;
  incomeBefore: bigint;
  incomeAfter: bigint;
  otherDebt: bigint;
  currentPayment: bigint;
  /** Principal plus accrued contractual interest: what a plan re-amortises (penalties never). */
  restructuredBalance: bigint;
}

export function amountsOf(app: RestructuringApplication): Amounts {
  const { loan, borrower } = app;
  const principal = parseMoney(loan.outstandingPrincipal);
  const accruedInterest = parseMoney(loan.accruedInterest);
  return {
    principal,
    accruedInterest,
    penalty: parseMoney(loan.accruedPenaltyInterest),
    fees: parseMoney(loan.feesOutstanding),
    incomeBefore: parseMoney(borrower.monthlyIncomeBefore),
    incomeAfter: parseMoney(borrower.monthlyIncomeAfter),
    otherDebt: parseMoney(borrower.monthlyDebtServiceOther),
    currentPayment: parseMoney(loan.currentScheduledPayment),
    restructuredBalance: principal + accruedInterest,
  };
}

const MAX_MONTHS = 1200;

/**
 * Whole months from `from` to `to`, rounded up (a recovery mid-month counts as that month): the first n
 * (at most 1200) with addMonthsClamped(from, n) ≥ to. Months before to's month fall short, so n is the
 * month difference or one more; only those candidates are computed (ISO dates compare as strings).
 */
function monthsUntil(from: string, to: string): number {
  if (to <= from) return 0;
  if (!isValidIsoDate(from) || !isValidIsoDate(to)) return monthsUntilByStepping(from, to);
  const n0 = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
  if (n0 >= MAX_MONTHS) return MAX_MONTHS;
  if (addMonthsClamped(from, n0) >= to) return n0;
  addMonthsClamped(from, n0 + 1); // as stepping would: throws past the year 9999
  return n0 + 1;
}

/** The definition, one month at a time (for inputs that are not plain dates: same errors). */
function monthsUntilByStepping(from: string, to: string): number {
  let n = 0;
  while (addMonthsClamped(from, n) < to && n < MAX_MONTHS) n++;
  return n;
}

function collateralCoverage(app: RestructuringApplication, p: EngineParams, today: string, balance: bigint): string {
  const haircut: Record<string, string> = {
    DEPOSIT: p.collateralHaircutDeposit,
    REAL_ESTATE: p.collateralHaircutRealEstate,
    VEHICLE: p.collateralHaircutVehicle,
    OTHER: p.collateralHaircutOther,
  };
  let value = 0n;
  for (const c of app.collateral ?? []) {
    const age = daysBetween(c.valuationDate, today);
    if (age < 0 || age > p.collateralValuationMaxAgeDays) continue;
    const appraised = parseMoney(c.appraisedValue);
    value += appraised - ratioTimesCents(haircut[c.type] ?? '1', appraised);
  }
  return ratio(value, balance);
}

/** Facts that are the same for every option (docs/domain.md#derived-facts). */
export function applicationFacts(app: RestructuringApplication, policy: CompiledPolicy, p: EngineParams, a: Amounts, circumstances?: Circumstances): Facts {
  const today = dateOf(app.receivedAt);
  const { borrower, loan, request } = app;
  const recovery = borrower.hardship.expectedRecoveryDate;
  // What can fail on malformed input is computed first, in the order the facts are listed, so the
  // first problem is the one reported.
  const desiredPayment = request.desiredMonthlyPayment === undefined ? undefined : money(parseMoney(request.desiredMonthlyPayment));
  const coverage = collateralCoverage(app, p, today, a.restructuredBalance);
  const monthsUntilRecovery = recovery === undefined ? undefined : monthsUntil(today, recovery);
  const documentsDueBy = addDays(today, p.documentsDueDays);
  const h = historyFacts(app, today, p.observationMonths);
  const c = contactFacts(app, today);
  const facts: Facts = {
    jurisdiction: app.jurisdiction,
    fraudFlag: borrower.fraudFlag,
    falseDocumentFlag: borrower.falseDocumentFlag,
    assetTransferFlag: borrower.assetTransferFlag,
    identityVerified: borrower.identityVerified,
    incomeVerified: borrower.incomeVerified,
    riskScore: borrower.riskScore,
    riskScoreKeyFactors: borrower.riskScoreKeyFactors,
    hardshipReason: borrower.hardship.reason,
    hardshipNature: borrower.hardship.nature,
    product: loan.product,
    daysPastDue: loan.daysPastDue,
    monthsOnBook: loan.monthsOnBook,
    paymentsMade: loan.paymentsMade,
    remainingTermMonths: loan.remainingTermMonths,
    delinquencies30PlusLast12m: loan.delinquencies30PlusLast12m,
    delinquencies30PlusLast24m: loan.delinquencies30PlusLast24m,
    alreadyInInstallmentPlan: loan.alreadyInInstallmentPlan,
    annualRate: loan.annualRate,
    currentScheduledPayment: money(a.currentPayment),
    accruedPenaltyInterest: money(a.penalty),
    desiredTermMonths: request.desiredTermMonths,
    desiredGraceMonths: request.desiredGraceMonths,
    desiredMonthlyPayment: desiredPayment,
    requestRateReduction: request.requestRateReduction ?? false,
    requestWaiverPct: request.requestWaiverPct ?? '1.00',
    waiverScope: request.waiverScope ?? 'PENALTY_ONLY',
    stepScheduleRequested: (request.stepSchedule?.length ?? 0) > 0,
    guarantorOffered: app.guarantor !== undefined,
    guarantorRiskScore: app.guarantor?.riskScore,
    guarantorConsentSigned: app.guarantor?.consentSigned,
    collateralOffered: (app.collateral?.length ?? 0) > 0,
    receivedDate: today,
    incomeDropPct: a.incomeBefore > 0n && a.incomeAfter < a.incomeBefore ? ratio(a.incomeBefore - a.incomeAfter, a.incomeBefore) : '0.0000',
    currentDsr: ratio(a.currentPayment + a.otherDebt, a.incomeAfter),
    exposure: money(a.principal + a.accruedInterest + a.penalty + a.fees),
    restructuredBalance: money(a.restructuredBalance),
    collateralCoverage: coverage,
    recoveryDateKnown: recovery !== undefined,
    monthsUntilRecovery,
    hardshipDocumented: hardshipDocumented(policy.documents, app),
    incomeEvidenceVerified: incomeEvidenceVerified(app),
    documentsDueBy,
    // Listed rather than spread in: V8 adds spread keys to a literal this size one slow step at a time.
    brokenPlanLast12m: h.brokenPlanLast12m,
    lastBrokenPlanDate: h.lastBrokenPlanDate,
    restructuringsLast24m: h.restructuringsLast24m,
    lastRestructuringDate: h.lastRestructuringDate,
    restructuringsLifetime: h.restructuringsLifetime,
    workoutsLast5y: h.workoutsLast5y,
    graceMonthsLast24m: h.graceMonthsLast24m,
    priorWaiversLast12m: h.priorWaiversLast12m,
    isFirstTimeDelinquency: h.isFirstTimeDelinquency,
    hasActiveArrangement: h.hasActiveArrangement,
    observationEndedCleanly: h.observationEndedCleanly,
    firstMissedDueDate: c.firstMissedDueDate,
    contactedBeforeFirstMissedDue: c.contactedBeforeFirstMissedDue,
    goodFaith: c.goodFaith,
    noContactDays: c.noContactDays,
    lastContactOutcome: c.lastContactOutcome,
  };
  // Forbearance facts only when their inputs are given: an application without them decides, and explains, as before.
  if (circumstances) {
    const extra = circumstanceFacts(circumstances, app);
    for (const k in extra) facts[k as keyof Facts] = extra[k as keyof Facts];
  }
  return facts;
}
