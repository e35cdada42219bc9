import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appendCase, caseResults } from '../../web/api/test-cases.js';
import { exampleApplication, ROOT } from '../helpers/app.js';

const tests = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.test.yaml'), 'utf8');
const check = (errors: { message: string; line: number; column: number; code: string }[]) => ({ valid: true, errors, warnings: [], tests: { cases: 0, passed: 0, failed: 0 }, coverage: [], rulesNeverFired: [], submittable: false, refusals: [] });

describe('the workbench reads and extends the draft test cases', () => {
  it('marks each case passed, or failed with the first difference the service located in it', () => {
    const results = caseResults(tests, check([
      { code: 'POLICY_TEST_FAILED', line: 95, column: 7, message: 'case "confirmed fraud declines every option and freezes the account": INSTALLMENT: expected DECLINE, got REFER (fired: G-02)' },
      { code: 'POLICY_TEST_FAILED', line: 96, column: 7, message: 'case "confirmed fraud declines every option and freezes the account": account action: expected FREEZE, got NONE' },
    ]));
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((r) => !r.passed)).toEqual([{ name: 'confirmed fraud declines every option and freezes the account', passed: false, at: '95:7', firstDifference: 'INSTALLMENT: expected DECLINE, got REFER (fired: G-02)' }]);
    expect(caseResults('cases: [', check([]))).toEqual([]);
  });

  it('appends a playground case with its decisions as expectations, keeping the file and its comments', () => {
    const app = exampleApplication();
    const next = appendCase(tests, 'the example from the playground', app, { options: [{ option: 'INSTALLMENT', decision: 'APPROVE' }, { option: 'GRACE_PERIOD', decision: 'REFER' }], accountAction: { action: 'RESTRICT_NEW_DRAWS' } });
    expect(next.split('\n')[0]).toBe(tests.split('\n')[0]);
    expect(next).toContain('# Reading guide');
    const cases = (parse(next) as { cases: { name: string; patch: unknown; expect: unknown }[] }).cases;
    expect(cases.length).toBe((parse(tests) as { cases: unknown[] }).cases.length + 1);
    expect(cases.at(-1)).toEqual({ name: 'the example from the playground', patch: app, expect: { decisions: { INSTALLMENT: 'APPROVE', GRACE_PERIOD: 'REFER' }, accountAction: 'RESTRICT_NEW_DRAWS' } });
  });
});
