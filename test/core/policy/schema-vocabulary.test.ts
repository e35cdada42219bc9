import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACTS } from '../../../src/core/facts/catalog.js';
import { OPERATORS } from '../../../src/core/policy/operators.js';
import { ENGINE_PARAMS } from '../../../src/core/policy/engine-params.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import schema from '../../../schemas/policy.schema.json' with { type: 'json' };
import { ROOT } from '../../helpers/app.js';

const defs = schema.$defs as unknown as Record<string, { oneOf: { const: string; description: string }[] }>;
const shipped = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');

describe('the policy schema carries the author vocabulary (npm run gen:policy-vocabulary)', () => {
  it('names every fact of the catalog, and only those, each with its description', () => {
    expect(defs.FactName!.oneOf.map((f) => f.const).sort()).toEqual(Object.keys(FACTS).sort());
    for (const f of defs.FactName!.oneOf) expect(f.description).toContain(FACTS[f.const as keyof typeof FACTS].description);
  });

  it('names every operator with the fact types it applies to, and every parameter the engine reads', () => {
    expect(defs.OperatorName!.oneOf.map((o) => o.const).sort()).toEqual(Object.keys(OPERATORS).sort());
    expect(defs.OperatorName!.oneOf.find((o) => o.const === 'contains')!.description).toContain('list');
    const params = (schema.properties.parameters as unknown as { properties: Record<string, { description: string }> }).properties;
    expect(Object.keys(params).sort()).toEqual(Object.keys(ENGINE_PARAMS).sort());
    expect(params.dsrApproveMax!.description).toContain(ENGINE_PARAMS.dsrApproveMax.description);
  });

  it('leaves validation as it was: an unknown fact is still a located semantic problem, not a schema error', () => {
    const { policy, problems } = loadPolicy(shipped.replace('fact: postPlanDsr', 'fact: postPlanDsrr'), 'restructuring/1.0.0.yaml', 'x');
    expect(policy).toBeUndefined();
    const p = problems.find((x) => x.message.includes('postPlanDsrr'))!;
    expect(p.code).toBe('POLICY_SEMANTIC');
    expect(p.message).toContain('unknown fact "postPlanDsrr"');
    expect(problems.filter((x) => x.code === 'POLICY_SCHEMA')).toEqual([]);
  });

  it('the shipped YAML files point editors at the schema with a yaml-language-server modeline', () => {
    expect(shipped.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/policy.schema.json');
    const tests = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.test.yaml'), 'utf8');
    expect(tests.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/policy-test.schema.json');
  });
});
