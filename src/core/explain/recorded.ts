import type { DecisionResult } from '../../generated/decision.js';
import type { RecordedDecision } from '../../generated/recorded-decision.js';
import { TideoverError } from '../errors.js';
import type { Evaluator } from '../evaluate/evaluator.js';
import type { RuleEvaluation } from '../evaluate/explain-model.js';
import type { Facts } from '../facts/catalog.js';
import { EVALUATION_ORDER, type OptionType } from '../policy/model.js';

/**
 * A decision as the audit trail keeps it (schemas/recorded-decision.schema.json): everything the caller got
 * except `explanation.rules`.
 *
 * The rule-by-rule trees are ~85 % of a decision's JSON, yet they are a pure function of the recorded
 * facts (`explanation.facts`) and the policy (kept once per sha256 as a snapshot): each option's rules
 * are evaluated over the shared facts merged with that option's own. So the trail records the facts and
 * the fired rules, hash-chains those, and rebuilds the trees on read.
 */
export type { RecordedDecision };

export function recordedForm(decision: DecisionResult): RecordedDecision {
  const { rules: _rebuiltOnRead, ...explanation } = decision.explanation;
  return { ...decision, explanation };
}

/** The facts one option was evaluated over: the shared facts, then the option's own (later keys win). */
function factsOf(shared: Facts, own: Facts): Facts {
  const out: Record<string, unknown> = {};
  for (const k in shared) out[k] = shared[k as keyof Facts];
  for (const k in own) out[k] = own[k as keyof Facts];
  return out as Facts;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/**
 * The full decision from its recorded form: each option's rules are evaluated again, in the order the
 * decision evaluated them (not the key order of `explanation.facts`: the trail stores canonical JSON, keys
 * sorted). The rebuilt explanation must fire
 * exactly the rules the record says fired, per option and overall, or the record and its policy disagree.
 * A record that already carries its rules (written before compact recording) is returned as it is.
 */
export async function expandRecorded(recorded: RecordedDecision, evaluator: Evaluator): Promise<DecisionResult> {
  const { explanation } = recorded;
  if (Array.isArray(explanation.rules)) return recorded as DecisionResult;
  const { application: shared = {}, ...byOption } = explanation.facts as Record<string, Facts>;
  const firedPerOption = new Map<string, string[]>(recorded.options.map((o) => [o.option, o.firedRules]));
  firedPerOption.set('ACCOUNT_ACTION', recorded.accountAction.firedRules);
  const rules: RuleEvaluation[] = [];
  const unknown = Object.keys(byOption).filter((o) => !EVALUATION_ORDER.includes(o as OptionType));
  if (unknown.length) throw inconsistent(recorded, `facts recorded for unknown options ${unknown.join(', ')}`);
  for (const option of EVALUATION_ORDER) {
    const own = byOption[option];
    if (!own) continue;
    const evaluated = await evaluator.evaluate(option, factsOf(shared, own));
    const fired = evaluated.filter((r) => r.fired).map((r) => r.ruleId);
    const expected = firedPerOption.get(option);
    if (!expected || !sameMembers(fired, expected)) throw inconsistent(recorded, `${option} fires ${fired.join(', ') || 'no rule'} but the record says ${expected?.join(', ') || 'none'}`);
    rules.push(...evaluated);
  }
  const fired = [...new Set(rules.filter((r) => r.fired).map((r) => r.ruleId))];
  if (fired.join('\n') !== explanation.firedRules.join('\n')) throw inconsistent(recorded, `fired rules ${fired.join(', ')} differ from the recorded ${explanation.firedRules.join(', ')}`);
  return { ...recorded, explanation: { facts: explanation.facts, firedRules: explanation.firedRules, rules } };
}

function inconsistent(recorded: RecordedDecision, detail: string): TideoverError {
  return new TideoverError('AUDIT_RECORD_INCONSISTENT', `Decision ${recorded.decisionId}: its policy snapshot, applied to its recorded facts, does not give its recorded rules: ${detail}.`);
}
