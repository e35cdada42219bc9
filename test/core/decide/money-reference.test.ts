import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scheduleBuilder } from '../../../src/app/evaluators.js';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { buildScheduleDecimal } from '../../../src/core/money/decimal-schedule.js';
import { buildSchedule } from '../../../src/core/money/schedule.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { parseYamlSource } from '../../../src/core/policy/yaml-source.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT } from '../../helpers/app.js';

const file = 'policies/restructuring/1.0.0.yaml';
const { policy } = loadPolicy(readFileSync(join(ROOT, file), 'utf8'), file, '0'.repeat(64));
const evaluator = new CompiledEvaluator(policy!);
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value as { base: object; now?: string; cases: { name: string; patch: object; now?: string }[] };

describe('MONEY selects the schedule arithmetic at run time', () => {
  it('exact and reference (decimal.js) schedules give the same decision, byte for byte, for every policy test case', async () => {
    let plans = 0;
    for (const [i, c] of doc.cases.entries()) {
      const application = deepMerge(doc.base, c.patch) as RestructuringApplication;
      const input = { application, policy: policy!, evaluator, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `m-${i}`, language: 'en' as const, selectedBy: 'test' };
      const exact = await decide(input);
      const reference = await decide({ ...input, schedules: buildScheduleDecimal });
      expect(JSON.stringify(reference), c.name).toBe(JSON.stringify(exact));
      plans += exact.options.filter((o) => o.plan).length;
    }
    // The comparison covered real schedules, not only declines.
    expect(plans).toBeGreaterThan(100);
  });

  it('MONEY names exact (the default) or reference and nothing else', () => {
    expect(scheduleBuilder(undefined)).toBe(buildSchedule);
    expect(scheduleBuilder('exact')).toBe(buildSchedule);
    expect(scheduleBuilder('reference')).toBe(buildScheduleDecimal);
    expect(() => scheduleBuilder('float')).toThrow(/MONEY must be "exact" or "reference"/);
  });
});
