import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerForm, decisionAnswer } from '../../src/app/decision-answer.js';
import { canonicalJson } from '../../src/adapters/store/chain/records.js';
import { canonicalForm } from '../../src/core/canonical-json.js';
import { decide } from '../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../src/core/evaluate/compiled.js';
import { recordedForm } from '../../src/core/explain/recorded.js';
import { loadPolicy } from '../../src/core/policy/load.js';
import { parseYamlSource } from '../../src/core/policy/yaml-source.js';
import { deepMerge } from '../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../src/generated/application.js';
import type { DecisionResult } from '../../src/generated/decision.js';
import { ROOT } from '../helpers/app.js';

const file = 'policies/restructuring/1.0.0.yaml';
const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, '0'.repeat(64));
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value as { base: object; now?: string; cases: { name: string; patch: object; now?: string }[] };

const sorted = (keys: string[]) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

async function decisions(): Promise<{ name: string; d: DecisionResult }[]> {
  const evaluator = new CompiledEvaluator(policy!);
  const out = [];
  for (const [i, c] of doc.cases.entries()) {
    const application = deepMerge(doc.base, c.patch) as RestructuringApplication;
    out.push({ name: c.name, d: await decide({ application, policy: policy!, evaluator, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `a-${i}`, language: i % 2 ? 'zh' : 'en', selectedBy: 'test' }) });
  }
  return out;
}

describe('the decision answer', () => {
  it('is the decision with the rules of its explain level, for every policy test case and level', async () => {
    for (const { name, d } of await decisions()) {
      for (const explain of ['full', 'fired', 'none'] as const) {
        const rules = explain === 'full' ? d.explanation.rules : explain === 'fired' ? d.explanation.rules.filter((r) => r.fired) : [];
        const text = decisionAnswer(d, explain).join('');
        expect(JSON.parse(text), `${name} ${explain}`).toEqual({ ...d, explanation: { ...d.explanation, rules } });
      }
    }
  });

  it('is, rules aside, the canonical text the audit trail hashes for the decision, members sorted', async () => {
    for (const { name, d } of await decisions()) {
      const parts = decisionAnswer(d, 'fired');
      expect(parts).toHaveLength(3);
      expect(parts[1]!.startsWith(',"rules":[')).toBe(true);
      const withoutRules = parts[0]! + parts[2]!;
      expect(withoutRules, name).toBe(canonicalJson(recordedForm(d)));
      expect(withoutRules, name).toBe(answerForm(d).text);
      const parsed = JSON.parse(parts.join('')) as Record<string, unknown> & { explanation: object; options: object[] };
      expect(Object.keys(parsed)).toEqual(sorted(Object.keys(parsed)));
      expect(Object.keys(parsed.explanation)).toEqual(['facts', 'firedRules', 'rules']);
      for (const o of parsed.options) expect(Object.keys(o)).toEqual(sorted(Object.keys(o)));
    }
  });

  it('hands the audit store the copy it encoded, whose text is then known without serialising it again', async () => {
    const { d } = (await decisions())[0]!;
    const form = answerForm(d);
    expect(canonicalForm(form.value)).toBe(form);
    expect(canonicalJson(form.value)).toBe(form.text);
    expect(answerForm(d)).not.toBe(form); // a new decision object is encoded anew
  });

  it('is built by the core in canonical member order, so the record takes every part of it but the facts as it is', async () => {
    for (const { name, d } of await decisions()) {
      const value = answerForm(d).value as DecisionResult;
      // The facts keep the evaluator's layout (optional facts undefined) and are copied; nothing else is.
      for (const key of Object.keys(value) as (keyof DecisionResult)[]) if (key !== 'explanation') expect(value[key], `${name}: ${key}`).toBe(d[key]);
      expect(value.explanation.firedRules, name).toBe(d.explanation.firedRules);
      expect(Object.keys(value), name).toEqual(sorted(Object.keys(d)));
    }
  });

  it('refuses a decision whose explanation is not of the recorded shape rather than write a wrong answer', async () => {
    const { d } = (await decisions())[0]!;
    const odd = { ...d, explanation: { ...d.explanation, firedRules: ['not-the-ones-in-the-text'] } };
    expect(() => decisionAnswer(odd, 'fired', answerForm(d))).toThrow(/no explanation of the recorded shape/);
  });
});
