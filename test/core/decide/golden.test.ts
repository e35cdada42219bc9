import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { JreEvaluator } from '../../../src/core/evaluate/jre-engine.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT, exampleApplication } from '../../helpers/app.js';

const { policy } = loadPolicy(readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8'), 'policies/restructuring/1.0.0.yaml', '0'.repeat(64));
const evaluator = new JreEvaluator(policy!);

const CASES: Record<string, unknown> = {
  'approved-everything': {},
  'declined-fraud': { borrower: { fraudFlag: 'CONFIRMED' } },
  'grace-counteroffer-and-personalised-refer': { request: { options: ['GRACE_PERIOD'], desiredGraceMonths: 8, requestRateReduction: true } },
  'malicious-delinquency-frozen': {
    borrower: { monthlyIncomeAfter: '20000.00' },
    loan: { daysPastDue: 45, overdueItems: [{ dueDate: '2026-01-15', principal: '5000.00', interest: '270.00' }] },
    contactHistory: [{ at: '2026-01-20T10:00:00+08:00', channel: 'PHONE', direction: 'OUTBOUND', outcome: 'REFUSED' }],
  },
};

/**
 * Compares text with its golden file. Only UPDATE_GOLDEN=1 writes one: a missing file is a failure, or a deleted
 * golden would pass by recreating itself from whatever the code produces now.
 */
function expectGolden(file: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  else if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 to write it, then review it`);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** Golden files hold whole decisions, explanation included; UPDATE_GOLDEN=1 rewrites them after a reviewed change. */
describe('decisions and explanations match their golden files', () => {
  for (const [name, patch] of Object.entries(CASES)) {
    it(name, async () => {
      const application = deepMerge(exampleApplication(), patch) as RestructuringApplication;
      const d = await decide({ application, policy: policy!, evaluator, now: '2026-03-01T10:00:05+08:00', decisionId: `golden-${name}`, language: 'en', selectedBy: 'golden test' });
      const file = join(ROOT, 'test', 'golden', `${name}.json`);
      const text = `${JSON.stringify(d, null, 2)}\n`;
      expectGolden(file, text);
    });
  }

  it.skipIf(process.env.UPDATE_GOLDEN === '1')('a missing golden file fails the test and is not written', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-golden-')), 'absent.json');
    expect(() => expectGolden(file, '{}\n')).toThrow(/golden file .*absent\.json is missing; run with UPDATE_GOLDEN=1/);
    expect(existsSync(file)).toBe(false);
  });
});
