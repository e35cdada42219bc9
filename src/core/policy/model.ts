import type { OptionType } from '../../generated/common.js';
import type { DocumentMatrix, PolicyMetadata, ReasonCode } from '../../generated/policy.js';
import type { FactName } from '../facts/catalog.js';

export type { OptionType };
export type PlanOption = 'INSTALLMENT' | 'GRACE_PERIOD' | 'PERSONALISED_PLAN';
export const PLAN_OPTIONS: readonly PlanOption[] = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN'];
export const DECIDED_OPTIONS = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'] as const;
export type DecidedOption = (typeof DECIDED_OPTIONS)[number];

export type Decision = 'APPROVE' | 'COUNTEROFFER' | 'REFER' | 'DECLINE' | 'PENDING_DOCUMENTS';
export type AccountAction = 'NONE' | 'RESTRICT_NEW_DRAWS' | 'FREEZE';
export type Security = 'NONE' | 'GUARANTOR' | 'COLLATERAL' | 'GUARANTOR_OR_COLLATERAL';

/** Strictest first: when rules disagree, the lower index wins. */
export const DECISION_STRICTNESS: readonly Decision[] = ['DECLINE', 'PENDING_DOCUMENTS', 'REFER', 'COUNTEROFFER', 'APPROVE'];
export const ACTION_STRICTNESS: readonly AccountAction[] = ['FREEZE', 'RESTRICT_NEW_DRAWS', 'NONE'];

export type ParamValue = string | number | boolean | (string | number | boolean)[];

/** A comparison value as the author wrote it: a literal, a parameter, or another fact. */
export type ValueSource =
  | { kind: 'literal'; value: ParamValue }
  | { kind: 'param'; name: string; value: ParamValue }
  | { kind: 'fact'; name: FactName };

export type ConditionNode =
  | { kind: 'all' | 'any'; children: ConditionNode[] }
  | { kind: 'not'; child: ConditionNode }
  | { kind: 'leaf'; fact: FactName; operator: string; engineOperator: string; value: ValueSource };

export interface CompiledRule {
  id: string;
  description: string;
  options: OptionType[];
  priority: number;
  condition: ConditionNode;
  outcome?: Decision | AccountAction;
  reasonCodes: string[];
  securityRequirement?: Security;
  securityProvided?: 'GUARANTOR' | 'COLLATERAL';
  offerConditions: string[];
  waiver?: { pct: string; cap?: string };
  /** Read the other fired rules' outcomes through this map (toward leniency only: a vulnerable customer's DECLINE becomes REFER). */
  replaceOutcome?: Partial<Record<Decision | AccountAction, Decision | AccountAction>>;
  /** Facts the rule reads, for coverage and warnings. */
  facts: FactName[];
  params: string[];
}

export interface CompiledPolicy {
  id: string;
  version: string;
  sha256: string;
  file: string;
  source: string;
  metadata: PolicyMetadata;
  params: Record<string, ParamValue>;
  reasonCodes: Record<string, ReasonCode>;
  documents: DocumentMatrix | undefined;
  defaults: { decision: Decision; reasonCodes: string[] };
  rules: CompiledRule[];
}
