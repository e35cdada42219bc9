import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScreeningPolicy, isScreeningPolicyText } from '../../../src/core/screening/compile.js';
import { runScreeningTests } from '../../../src/core/screening/policy-tests.js';

const FILE = 'policies/screening/1.0.0.yaml';
const text = readFileSync(FILE, 'utf8');
const load = (t: string, file = FILE) => loadScreeningPolicy(t, file, 'sha');

describe('the default screening policy', () => {
  it('loads without errors or warnings', () => {
    const { policy, problems } = load(text);
    expect(problems).toEqual([]);
    expect(policy?.version).toBe('1.0.0');
    expect(policy?.rules.map((r) => r.id)).toEqual(['EW-01', 'EW-02', 'EW-03', 'EW-04', 'EW-05', 'EW-06', 'EW-07', 'EW-08', 'EW-09', 'EW-10', 'EW-11']);
  });

  it('passes its own test cases, S1–S7 included, with every rule both fired and not fired', () => {
    const policy = load(text).policy!;
    const report = runScreeningTests(policy, readFileSync('policies/screening/1.0.0.test.yaml', 'utf8'), 'policies/screening/1.0.0.test.yaml');
    expect(report.problems).toEqual([]);
    expect(report.passed).toBe(report.cases);
    expect(report.cases).toBeGreaterThanOrEqual(20);
    for (const [id, c] of Object.entries(report.coverage)) {
      expect(c.fired, `${id} fired`).toBeGreaterThan(0);
      expect(c.notFired, `${id} not fired`).toBeGreaterThan(0);
    }
  });

  it('is told apart from a decision policy by its kind', () => {
    expect(isScreeningPolicyText(text)).toBe(true);
    expect(isScreeningPolicyText(readFileSync('policies/restructuring/1.0.0.yaml', 'utf8'))).toBe(false);
  });
});

describe('screening policy errors are located', () => {
  it('names the line and column of an unknown fact, an unknown parameter and an unknown reason code, all at once', () => {
    const broken = text
      .replace('{ fact: minimumPaymentStreak, operator: greaterThanInclusive', '{ fact: minPaymentStreak, operator: greaterThanInclusive')
      .replace('value: { param: overdraftDaysMin }', 'value: { param: overdraftDaysMinimum }')
      .replace('reasonCode: EXTERNAL_ARREARS', 'reasonCode: EXTERNAL_ARREAR');
    const { policy, problems } = load(broken);
    expect(policy).toBeUndefined();
    const errors = problems.filter((p) => p.severity === 'error');
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(errors.map((p) => [p.line, p.path])).toEqual([
      [lineOf('fact: minPaymentStreak'), 'rules[3].when.fact'],
      [lineOf('overdraftDaysMinimum'), 'rules[6].when.value.param'],
      [lineOf('reasonCode: EXTERNAL_ARREAR'), 'rules[7].reasonCode'],
    ]);
    expect(errors[0]!.message).toMatch(/unknown fact "minPaymentStreak"/);
  });

  it('reports a schema error at its node with file:line:column', () => {
    const broken = text.replace('    points: 40\n', '    points: forty\n');
    const { problems } = load(broken);
    const line = broken.split('\n').findIndex((l) => l.includes('points: forty')) + 1;
    expect(problems.some((p) => p.code === 'POLICY_SCHEMA' && p.line === line && p.path === 'rules[1].points')).toBe(true);
  });

  it('refuses tier cut-offs that do not rise and an ordering operator on a boolean fact', () => {
    const broken = text
      .replace('tierHighMinPoints: { value: 40', 'tierHighMinPoints: { value: 80')
      .replace('{ fact: externalArrears, operator: equal, value: true }', '{ fact: externalArrears, operator: greaterThan, value: true }');
    const messages = load(broken).problems.map((p) => p.message);
    expect(messages.some((m) => m.includes('tier cut-offs must rise'))).toBe(true);
    expect(messages.some((m) => m.includes('operator greaterThan does not apply to the boolean fact externalArrears'))).toBe(true);
  });

  it('refuses a version that does not match the file name', () => {
    const { problems } = load(text, 'policies/screening/1.0.1.yaml');
    expect(problems.map((p) => p.message)).toContain('version 1.0.0 does not match the file name 1.0.1.yaml');
  });
});
