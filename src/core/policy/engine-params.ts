/**
 * Parameters the core itself reads while building plans and dates (the rest are read by rules).
 * A policy that lacks one, or gives it the wrong type, is refused at load time with its location.
 */
export type EngineParamType = 'ratio' | 'months' | 'days' | 'monthList' | 'count';

export const ENGINE_PARAMS = {
  installmentTerms: { type: 'monthList', description: 'Installment terms offered, in months.' },
  installmentMaxTermMonths: { type: 'months', description: 'Longest installment term.' },
  graceAutoMaxMonths: { type: 'months', description: 'Grace months offered when none are asked.' },
  graceMaxMonths: { type: 'months', description: 'Most grace months ever offered (counteroffer cap).' },
  graceCumulativeMaxMonths: { type: 'months', description: 'Most grace months within 24 months.' },
  personalisedMaxTermMonths: { type: 'months', description: 'Longest personalised plan, grace included.' },
  paymentReductionTarget: { type: 'ratio', description: 'Payment reduction the term solver aims for.' },
  dsrApproveMax: { type: 'ratio', description: 'Debt-service ratio the term solver must reach.' },
  postPlanDsrWindowMonths: { type: 'months', description: 'Window after grace in which the largest payment counts for DSR.' },
  documentsDueDays: { type: 'days', description: 'Days the borrower has to send missing documents.' },
  acknowledgementBusinessDays: { type: 'days', description: 'Business days to acknowledge the application.' },
  decisionDueDays: { type: 'days', description: 'Days to decide a complete application.' },
  offerValidDays: { type: 'days', description: 'Days an offer stays open.' },
  appealDays: { type: 'days', description: 'Days to appeal a decline.' },
  observationMonths: { type: 'months', description: 'Minimum observation period after restructuring.' },
  observationPayments: { type: 'count', description: 'Minimum consecutive payments in observation.' },
  collateralHaircutDeposit: { type: 'ratio', description: 'Haircut on deposits.' },
  collateralHaircutRealEstate: { type: 'ratio', description: 'Haircut on real estate.' },
  collateralHaircutVehicle: { type: 'ratio', description: 'Haircut on vehicles.' },
  collateralHaircutOther: { type: 'ratio', description: 'Haircut on other collateral.' },
  collateralValuationMaxAgeDays: { type: 'days', description: 'Oldest valuation accepted.' },
} as const satisfies Record<string, { type: EngineParamType; description: string }>;

export type EngineParamName = keyof typeof ENGINE_PARAMS;

type TsOf<T extends EngineParamType> = T extends 'monthList' ? number[] : T extends 'ratio' ? string : number;

/** Typed view of the engine parameters after validation: ratios and money as decimal strings. */
export type EngineParams = { [K in EngineParamName]: TsOf<(typeof ENGINE_PARAMS)[K]['type']> };
