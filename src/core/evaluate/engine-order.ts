// The order in which json-rules-engine 7.3 records rule results, computed statically from each tree's shape.
import type { ConditionNode } from '../policy/model.js';

/**
 * Microtask turns from `evaluateCondition(node)` being called to its promise settling in
 * json-rules-engine 7.3 (rule.js, condition.js, almanac.js): a leaf is Promise.all of two resolved
 * values (+1), `.then` (+1) and evaluateCondition's `.then` (+1); an all/any of n ≥ 2 children
 * starts them in a `.then` of a resolved cursor (+1), waits for Promise.all (+1) and its `.then` (+1),
 * adopts that promise from inside the cursor's `.then` (+1: NewPromiseResolveThenableJob), and
 * evaluateCondition's `.then` adds one more.
 */
function evalTurns(node: ConditionNode): number {
  return node.kind === 'leaf' ? 3 : runTurns(node) + 1;
}

/** Turns of prioritizeAndRun (all/any) or not(): what the root of a rule costs before processResult. */
function runTurns(node: Exclude<ConditionNode, { kind: 'leaf' }>): number {
  if (node.kind === 'not') return evalTurns(node.child) + 1;
  const n = node.children.length;
  if (n === 0) return 0;
  if (n === 1) return evalTurns(node.children[0]!);
  let max = 0;
  for (const c of node.children) max = Math.max(max, evalTurns(c));
  return 4 + max;
}

/** When a rule's result is recorded relative to the other rules of its priority set. */
export function settleTurns(condition: ConditionNode): number {
  return condition.kind === 'leaf' ? evalTurns(condition) : runTurns(condition);
}

/** A rule's priority as json-rules-engine's Rule stores it. */
export function enginePriority(priority: number): number {
  const p = parseInt(String(priority || 1), 10);
  if (p <= 0) throw new Error('Priority must be greater than zero');
  return p;
}
