import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import type { ExplainNode, RuleEvaluation } from '../../../src/core/evaluate/explain-model.js';
import { JreEvaluator } from '../../../src/core/evaluate/jre-engine.js';
import { rulesJsonParts } from '../../../src/core/explain/json.js';
import { decisionAnswer } from '../../../src/app/decision-answer.js';

const rulesJson = (rules: readonly RuleEvaluation[]): string => {
  const out: string[] = [];
  rulesJsonParts(rules, out);
  return out.join('');
};
import { loadPolicy } from '../../../src/core/policy/load.js';
import { parseYamlSource } from '../../../src/core/policy/yaml-source.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT } from '../../helpers/app.js';

const file = 'policies/restructuring/1.0.0.yaml';
const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, '0'.repeat(64));
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value as { base: object; now?: string; cases: { name: string; patch: object; now?: string }[] };

describe('the rules of a decision written as JSON text', () => {
  it('equal JSON.stringify for every policy test case, with either evaluator, in both languages, decided twice', async () => {
    // Twice: the second pass writes trees and leaf heads from the kept text.
    for (const evaluator of [new CompiledEvaluator(policy!), new JreEvaluator(policy!)]) {
      for (let pass = 0; pass < 2; pass++) {
        for (const [i, c] of doc.cases.entries()) {
          const application = deepMerge(doc.base, c.patch) as RestructuringApplication;
          const language = i % 2 ? 'zh' : 'en';
          const d = await decide({ application, policy: policy!, evaluator, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `j-${i}`, language, selectedBy: 'test' });
          expect(rulesJson(d.explanation.rules), c.name).toBe(JSON.stringify(d.explanation.rules));
          const fired = d.explanation.rules.filter((r) => r.fired);
          expect(rulesJson(fired), c.name).toBe(JSON.stringify(fired));
        }
      }
    }
  });

  it('writes rules read back with sorted members (an old record) with the same members and values', () => {
    const sorted = JSON.parse('[{"conditions":{"actual":1,"expected":{"value":0},"fact":"x","operator":"greaterThan","state":"passed"},"fired":true,"option":"INSTALLMENT","outcome":"APPROVE","ruleId":"R"}]') as RuleEvaluation[];
    expect(JSON.parse(rulesJson(sorted))).toEqual(sorted);
    expect(rulesJson([])).toBe('[]');
  });
});

// ---------------------------------------------------------------- generated trees

const STATES = ['passed', 'failed', 'not_evaluated', 'fact_missing'] as const;
const actual = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.string({ unit: 'binary' }), fc.constant(-0), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
const expected = fc.oneof(
  fc.record({ param: fc.string(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ fact: fc.string(), value: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(-0)) }),
);
const { node } = fc.letrec<{ node: ExplainNode; leaf: ExplainNode }>((tie) => ({
  leaf: fc.record({ fact: fc.string({ unit: 'binary' }), operator: fc.string(), expected, actual, state: fc.constantFrom(...STATES) }, { requiredKeys: ['fact', 'operator', 'expected', 'state'] }) as fc.Arbitrary<ExplainNode>,
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.record({ all: fc.array(tie('node'), { maxLength: 4 }), state: fc.constantFrom(...STATES) }),
    fc.record({ any: fc.array(tie('node'), { maxLength: 4 }), state: fc.constantFrom(...STATES) }),
    fc.record({ not: tie('node'), state: fc.constantFrom(...STATES) }),
  ) as fc.Arbitrary<ExplainNode>,
}));
const rule = fc.record(
  { ruleId: fc.string({ unit: 'binary' }), option: fc.string(), fired: fc.boolean(), outcome: fc.string(), conditions: node },
  { requiredKeys: ['ruleId', 'option', 'fired', 'conditions'] },
) as fc.Arbitrary<RuleEvaluation>;

describe('rule trees written as JSON text', () => {
  it('equal JSON.stringify for generated trees, leaves with any actual value, and shared nodes written again', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 6 }), (rules) => {
        const want = JSON.stringify(rules);
        expect(rulesJson(rules)).toBe(want);
        // The same objects again (cached text), and the same trees under other rules.
        expect(rulesJson(rules)).toBe(want);
        const again = rules.map((r) => ({ ...r, fired: !r.fired }));
        expect(rulesJson(again)).toBe(JSON.stringify(again));
      }),
      { numRuns: 500 },
    );
  });

  it('a leaf head kept for a shared expected object is not reused for a leaf of another fact or operator', () => {
    const shared = { param: 'p', value: '1.5' };
    const a: RuleEvaluation = { ruleId: 'A', option: 'O', fired: true, conditions: { fact: 'x', operator: 'equal', expected: shared, actual: '1.5', state: 'passed' } };
    const b: RuleEvaluation = { ruleId: 'B', option: 'O', fired: false, conditions: { fact: 'y', operator: 'lessThan', expected: shared, actual: '2', state: 'failed' } };
    expect(rulesJson([a, b])).toBe(JSON.stringify([a, b]));
    expect(rulesJson([b, a])).toBe(JSON.stringify([b, a]));
  });
});

describe('the answer is one byte per character', () => {
  it('for every policy test case in English (a two-byte answer costs ~10x to encode for the socket)', async () => {
    const evaluator = new CompiledEvaluator(policy!);
    for (const [i, c] of doc.cases.entries()) {
      // As the service gets it: JSON text from the wire.
      const application = JSON.parse(JSON.stringify(deepMerge(doc.base, c.patch))) as RestructuringApplication;
      const d = await decide({ application, policy: policy!, evaluator, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `o-${i}`, language: 'en', selectedBy: 'test' });
      // V8's serializer tags a one-byte string with '"' (0x22), a two-byte one with 'c'.
      expect(serialize(decisionAnswer(d, 'full').join(''))[2], c.name).toBe(0x22);
    }
  });
});
