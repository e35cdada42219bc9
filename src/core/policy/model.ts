import type { OptionType } from '../../generated/common.js';
import type { DocumentMatrix, PolicyMetadata, ReasonCode } from '../../generated/policy.js';
import type { ReasonTemplates } from '../explain/reasons.js';
import type { GrantTerms } from '../decide/waiver.js';
import type { FactName } from '../facts/catalog.js';
import type { ForbearanceParams } from '../forbearance/params.js';
import type { EngineParams } from './engine-params.js';

export type { OptionType };
export type PlanOption = 'INSTALLMENT' | 'GRACE_PERIOD' | 'PERSONALISED_PLAN';
export const PLAN_OPTIONS: readonly PlanOption[] = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN'];
export const DECIDED_OPTIONS = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'] as const;
export type DecidedOption = (typeof DECIDED_OPTIONS)[number];
/** The order decide() evaluates options in: each sees the decisions before it, and rules are listed in it. */
export const EVALUATION_ORDER: readonly OptionType[] = [...DECIDED_OPTIONS, 'ACCOUNT_ACTION'];

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

/**
 * What the engine derives from a policy's parameters and rules, built once by compilePolicy, so that no
 * module keeps a cache keyed by the policy: everything a policy version means to a decision is this one value.
 */
export interface PolicyDerived {
  /** The engine parameters, typed. */
  engine: EngineParams;
  /** The forbearance parameters, with the defaults of their absence. */
  forbearance: ForbearanceParams;
  rulesById: ReadonlyMap<string, CompiledRule>;
  /** Each waiver rule's share and cap, parsed, by rule id. */
  grantTerms: ReadonlyMap<string, GrantTerms>;
  /** The accrued penalty above which a waiver needs the enhanced documents, in cents (documents.enhancedWaiverAbove). */
  enhancedWaiverCents: bigint | undefined;
  /** Every reason text cut at its placeholders, parameters already written in. */
  reasonTemplates: ReasonTemplates;
}

/** A policy version parsed, validated and compiled, with what decisions derive from it (PolicyDerived). */
export interface CompiledPolicy extends PolicyDerived {
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
