import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/adapters/store/chain/records.js';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { JreEvaluator } from '../../../src/core/evaluate/jre-engine.js';
import { TideoverError } from '../../../src/core/errors.js';
import { expandRecorded, recordedForm, type RecordedDecision } from '../../../src/core/explain/recorded.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { parseYamlSource } from '../../../src/core/policy/yaml-source.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import type { DecisionResult } from '../../../src/generated/decision.js';
import { ROOT } from '../../helpers/app.js';

const file = 'policies/restructuring/1.0.0.yaml';
const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, '0'.repeat(64));
const compiled = new CompiledEvaluator(policy!);
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value as { base: object; now?: string; cases: { name: string; patch: object; now?: string }[] };

async function decided(i: number): Promise<DecisionResult> {
  const c = doc.cases[i]!;
  const application = deepMerge(doc.base, c.patch) as RestructuringApplication;
  return decide({ application, policy: policy!, evaluator: compiled, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `case-${i}`, language: 'en', selectedBy: 'test' });
}

/** What the trail hands back: the recorded form through canonical JSON (keys sorted). */
const stored = (d: DecisionResult): RecordedDecision => JSON.parse(canonicalJson(recordedForm(d))) as RecordedDecision;

describe('a decision recorded without its rule trees', () => {
  it('is a fraction of the answer and keeps the facts and fired rules', async () => {
    const d = await decided(0);
    const r = recordedForm(d);
    expect(r.explanation).toEqual({ firedRules: d.explanation.firedRules, facts: d.explanation.facts });
    expect(JSON.stringify(r).length * 3).toBeLessThan(JSON.stringify(d).length);
  });

  it('expands to exactly the answered decision for every policy test case, with either evaluator', async () => {
    const jre = new JreEvaluator(policy!);
    for (let i = 0; i < doc.cases.length; i++) {
      const d = await decided(i);
      const expected = JSON.parse(JSON.stringify(d)) as DecisionResult;
      for (const evaluator of [compiled, jre]) {
        const full = await expandRecorded(stored(d), evaluator);
        expect(full, doc.cases[i]!.name).toEqual(expected);
        expect(full.explanation.rules.map((r) => `${r.option}/${r.ruleId}`)).toEqual(d.explanation.rules.map((r) => `${r.option}/${r.ruleId}`));
      }
    }
  });

  it('is refused as inconsistent when its facts were changed so that other rules fire', async () => {
    const r = stored(await decided(0));
    const facts = r.explanation.facts as Record<string, Record<string, unknown>>;
    facts.application!.fraudFlag = 'CONFIRMED';
    await expect(expandRecorded(r, compiled)).rejects.toSatisfy((e: unknown) => e instanceof TideoverError && e.code === 'AUDIT_RECORD_INCONSISTENT' && /fires/.test(e.message));
  });

  it('is refused as inconsistent when its recorded fired rules were changed', async () => {
    const r = stored(await decided(0));
    r.explanation.firedRules = [...r.explanation.firedRules].reverse();
    await expect(expandRecorded(r, compiled)).rejects.toSatisfy((e: unknown) => e instanceof TideoverError && e.code === 'AUDIT_RECORD_INCONSISTENT');
    const s = stored(await decided(0));
    s.options[0]!.firedRules = [];
    await expect(expandRecorded(s, compiled)).rejects.toSatisfy((e: unknown) => e instanceof TideoverError && /the record says none/.test(e.message));
  });

  it('written before compact recording (rules present) is returned unchanged', async () => {
    const d = JSON.parse(JSON.stringify(await decided(1))) as DecisionResult;
    expect(await expandRecorded(d, compiled)).toBe(d);
  });
});
