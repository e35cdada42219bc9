import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { ROOT } from '../../helpers/app.js';

const SHIPPED = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');
const warnings = (text: string) =>
  loadPolicy(text, 'policies/restructuring/1.0.0.yaml', '0'.repeat(64))
    .problems.filter((p) => p.severity === 'warning')
    .map((p) => p.message);

it('warns about a rule whose conditions contradict each other, so it can never fire', () => {
  const text = SHIPPED.replace(
    "        - { fact: daysPastDue, operator: lessThanInclusive, value: { param: maxDaysPastDue } }\n    outcome: REFER",
    "        - { fact: daysPastDue, operator: lessThanInclusive, value: 20 }\n    outcome: REFER",
  );
  expect(warnings(text)).toContain('rule G-05 can never fire: "daysPastDue greaterThan 30" and "daysPastDue lessThanInclusive 20" cannot both hold');
});

it('warns about two rules for one option with different outcomes where one always fires with the other', () => {
  const text = SHIPPED.replace(
    "        - { fact: requestRateReduction, operator: equal, value: true }\n    outcome: REFER",
    "        - { fact: requestRateReduction, operator: equal, value: true }\n        - { fact: stepShapeValid, operator: equal, value: false }\n    outcome: REFER",
  );
  expect(warnings(text)).toContain('rules PP-06 (REFER) and PP-05 (COUNTEROFFER) overlap for PERSONALISED_PLAN: whenever PP-06 fires, PP-05 fires too');
});

it('the shipped policy has no such warnings', () => {
  expect(warnings(SHIPPED)).toEqual([]);
});
