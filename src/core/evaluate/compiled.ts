import type { Facts } from '../facts/catalog.js';
import type { CompiledPolicy, CompiledRule, OptionType } from '../policy/model.js';
import type { Outcome } from './condition-closures.js';
import { enginePriority, settleTurns } from './engine-order.js';
import type { Evaluator } from './evaluator.js';
import type { RuleEvaluation } from './explain-model.js';
import { FactSlots, type Loader } from './fact-slots.js';
import { MemoRule } from './memo-rule.js';

/**
 * The policy's condition trees compiled to plain closures, evaluated synchronously with no
 * json-rules-engine at run time. Each closure computes its condition's result and its explanation
 * node in one pass, and the results are exactly those of the reference `JreEvaluator` (deep-equal,
 * same order, same JSON key order) for any facts. What json-rules-engine 7.3 does, and this mirrors:
 *
 * - Every condition is evaluated. Conditions carry no priority, so all/any put all their children in
 *   one priority set, run them in parallel (Promise.all) and only then combine them: nothing
 *   short-circuits. An empty all/any is true (both); an all/any of one child is that child.
 * - The root all/any/not is evaluated without `evaluateCondition`, so json-rules-engine never sets its
 *   `result`; both evaluators report the rule's own result there (passed when it fired). Every node is
 *   passed/failed, and a leaf whose fact value is `undefined` is `fact_missing` (its `actual` is null).
 * - Rules run in priority sets, highest first; within a set they run in parallel and their results
 *   are recorded in the order their promise chains settle: by the number of microtask turns each
 *   rule's tree takes (`settleTurns`, static: it depends only on the tree's shape), ties in insertion
 *   order. The reference then lists fired rules first, then the others, each in that order.
 *
 * Comparisons use the operator implementations of operators.ts, with the common cases precomputed:
 * decimal parameters are parsed once and compared digit by digit with plain decimal strings (exact,
 * no decimal.js); anything else (numbers, exponents, invalid input) takes the shared implementation.
 */

interface CompiledEntry {
  id: string;
  outcome: CompiledRule['outcome'];
  rule: MemoRule;
  /**
   * The entry's last evaluation. MemoRule gives the same tree object while the facts it reads are the same,
   * and then the rule's evaluation is the same too: it is reused, as the tree is, instead of a new object
   * per rule per option per decision (evaluations are never mutated, see MemoRule).
   */
  last: RuleEvaluation | undefined;
}

interface CompiledOption {
  /** The rules in the order json-rules-engine records their results. */
  entries: CompiledEntry[];
  load: Loader;
}

export class CompiledEvaluator implements Evaluator {
  private readonly byOption = new Map<OptionType, CompiledOption>();
  /** The values of the facts being evaluated, at their FactSlots slots. */
  private readonly values: unknown[];
  /** Where the last node function evaluated leaves its result. */
  private readonly out: Outcome = { passed: false };

  constructor(policy: CompiledPolicy) {
    const slots = new FactSlots();
    const compiled = new Map<CompiledRule, MemoRule>();
    const pending = new Map<OptionType, { rule: CompiledRule; priority: number; turns: number; index: number }[]>();
    for (const rule of policy.rules) {
      const priority = enginePriority(rule.priority);
      const turns = settleTurns(rule.condition);
      compiled.set(rule, new MemoRule(rule.condition, slots, this.out));
      for (const option of rule.options) {
        let list = pending.get(option);
        if (!list) pending.set(option, (list = []));
        list.push({ rule, priority, turns, index: list.length });
      }
    }
    for (const [option, list] of pending) {
      list.sort((x, y) => y.priority - x.priority || x.turns - y.turns || x.index - y.index);
      this.byOption.set(option, {
        entries: list.map(({ rule }): CompiledEntry => ({ id: rule.id, outcome: rule.outcome, rule: compiled.get(rule)!, last: undefined })),
        load: slots.loader(list.map(({ rule }) => rule.condition)),
      });
    }
    this.values = new Array<unknown>(slots.size).fill(undefined);
  }

  /**
   * Synchronous evaluation: fired rules first, then the rest, as the reference orders them. With `firedOnly`,
   * only the fired rules, in the same order: the rules that did not fire are tested without their trees.
   */
  evaluateSync(option: OptionType, facts: Facts, firedOnly = false): RuleEvaluation[] {
    const compiled = this.byOption.get(option);
    if (!compiled) return [];
    const { entries: list, load } = compiled;
    const { values, out } = this;
    load(facts, values);
    const fired: RuleEvaluation[] = [];
    let failed: RuleEvaluation[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (firedOnly && !e.rule.passes(values)) continue;
      const conditions = e.rule.evaluate(values);
      let r = e.last;
      if (r === undefined || r.conditions !== conditions) e.last = r = { ruleId: e.id, option, fired: out.passed, outcome: e.outcome, conditions };
      if (r.fired) fired.push(r);
      else (failed ??= []).push(r);
    }
    if (failed) for (let i = 0; i < failed.length; i++) fired.push(failed[i]!);
    return fired;
  }

  evaluate(option: OptionType, facts: Facts, firedOnly = false): Promise<RuleEvaluation[]> {
    try {
      return Promise.resolve(this.evaluateSync(option, facts, firedOnly));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
