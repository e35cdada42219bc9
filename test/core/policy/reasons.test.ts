import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER, percent } from '../../../src/core/explain/reasons.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { ROOT } from '../../helpers/app.js';

const { policy } = loadPolicy(readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8'), 'policies/restructuring/1.0.0.yaml', '0'.repeat(64));

describe('shipped reason codes', () => {
  it('every reason text, English and Chinese, carries at least one actual value', () => {
    const vague = Object.entries(policy!.reasonCodes).flatMap(([code, rc]) =>
      (['en', 'zh'] as const).filter((l) => [...rc.text[l].matchAll(PLACEHOLDER)].length === 0).map((l) => `${code}.${l}`),
    );
    expect(vague).toEqual([]);
  });

  it('every code a rule names is in the table, and every code in the table is named by a rule or the defaults', () => {
    const named = new Set([...policy!.rules.flatMap((r) => r.reasonCodes), ...policy!.defaults.reasonCodes]);
    const table = new Set(Object.keys(policy!.reasonCodes));
    expect([...named].filter((c) => !table.has(c))).toEqual([]);
    expect([...table].filter((c) => !named.has(c))).toEqual([]);
  });

  it('no vague code such as POLICY or OTHER is shipped (CFPB Circular 2023-03)', () => {
    expect(Object.keys(policy!.reasonCodes).filter((c) => /^(POLICY|OTHER|SCORE_TOO_LOW)$/.test(c))).toEqual([]);
  });
});

describe('percent formatting of ratios', () => {
  it.each([
    ['0.5523', '55.23%'],
    ['0.5500', '55%'],
    ['0.0000', '0%'],
    ['0.108', '10.8%'],
    ['1.00', '100%'],
    ['99.9999', '9999.99%'],
    ['-0.0090', '-0.9%'],
  ])('%s is shown as %s', (r, shown) => expect(percent(r)).toBe(shown));
});
