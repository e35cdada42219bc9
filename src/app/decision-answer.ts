import { canonicalForm, type CanonicalForm } from '../core/canonical-json.js';
import { recordedForm } from '../core/explain/recorded.js';
import { rulesJsonParts } from '../core/explain/json.js';
import type { DecisionResult } from '../generated/decision.js';

export type ExplainLevel = 'full' | 'fired' | 'none';

/**
 * The decision as the audit trail encodes it (recordedForm: everything but the rule trees) in canonical
 * JSON, members sorted: the answer is this text with the rules the caller asked for written into the
 * explanation, so the decision is serialised once for both, and what the caller got, rules aside, is the
 * text the trail hashes.
 */
export function answerForm(decision: DecisionResult): CanonicalForm {
  // Remembered: the record is handed this value and finds its text (recordedForm makes a new object; its parts are not changed after).
  return canonicalForm(recordedForm(decision), true);
}

/**
 * The answer's text, as three pieces to be written in turn (see sendJsonParts): the canonical text of the
 * decision without its rules up to where its explanation closes, the rules the explain level keeps there, and
 * the rest of that text. The
 * explanation's members sort as facts, firedRules, rules, so `rules` is its last member; the members of the
 * rule trees keep the evaluators' order.
 */
export function decisionAnswer(decision: DecisionResult, explain: ExplainLevel, form: CanonicalForm = answerForm(decision)): string[] {
  const all = decision.explanation.rules;
  const rules = explain === 'full' ? all : explain === 'fired' ? all.filter((r) => r.fired) : [];
  const text = form.text;
  const at = explanationEnd(text, decision.explanation.firedRules);
  // The rules as one piece: Array#join writes a flat string at once, and every piece costs the socket's
  // stream a write of its own (a full answer's ~100 rules written one by one cost more than joining them).
  const rulesText = [',"rules":'];
  rulesJsonParts(rules, rulesText);
  return [text.slice(0, at), rulesText.join(''), text.slice(at)];
}

/**
 * Where the explanation object closes in the canonical text: `"explanation":{"facts":{…},"firedRules":[…]}`,
 * found as the first `"firedRules":[…]}` with its own fired rules after the explanation's key. The facts
 * before it are JSON, where a quote inside a string is escaped, so no value can imitate either key.
 */
function explanationEnd(text: string, firedRules: readonly string[]): number {
  const start = text.indexOf('"explanation":{"facts":');
  const tail = `,"firedRules":${JSON.stringify(firedRules)}}`;
  const at = start < 0 ? -1 : text.indexOf(tail, start);
  if (at < 0) throw new Error('the decision has no explanation of the recorded shape (facts, firedRules)');
  return at + tail.length - 1;
}
