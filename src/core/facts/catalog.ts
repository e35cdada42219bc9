/**
 * Every fact a rule may name. Facts are derived from the application before the rules run, so the
 * engine never does I/O or arithmetic; a rule naming a fact missing from here is a load-time error.
 *
 * scope: `application` facts are the same for every option; `option` facts are computed per option
 * (its plan, its documents); `outcome` facts exist only for PENALTY_WAIVER and ACCOUNT_ACTION rules,
 * which run after the plan options are decided.
 */
export type FactType = 'decimal' | 'integer' | 'boolean' | 'date' | 'enum' | 'list';
export type FactScope = 'application' | 'option' | 'outcome';

export interface FactDef {
  type: FactType;
  scope: FactScope;
  description: string;
  values?: readonly string[];
  /** Shown as a percentage in reason texts. */
  ratio?: boolean;
  money?: boolean;
}

const DECISIONS = ['APPROVE', 'COUNTEROFFER', 'REFER', 'DECLINE', 'PENDING_DOCUMENTS'] as const;
const REASONS = ['UNEMPLOYMENT', 'INCOME_REDUCTION', 'SERIOUS_ILLNESS', 'DISABILITY', 'DEATH_OF_EARNER', 'DISASTER', 'BUSINESS_FAILURE', 'DIVORCE', 'OTHER'] as const;

const app = (type: FactType, description: string, extra: Partial<FactDef> = {}): FactDef => ({ type, scope: 'application', description, ...extra });
const opt = (type: FactType, description: string, extra: Partial<FactDef> = {}): FactDef => ({ type, scope: 'option', description, ...extra });
const out = (type: FactType, description: string, extra: Partial<FactDef> = {}): FactDef => ({ type, scope: 'outcome', description, ...extra });

export const FACTS = {
  // as given
  jurisdiction: app('enum', 'Jurisdiction of the loan.', { values: ['CN', 'US'] }),
  fraudFlag: app('enum', 'Fraud flag from the fraud system.', { values: ['NONE', 'SUSPECTED', 'CONFIRMED'] }),
  falseDocumentFlag: app('boolean', 'A submitted document was found to be false.'),
  assetTransferFlag: app('boolean', 'Evidence of hiding or transferring assets.'),
  identityVerified: app('boolean', 'Borrower identity verified.'),
  incomeVerified: app('boolean', 'Borrower income verified.'),
  riskScore: app('integer', 'Internal risk score, 0–1000.'),
  riskScoreKeyFactors: app('list', 'Key factors of the score model, most important first.'),
  hardshipReason: app('enum', 'Stated hardship reason.', { values: REASONS }),
  hardshipNature: app('enum', 'Expected nature of the hardship.', { values: ['TEMPORARY', 'PERMANENT', 'UNKNOWN'] }),
  product: app('enum', 'Loan product.', { values: ['JIEBEI_CREDIT_LINE', 'CONSUMER_INSTALLMENT', 'CREDIT_CARD', 'MORTGAGE'] }),
  daysPastDue: app('integer', 'Days past due at receipt.'),
  monthsOnBook: app('integer', 'Months since origination.'),
  paymentsMade: app('integer', 'Scheduled payments made so far.'),
  remainingTermMonths: app('integer', 'Remaining contractual term.'),
  delinquencies30PlusLast12m: app('integer', '30+ day delinquencies in the last 12 months.'),
  delinquencies30PlusLast24m: app('integer', '30+ day delinquencies in the last 24 months.'),
  alreadyInInstallmentPlan: app('boolean', 'The balance is already on an installment plan.'),
  annualRate: app('decimal', 'Contract annual rate.', { ratio: true }),
  currentScheduledPayment: app('decimal', 'Current scheduled monthly payment.', { money: true }),
  accruedPenaltyInterest: app('decimal', 'Penalty interest accrued per the ledger.', { money: true }),
  desiredTermMonths: app('integer', 'Term the borrower asked for (missing when not asked).'),
  desiredGraceMonths: app('integer', 'Grace months the borrower asked for (missing when not asked).'),
  desiredMonthlyPayment: app('decimal', 'Monthly payment the borrower asked for (missing when not asked).', { money: true }),
  requestRateReduction: app('boolean', 'The borrower asked for a lower rate.'),
  requestWaiverPct: app('decimal', 'Share of penalty interest the borrower asked to waive (default 1.00).', { ratio: true }),
  waiverScope: app('enum', 'What the waiver request covers.', { values: ['PENALTY_ONLY', 'INCLUDES_INTEREST', 'INCLUDES_PRINCIPAL'] }),
  stepScheduleRequested: app('boolean', 'The borrower proposed step payments.'),
  guarantorOffered: app('boolean', 'A guarantor is offered.'),
  guarantorRiskScore: app('integer', 'Guarantor risk score (missing without guarantor).'),
  guarantorConsentSigned: app('boolean', 'Guarantor consent signed (missing without guarantor).'),
  collateralOffered: app('boolean', 'Collateral is offered.'),
  // derived
  receivedDate: app('date', 'Calendar date of receipt.'),
  incomeDropPct: app('decimal', '(incomeBefore − incomeAfter) / incomeBefore, 4 decimals.', { ratio: true }),
  currentDsr: app('decimal', '(currentScheduledPayment + other debt) / incomeAfter, 4 decimals.', { ratio: true }),
  exposure: app('decimal', 'Principal + accrued interest + penalty interest + fees.', { money: true }),
  goodFaith: app('boolean', 'Current at receipt, or contacted the lender before the first missed due date and never refused.'),
  contactedBeforeFirstMissedDue: app('boolean', 'An inbound contact happened before the first missed due date.'),
  noContactDays: app('integer', 'Days since the last successful contact when past due (0 when current).'),
  lastContactOutcome: app('enum', 'Outcome of the latest contact (missing when none).', { values: ['REACHED', 'NO_ANSWER', 'PROMISE_TO_PAY', 'REFUSED', 'RECORDED_AGREEMENT'] }),
  firstMissedDueDate: app('date', 'Earliest overdue due date (missing when current).'),
  brokenPlanLast12m: app('integer', 'Arrangements broken in the last 12 months.'),
  lastBrokenPlanDate: app('date', 'Latest broken arrangement date (missing when none).'),
  restructuringsLast24m: app('integer', 'Installment or personalised restructurings (active or completed) in the last 24 months.'),
  lastRestructuringDate: app('date', 'Latest restructuring effective date (missing when none).'),
  restructuringsLifetime: app('integer', 'Restructurings of any kind ever.'),
  workoutsLast5y: app('integer', 'Personalised plans in the last 5 years.'),
  graceMonthsLast24m: app('integer', 'Grace months granted in the last 24 months.'),
  priorWaiversLast12m: app('integer', 'Waivers granted in the last 12 months.'),
  isFirstTimeDelinquency: app('boolean', 'No 30+ delinquency in 24 months and no waiver in 12 months.'),
  hasActiveArrangement: app('boolean', 'A prior restructuring is still active.'),
  observationEndedCleanly: app('boolean', 'A prior restructuring observation period ended with no missed payment.'),
  recoveryDateKnown: app('boolean', 'The borrower gave an expected recovery date.'),
  monthsUntilRecovery: app('integer', 'Whole months from receipt to the expected recovery date (missing when unknown).'),
  hardshipDocumented: app('boolean', 'Every document the hardship reason needs is received and verified.'),
  incomeEvidenceVerified: app('boolean', 'Income before and after is evidenced by a verified income document and verified income.'),
  collateralCoverage: app('decimal', 'Σ appraised × (1 − haircut) of collateral valued within the age limit / restructured balance.', { ratio: true }),
  restructuredBalance: app('decimal', 'Outstanding principal + accrued contractual interest (capitalised).', { money: true }),
  documentsDueBy: app('date', 'Date by which missing documents are due.'),
  // forbearance (docs/domain.md#affordability-vulnerability-and-arrangements): each missing when its input is absent
  incomeExpenditureGiven: app('boolean', 'An income & expenditure statement was given (missing when not).'),
  incomeExpenditureVerified: app('boolean', 'The income & expenditure statement was verified (missing without one).'),
  disposableIncome: app('decimal', 'Σ income − Σ expenditure − other creditor payments from the I&E statement; may be negative (missing without one).', { money: true }),
  affordablePayment: app('decimal', 'disposableIncome × affordabilityShare, to the cent (missing without I&E).', { money: true }),
  flexibleSpend: app('decimal', 'Monthly food, transport, communications and other essentials from the I&E statement (missing without one).', { money: true }),
  flexibleSpendGuideline: app('decimal', 'guidelinePerAdult × adults + guidelinePerChild × children (missing without I&E).', { money: true }),
  flexibleSpendOverGuideline: app('boolean', 'Food, transport, communications and other essentials above the household guideline (missing without I&E).'),
  vulnerabilityPresent: app('boolean', 'The borrower is a vulnerable customer (missing when not stated); the details never become facts.'),
  moratoriumActive: app('boolean', 'A legal moratorium covers the receipt date (missing without a moratorium).'),
  moratoriumOpenEnded: app('boolean', 'The moratorium has no end yet (a mental-health-crisis moratorium without endDate; missing without a moratorium).'),
  moratoriumEnd: app('date', 'Last day of the moratorium (missing when none or open-ended).'),
  // per option
  missingDocumentCount: opt('integer', 'Documents this option needs that are not received and verified.'),
  missingDocuments: opt('list', 'Documents this option needs that are not received and verified.'),
  planAvailable: opt('boolean', 'A plan meeting the policy targets exists for this option.'),
  planTermMonths: opt('integer', 'Amortising months of the offered plan.'),
  planGraceMonths: opt('integer', 'Interest-only months of the offered plan.'),
  planTermFromAgreement: opt('integer', 'Months from agreement to the final plan payment, grace included.'),
  planPayment: opt('decimal', 'Regular (post-grace) payment of the offered plan.', { money: true }),
  planPaymentAtMaxTerm: opt('decimal', 'Payment at the longest term this option allows.', { money: true }),
  gracePayment: opt('decimal', 'Interest-only payment during grace.', { money: true }),
  graceDsr: opt('decimal', '(interest-only payment + other debt) / incomeAfter.', { ratio: true }),
  postPlanDsr: opt('decimal', '(largest plan payment in the first 12 months after grace + other debt) / income (recovered income for grace).', { ratio: true }),
  postPlanDsrAtMaxTerm: opt('decimal', 'postPlanDsr at the longest term this option allows.', { ratio: true }),
  paymentReductionPct: opt('decimal', '(current payment − plan payment) / current payment.', { ratio: true }),
  planAprIrr: opt('decimal', 'IRR APR of the plan cash flows (nominal, 6 decimals).', { ratio: true }),
  planAprExcessOverContract: opt('decimal', 'planAprIrr − contract annualRate (rounding of cents moves it by millionths).', { ratio: true }),
  negativeAmortisation: opt('boolean', 'A non-grace period pays less than its interest.'),
  termAdjusted: opt('boolean', 'The offered term or grace differs from what was asked.'),
  requestedTermMonths: opt('integer', 'Term or grace months asked for this option (default when not asked).'),
  stepShapeValid: opt('boolean', 'The proposed step schedule passes the shape checks (true without steps).'),
  guarantorDsr: opt('decimal', "Guarantor's (debt + this plan's payment) / income (missing without guarantor).", { ratio: true }),
  penaltyAccrued: opt('decimal', 'Penalty interest accrued on overdue principal to receipt (ACT/360).', { money: true }),
  // after the plan options are decided
  decisionInstallment: out('enum', 'Decision reached for INSTALLMENT.', { values: DECISIONS }),
  decisionGracePeriod: out('enum', 'Decision reached for GRACE_PERIOD.', { values: DECISIONS }),
  decisionPersonalisedPlan: out('enum', 'Decision reached for PERSONALISED_PLAN.', { values: DECISIONS }),
  decisionPenaltyWaiver: out('enum', 'Decision reached for PENALTY_WAIVER (ACCOUNT_ACTION rules only).', { values: DECISIONS }),
  anyPlanApproved: out('boolean', 'INSTALLMENT, GRACE_PERIOD or PERSONALISED_PLAN approved.'),
  permanentPlanApproved: out('boolean', 'INSTALLMENT or PERSONALISED_PLAN approved.'),
  allPlansDeclined: out('boolean', 'INSTALLMENT, GRACE_PERIOD and PERSONALISED_PLAN all declined.'),
} as const satisfies Record<string, FactDef>;

export type FactName = keyof typeof FACTS;
export type FactValue = string | number | boolean | string[] | undefined;
export type Facts = Partial<Record<FactName, FactValue>>;

export function isFact(name: string): name is FactName {
  return Object.prototype.hasOwnProperty.call(FACTS, name);
}
