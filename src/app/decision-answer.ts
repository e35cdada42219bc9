import { decisionJson } from '../core/explain/json.js';
import type { DecisionResult } from '../generated/decision.js';

export type ExplainLevel = 'full' | 'fired' | 'none';

/** The decision as the caller asked to see it, as JSON text: the trail keeps what rebuilds the whole explanation either way. */
export function decisionAnswer(decision: DecisionResult, explain: ExplainLevel): string {
  const rules = explain === 'full' ? decision.explanation.rules : explain === 'fired' ? decision.explanation.rules.filter((r) => r.fired) : [];
  return decisionJson(explain === 'full' ? decision : { ...decision, explanation: { ...decision.explanation, rules } });
}
