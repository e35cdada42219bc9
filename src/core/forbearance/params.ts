import { canonicalDecimal } from '../policy/compile-condition.js';
import type { ParamValue } from '../policy/model.js';
import type { AffordabilityParams } from './affordability.js';
import { DEFAULT_MORATORIUM, type MoratoriumParams } from './moratorium.js';
import { DEFAULT_STATUS_RULES, type StatusRules } from '../arrangements/status.js';

/**
 * Parameters the engine reads for forbearance (docs/domain.md#affordability-vulnerability-and-arrangements), all optional so that a policy written before
 * them (1.0.0) loads and decides as it did: without them the facts they feed are missing and the plans
 * unchanged. The moratorium lengths are the law's; a policy may only restate them.
 */
export const FORBEARANCE_PARAMS = {
  affordabilityShare: { type: 'ratio', description: 'Share of disposable income a plan may take.' },
  guidelinePerAdult: { type: 'money', description: 'Monthly flexible-spend guideline per adult.' },
  guidelinePerChild: { type: 'money', description: 'Monthly flexible-spend guideline per child.' },
  vulnerableGraceExtraMonths: { type: 'months', description: 'Grace months added to graceMaxMonths for a vulnerable customer.' },
  moratoriumStandardDays: { type: 'days', description: 'Length of a STANDARD moratorium without an end date.' },
  moratoriumCrisisExtraDays: { type: 'days', description: 'Days a mental-health-crisis moratorium runs after its end date.' },
  trialPayments: { type: 'count', description: 'Scheduled payments an arrangement must keep to leave TRIAL.' },
  paymentToleranceDays: { type: 'days', description: 'Days after its due date a payment still counts as kept.' },
  brokenAfterDays: { type: 'days', description: 'Days a scheduled payment may stay unpaid before the arrangement is BROKEN.' },
  probationMonths: { type: 'months', description: 'Months of kept payments after which the forborne flag is lifted (PROBATION_PASSED).' },
} as const;

export type ForbearanceParamName = keyof typeof FORBEARANCE_PARAMS;

export interface ForbearanceParams {
  affordability: AffordabilityParams;
  vulnerableGraceExtraMonths: number;
  moratorium: MoratoriumParams;
  arrangement: StatusRules;
}

/** The forbearance parameters of a validated policy's parameters, with the defaults of their absence; built once, at compile time. */
export function forbearanceParamsOf(params: Readonly<Record<string, ParamValue>>): ForbearanceParams {
  const dec = (name: ForbearanceParamName): string | undefined => (params[name] === undefined ? undefined : canonicalDecimal(params[name]));
  const int = (name: ForbearanceParamName, fallback: number): number => (typeof params[name] === 'number' ? (params[name] as number) : fallback);
  return {
    affordability: { affordabilityShare: dec('affordabilityShare'), guidelinePerAdult: dec('guidelinePerAdult'), guidelinePerChild: dec('guidelinePerChild') },
    vulnerableGraceExtraMonths: int('vulnerableGraceExtraMonths', 0),
    moratorium: { standardDays: int('moratoriumStandardDays', DEFAULT_MORATORIUM.standardDays), crisisExtraDays: int('moratoriumCrisisExtraDays', DEFAULT_MORATORIUM.crisisExtraDays) },
    arrangement: {
      trialPayments: int('trialPayments', DEFAULT_STATUS_RULES.trialPayments),
      paymentToleranceDays: int('paymentToleranceDays', DEFAULT_STATUS_RULES.paymentToleranceDays),
      brokenAfterDays: int('brokenAfterDays', DEFAULT_STATUS_RULES.brokenAfterDays),
      probationMonths: int('probationMonths', DEFAULT_STATUS_RULES.probationMonths),
    },
  };
}
