import { describe, expect, it } from 'vitest';
import { FactSlots } from '../../../src/core/evaluate/fact-slots.js';
import { MemoRule } from '../../../src/core/evaluate/memo-rule.js';
import type { Outcome } from '../../../src/core/evaluate/condition-closures.js';
import type { ConditionNode } from '../../../src/core/policy/model.js';

const leaf = (engineOperator: string, value: string): ConditionNode => ({ kind: 'leaf', fact: 'riskScore', operator: 'greaterThanInclusive', engineOperator, value: { kind: 'param', name: 'minScore', value } }) as ConditionNode;

function ruleOver(condition: ConditionNode) {
  const slots = new FactSlots();
  const out: Outcome = { passed: false };
  const rule = new MemoRule(condition, slots, out);
  const values = new Array<unknown>(slots.size).fill(undefined);
  const at = slots.slotOf('riskScore');
  return { rule, out, set: (v: unknown) => (values[at] = v), values };
}

describe('MemoRule: the result alone (passes) and the explanation (evaluate) over the same values', () => {
  it('agree, whichever is asked first, and the tree is built only when asked for', () => {
    const { rule, out, set, values } = ruleOver({ kind: 'not', child: leaf('greaterThanInclusive:integer', '600') } as ConditionNode);
    set(550);
    expect(rule.passes(values)).toBe(true);
    const tree = rule.evaluate(values);
    expect(out.passed).toBe(true);
    expect(tree).toMatchObject({ state: 'passed', not: { fact: 'riskScore', actual: 550, state: 'failed' } });
    // The same values: the same tree object, and passes() answers without a run.
    expect(rule.evaluate(values)).toBe(tree);
    expect(rule.passes(values)).toBe(true);
    set(700);
    expect(rule.passes(values)).toBe(false);
    const after = rule.evaluate(values);
    expect(after).not.toBe(tree);
    expect(after).toMatchObject({ state: 'failed', not: { actual: 700, state: 'passed' } });
    expect(out.passed).toBe(false);
  });

  it('throw the same error for an operator the engine does not know, and remember no result after it', () => {
    const { rule, set, values } = ruleOver(leaf('noSuchOperator:integer', '600'));
    set(550);
    expect(() => rule.passes(values)).toThrow('Unknown operator: noSuchOperator:integer');
    expect(() => rule.evaluate(values)).toThrow('Unknown operator: noSuchOperator:integer');
    expect(() => rule.passes(values)).toThrow('Unknown operator: noSuchOperator:integer');
  });
});
