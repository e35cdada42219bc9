import { describe, expect, it } from 'vitest';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { policyCheck } from '../../src/adapters/cli/policy-check.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';

describe('policy check with a screening policy in the folder', () => {
  it('keeps screening policies out of the decision policies and checks both', async () => {
    const files = await loadPolicyFiles(['policies']);
    expect(files.policies.map((p) => p.policy.id)).not.toContain('screening');
    expect(files.screening.map((p) => `${p.policy.id}@${p.policy.version}`)).toEqual(['screening@1.0.0']);
    const lines: string[] = [];
    const code = await policyCheck(['policies'], { coverage: true, json: false }, evaluatorFactory('compiled'), undefined, (s) => lines.push(s));
    expect(lines.join('\n')).toContain('coverage policies/screening/1.0.0.test.yaml: 14/14 rules both fired and not fired');
    expect(code).toBe(0);
  });
});
