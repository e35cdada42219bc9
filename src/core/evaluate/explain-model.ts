// The explanation's shapes come from schemas/decision.schema.json (one source of truth).
export type { ExplainNode, RuleEvaluationResult as RuleEvaluation } from '../../generated/decision.js';
import type { ExplainNode } from '../../generated/decision.js';

/**
 * passed / failed as evaluated; fact_missing when the input lacked the fact; not_evaluated when the engine
 * left a condition without a result (json-rules-engine 7 evaluates every condition, so leaves rarely are).
 */
export type ConditionState = ExplainNode['state'];
