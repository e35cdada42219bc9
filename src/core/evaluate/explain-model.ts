// The explanation's shapes come from schemas/decision.schema.json (one source of truth).
export type { ExplainNode, RuleEvaluationResult as RuleEvaluation } from '../../generated/decision.js';
import type { ExplainNode } from '../../generated/decision.js';

/** passed / failed as evaluated; not_evaluated when all/any short-circuited; fact_missing when the input lacked it. */
export type ConditionState = ExplainNode['state'];
