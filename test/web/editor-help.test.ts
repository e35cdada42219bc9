import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, distance, unknownName } from '../../web/editor/did-you-mean.js';
import { documentNames, vocabularyOf } from '../../web/editor/vocabulary.js';
import schema from '../../schemas/policy.schema.json' with { type: 'json' };
import { ROOT } from '../helpers/app.js';

const shipped = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');

describe('the workbench editor help', () => {
  it('reads facts, operators, outcomes and engine parameters with their descriptions from the served policy schema', () => {
    const v = vocabularyOf(schema as never);
    expect(v.facts.find((f) => f.name === 'postPlanDsr')?.description).toMatch(/debt/i);
    expect(v.operators.map((o) => o.name)).toContain('greaterThanInclusive');
    expect(v.outcomes.map((o) => o.name)).toEqual(expect.arrayContaining(['APPROVE', 'REFER']));
    expect(v.engineParams.map((p) => p.name)).toContain('dsrApproveMax');
    expect(vocabularyOf({})).toEqual({ facts: [], operators: [], outcomes: [], options: [], engineParams: [] });
  });

  it('reads the parameters (value and description) and reason codes the document defines, and nothing from broken YAML', () => {
    const names = documentNames(shipped);
    expect(names.params.find((p) => p.name === 'dsrApproveMax')).toMatchObject({ detail: '0.55', description: expect.stringContaining('Debt-service') });
    expect(names.reasonCodes.map((r) => r.name)).toContain('DEBT_TO_INCOME_HIGH');
    expect(documentNames('parameters: [unclosed')).toEqual({ params: [], reasonCodes: [] });
  });

  it('suggests the closest known name for the validator\'s unknown-name problems, and none when nothing is close', () => {
    expect(unknownName('unknown parameter "minMonthsOnBok"')).toEqual({ kind: 'parameter', name: 'minMonthsOnBok' });
    expect(unknownName('unknown fact "x"; did you mean "y"?')).toEqual({ kind: 'fact', name: 'x', suggested: 'y' });
    expect(unknownName('rule I-01 can never fire')).toBeUndefined();
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(closest('minMonthsOnBok', ['minMonthsOnBook', 'minPaymentsMade'])).toBe('minMonthsOnBook');
    expect(closest('dsrApproveMax', ['dsrApproveMax'])).toBeUndefined();
    expect(closest('zzz', ['postPlanDsr'])).toBeUndefined();
  });
});
