import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { formatProblem } from '../../../src/core/policy/problem.js';
import { sameEffectiveFrom } from '../../../src/core/policy/version-overlap.js';
import { ROOT } from '../../helpers/app.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');

function problems(edit: (t: string) => string, file = 'p/restructuring/candidate.yaml') {
  const text = edit(TEXT);
  expect(text).not.toBe(TEXT);
  const r = loadPolicy(text, file, 'sha');
  return { ...r, lines: r.problems.map(formatProblem) };
}

describe('policy lint at the edges', () => {
  it('effectiveTo earlier than effectiveFrom is an error at effectiveTo', () => {
    const r = problems((t) => t.replace(/(effectiveFrom:\s*"?2026-01-01"?)/, '$1\n  effectiveTo: "2025-12-31"'));
    expect(r.policy).toBeUndefined();
    expect(r.lines).toContainEqual(expect.stringMatching(/candidate\.yaml:\d+:\d+: error: effectiveTo 2025-12-31 is before effectiveFrom 2026-01-01/));
  });

  it('a ratio typed as a percentage is an error with "did you mean 0.55?", at its definition and at each use', () => {
    const r = problems((t) => t.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$155'));
    expect(r.policy).toBeUndefined();
    const about = r.problems.filter((p) => p.severity === 'error' && p.message.includes('did you mean 0.55?'));
    expect(about.map((p) => p.path)).toContainEqual('parameters.dsrApproveMax.value');
    const uses = about.filter((p) => p.path.startsWith('rules['));
    expect(uses.length).toBeGreaterThan(1);
    for (const u of uses) expect(u.message).toContain('(defined at parameters.dsrApproveMax)');
  });

  it('an error found at a parameter\'s use is reported at its definition too', () => {
    const r = problems((t) => t.replace(/(installmentMinScore:\s*\{\s*value:\s*)600\b/, '$1"six hundred"'));
    const lines = r.problems.filter((p) => p.severity === 'error' && /parameter "installmentMinScore"/.test(p.message));
    expect(lines.some((p) => p.path.startsWith('parameters.installmentMinScore') && p.message.includes('(used at rules['))).toBe(true);
    expect(lines.some((p) => p.path.startsWith('rules['))).toBe(true);
  });

  it('an unknown fact or parameter name gets a "did you mean" suggestion', () => {
    const fact = problems((t) => t.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }'));
    expect(fact.lines).toContainEqual(expect.stringContaining('unknown fact "fraudFlagg"; did you mean "fraudFlag"?'));
    const param = problems((t) => t.replace('param: dsrApproveMax', 'param: dsrAproveMax'));
    expect(param.lines).toContainEqual(expect.stringContaining('unknown parameter "dsrAproveMax"; did you mean "dsrApproveMax"?'));
  });

  it('two versions of one policy with the same effectiveFrom are a warning naming both files', () => {
    const a = loadPolicy(TEXT, 'policies/restructuring/1.0.0.yaml', 'a').policy!;
    const b = loadPolicy(TEXT.replace(/version:\s*"?1\.0\.0"?/, 'version: "1.0.1"'), 'policies/restructuring/1.0.1.yaml', 'b').policy!;
    const w = sameEffectiveFrom([a, b]);
    expect(w).toHaveLength(2);
    expect(w.every((p) => p.severity === 'warning')).toBe(true);
    expect(w[0]!.message).toContain('policies/restructuring/1.0.0.yaml');
    expect(w[0]!.message).toContain('policies/restructuring/1.0.1.yaml');
    expect(w[0]!.line).toBeGreaterThan(1);
    expect(sameEffectiveFrom([a, a])).toEqual([]);
  });
});
