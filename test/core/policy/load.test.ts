import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { formatProblem } from '../../../src/core/policy/problem.js';
import { ROOT } from '../../helpers/app.js';

const SHIPPED = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');
const FILE = 'policies/restructuring/1.0.0.yaml';
const SHA = 'f'.repeat(64);

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`needle not found: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

function load(text: string) {
  const { policy, problems } = loadPolicy(text, FILE, SHA);
  return { policy, problems, lines: problems.map(formatProblem) };
}

describe('loading a policy', () => {
  it('the shipped policy loads with no errors and no warnings', () => {
    const { policy, problems } = load(SHIPPED);
    expect(problems).toEqual([]);
    expect(policy?.rules.length).toBeGreaterThan(50);
  });

  it('reports a YAML syntax error at its line and column', () => {
    const broken = SHIPPED.replace('  owner: Credit Risk Policy Team', '  owner: [Credit Risk Policy Team');
    const { policy, problems } = load(broken);
    expect(policy).toBeUndefined();
    expect(problems[0]?.code).toBe('POLICY_YAML_SYNTAX');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(lineOf(broken, 'owner: [Credit'));
  });

  it('reports every schema violation at once, each at the offending node, sorted by line', () => {
    const broken = SHIPPED.replace('  version: 1.0.0', '  version: one').replace('    rank: 1\n', '    rank: first\n').replace('    outcome: FREEZE\n', '    outcome: LOCK\n');
    const { problems } = load(broken);
    expect(problems.every((p) => p.code === 'POLICY_SCHEMA')).toBe(true);
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a - b));
    expect(problems.find((p) => p.path === 'metadata.version')?.line).toBe(lineOf(broken, 'version: one'));
    expect(problems.find((p) => p.path === 'reasonCodes.FRAUD_OR_FALSE_DOCUMENTS.rank')?.line).toBe(lineOf(broken, 'rank: first'));
    expect(problems.some((p) => /outcome/.test(p.path) && p.line === lineOf(broken, 'outcome: LOCK'))).toBe(true);
  });

  it('an unknown fact is a load-time error at the fact, not a silent false', () => {
    const broken = SHIPPED.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }');
    const { policy, lines } = load(broken);
    expect(policy).toBeUndefined();
    expect(lines[0]).toBe(`${FILE}:${lineOf(broken, 'fact: fraudFlagg')}:${lineOf(broken, 'fact: fraudFlagg') && broken.split('\n')[lineOf(broken, 'fact: fraudFlagg') - 1]!.indexOf('fraudFlagg') + 1}: error: unknown fact "fraudFlagg"; did you mean "fraudFlag"? (rules[0].conditions.any[0].fact)`);
  });

  it('an unknown parameter, reason code, operator and enum value are each reported with their location', () => {
    const broken = SHIPPED.replace('value: { param: maxDaysPastDue } }\n    outcome: DECLINE', 'value: { param: maxDaysPastDu } }\n    outcome: DECLINE')
      .replace('reasonCodes: [DELINQUENT_31_90_DAYS]', 'reasonCodes: [DELINQUENT_31_90_DAYZ]')
      .replace('{ fact: brokenPlanLast12m, operator: greaterThanInclusive', '{ fact: brokenPlanLast12m, operator: atLeast')
      .replace('{ fact: hardshipNature, operator: equal, value: PERMANENT }', '{ fact: hardshipNature, operator: equal, value: PERMANENTLY }');
    const { problems } = load(broken);
    const msgs = problems.map((p) => `${p.line}: ${p.message}`);
    expect(msgs).toContain(`${lineOf(broken, 'param: maxDaysPastDu }')}: unknown parameter "maxDaysPastDu"; did you mean "maxDaysPastDue"?`);
    expect(msgs).toContain(`${lineOf(broken, 'DELINQUENT_31_90_DAYZ')}: unknown reason code "DELINQUENT_31_90_DAYZ"; add it to reasonCodes`);
    expect(msgs.some((m) => m.startsWith(`${lineOf(broken, 'operator: atLeast')}: unknown operator "atLeast"`))).toBe(true);
    expect(msgs.some((m) => m.startsWith(`${lineOf(broken, 'PERMANENTLY')}: value "PERMANENTLY" is not one of TEMPORARY, PERMANENT, UNKNOWN`))).toBe(true);
  });

  it('an operator that does not fit the fact type and a value of the wrong type are errors', () => {
    const broken = SHIPPED.replace('{ fact: falseDocumentFlag, operator: equal, value: true }', '{ fact: falseDocumentFlag, operator: greaterThan, value: true }')
      .replace('{ fact: daysPastDue, operator: greaterThan, value: { param: maxDaysPastDue } }', '{ fact: daysPastDue, operator: greaterThan, value: "ninety" }');
    const { problems } = load(broken);
    expect(problems.map((p) => p.message)).toEqual(expect.arrayContaining(['operator "greaterThan" does not apply to boolean fact "falseDocumentFlag"', 'value must be a whole number, got "ninety"']));
  });

  it('a fact only known after the plans are decided cannot be used by a plan rule', () => {
    const broken = SHIPPED.replace('{ fact: monthsOnBook, operator: lessThan, value: { param: minMonthsOnBook } }', '{ fact: anyPlanApproved, operator: equal, value: true }');
    const { problems } = load(broken);
    expect(problems[0]?.message).toMatch(/only known after the plan options are decided/);
  });

  it('a missing engine parameter, an unused parameter and a version that does not match the file name are reported', () => {
    const broken = SHIPPED.replace(/ {2}dsrApproveMax: .*\n/, '').replace('  longPlanMonths:', '  unusedThing: { value: 1 }\n  longPlanMonths:').replace('  version: 1.0.0', '  version: 1.0.1');
    const { problems } = load(broken);
    const text = problems.map((p) => `${p.severity}: ${p.message}`);
    expect(text.some((t) => t.startsWith('error: the engine needs parameter "dsrApproveMax"'))).toBe(true);
    expect(text).toContain('warning: parameter "unusedThing" is not used by any rule');
    expect(text).toContain('error: version 1.0.1 does not match the file name 1.0.0.yaml');
  });

  it('duplicate rule ids and duplicate YAML keys are errors', () => {
    const dupRule = SHIPPED.replace('  - id: G-02\n', '  - id: G-01\n');
    expect(load(dupRule).problems.map((p) => p.message)).toContain('rule id "G-01" is already used by rules[0]');
    const dupKey = SHIPPED.replace('  owner: Credit Risk Policy Team', '  owner: Credit Risk Policy Team\n  owner: Someone');
    expect(load(dupKey).problems[0]?.code).toBe('POLICY_YAML_SYNTAX');
  });

  it('a reason text placeholder that names nothing is an error', () => {
    const broken = SHIPPED.replace('Your account is {daysPastDue} days past due; this service', 'Your account is {daysLate} days past due; this service');
    expect(load(broken).problems.map((p) => p.message)).toContain('placeholder {daysLate} names no fact or parameter');
  });
});
