import type { ReasonRef } from '../../generated/decision.js';
import type { Facts } from '../facts/catalog.js';
import type { Language } from '../explain/reasons.js';
import { rankReasons, renderReason } from '../explain/reasons.js';
import type { RuleEvaluation } from '../evaluate/explain-model.js';
import {
  ACTION_STRICTNESS,
  DECISION_STRICTNESS,
  type AccountAction,
  type CompiledPolicy,
  type CompiledRule,
  type Decision,
  type Security,
} from '../policy/model.js';

/** Most demanding first. */
const SECURITY_STRICTNESS: readonly Security[] = ['GUARANTOR', 'COLLATERAL', 'GUARANTOR_OR_COLLATERAL', 'NONE'];

export interface Reduced<T> {
  outcome: T;
  reasons: ReasonRef[];
}

/** The strictest of the rules' values (`valueOf`) by `order`, or `fallback` when no rule is stricter. */
function strictest<T>(order: readonly T[], rules: CompiledRule[], valueOf: (r: CompiledRule) => T, fallback: T): T {
  let best = fallback;
  for (const r of rules) {
    const v = valueOf(r);
    if (order.indexOf(v) < order.indexOf(best)) best = v;
  }
  return best;
}

/** A reason without its text (decidePlanOptions: book screening's offers read only the codes); ranked like a rendered one. */
function unrendered(policy: CompiledPolicy, code: string, lang: Language, ruleIds: string[]): ReasonRef {
  return { code, params: {}, rank: policy.reasonTemplates[lang].get(code)!.rank, ruleIds, text: '' };
}

/** Reason codes of the kept fired rules, rendered with the actual values (unless `texts` is false) and ranked. */
function reasonsOf(policy: CompiledPolicy, rules: CompiledRule[], facts: Facts, lang: Language, keep: (r: CompiledRule) => boolean, texts = true): ReasonRef[] {
  const byCode = new Map<string, string[]>();
  for (const r of rules) {
    if (!keep(r)) continue;
    for (const c of r.reasonCodes) {
      const ids = byCode.get(c);
      if (ids) ids.push(r.id);
      else byCode.set(c, [r.id]);
    }
  }
  const reasons: ReasonRef[] = [];
  for (const [code, ids] of byCode) reasons.push(texts ? renderReason(policy, code, facts, lang, ids) : unrendered(policy, code, lang, ids));
  return rankReasons(reasons);
}

/** The fired rules of an evaluation, looked up in the policy's rules by id (built at compile time; decide() asks five times a decision). */
export function firedRules(policy: CompiledPolicy, evaluations: RuleEvaluation[]): CompiledRule[] {
  const fired: CompiledRule[] = [];
  for (const e of evaluations) if (e.fired) fired.push(policy.rulesById.get(e.ruleId)!);
  return fired;
}

type Outcome = Decision | AccountAction;

/**
 * The fired rules' outcomes read through the fired `replaceOutcome` rules (a vulnerable customer's DECLINE
 * becomes REFER, a moratorium's FREEZE becomes NONE), and the replacing rules that changed one: their
 * reasons say why the outcome is milder. Maps only lead toward leniency, so chains end.
 */
function replaced(fired: CompiledRule[]): { outcomeOf: (r: CompiledRule) => Outcome; applied: Set<CompiledRule> } {
  const replacers = fired.filter((r) => r.replaceOutcome !== undefined);
  const applied = new Set<CompiledRule>();
  if (replacers.length === 0) return { outcomeOf: (r) => r.outcome as Outcome, applied };
  const memo = new Map<CompiledRule, Outcome>();
  const outcomeOf = (r: CompiledRule): Outcome => {
    const known = memo.get(r);
    if (known !== undefined) return known;
    let o = r.outcome as Outcome;
    for (let pass = 0; pass <= replacers.length; pass++) {
      let changed = false;
      for (const x of replacers) {
        const to: Outcome | undefined = x.replaceOutcome![o];
        if (to !== undefined && to !== o) {
          o = to;
          changed = true;
          applied.add(x);
        }
      }
      if (!changed) break;
    }
    memo.set(r, o);
    return o;
  };
  return { outcomeOf, applied };
}

/**
 * Strictest decision wins: DECLINE > PENDING_DOCUMENTS > REFER > COUNTEROFFER > APPROVE; no decision → the policy default.
 * `texts` false leaves the reasons' texts and values empty (same codes, same order).
 */
export function reduceDecision(policy: CompiledPolicy, fired: CompiledRule[], facts: Facts, lang: Language, texts = true): Reduced<Decision> {
  const decided = fired.filter((r) => r.outcome !== undefined);
  if (decided.length === 0) {
    return { outcome: policy.defaults.decision, reasons: rankReasons(policy.defaults.reasonCodes.map((c) => (texts ? renderReason(policy, c, facts, lang, []) : unrendered(policy, c, lang, [])))) };
  }
  const { outcomeOf, applied } = replaced(fired);
  const outcome = strictest(DECISION_STRICTNESS, decided, (r) => outcomeOf(r) as Decision, 'APPROVE' as Decision);
  return { outcome, reasons: reasonsOf(policy, fired, facts, lang, (r) => r.outcome !== undefined || applied.has(r), texts) };
}

/** Strictest account action wins: FREEZE > RESTRICT_NEW_DRAWS > NONE (after any replacement). */
export function reduceAction(policy: CompiledPolicy, fired: CompiledRule[], facts: Facts, lang: Language): Reduced<AccountAction> {
  const { outcomeOf, applied } = replaced(fired);
  const acting = fired.filter((r) => r.outcome !== undefined);
  const outcome = strictest(ACTION_STRICTNESS, acting, (r) => outcomeOf(r) as AccountAction, 'NONE' as AccountAction);
  return { outcome, reasons: reasonsOf(policy, fired, facts, lang, (r) => (r.outcome !== undefined && outcomeOf(r) === outcome && outcome !== 'NONE') || applied.has(r)) };
}

export function securityOf(fired: CompiledRule[]): { requirement: Security; satisfied: boolean } {
  const requirement = strictest(SECURITY_STRICTNESS, fired, (r) => r.securityRequirement ?? 'NONE', 'NONE' as Security);
  const satisfied =
    requirement === 'NONE' ||
    (requirement === 'GUARANTOR_OR_COLLATERAL' ? fired.some((r) => r.securityProvided !== undefined) : fired.some((r) => r.securityProvided === requirement));
  return { requirement, satisfied };
}
