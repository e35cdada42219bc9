import { diffPolicies } from '../../app/policy-diff.js';
import { formatDiff } from '../../app/policy-diff-text.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import { formatProblem, type PolicyProblem } from '../../core/policy/problem.js';
import { loadPolicyFiles } from '../policies/file-source.js';

/** Loads exactly one policy version from a file; every problem is returned located. */
export async function loadOnePolicy(path: string): Promise<{ policy?: CompiledPolicy; problems: PolicyProblem[] }> {
  const files = await loadPolicyFiles([path]);
  const errors = files.problems.filter((p) => p.severity === 'error');
  if (errors.length) return { problems: files.problems };
  if (files.policies.length !== 1)
    return {
      problems: [{ file: path, line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC', severity: 'error', message: `expected one policy file, found ${files.policies.length}` }],
    };
  return { policy: files.policies[0]!.policy, problems: files.problems };
}

/**
 * `tideover policy diff <old.yaml> <new.yaml> [--json]`: what changed, in words a risk reviewer reads.
 * Exit 0 whether or not anything changed, 1 when a file does not load.
 */
export async function policyDiffCommand(oldPath: string, newPath: string, opts: { json: boolean }, out: (s: string) => void): Promise<number> {
  // Loaded one at a time: two files of the same id and version are exactly what a diff compares.
  const [a, b] = [await loadOnePolicy(oldPath), await loadOnePolicy(newPath)];
  if (!a.policy || !b.policy) {
    const problems = [...a.problems, ...b.problems].filter((p) => p.severity === 'error');
    if (opts.json) out(JSON.stringify({ ok: false, problems }, null, 2));
    else for (const p of problems) out(formatProblem(p));
    return 1;
  }
  const diff = diffPolicies(a.policy, b.policy);
  out(opts.json ? JSON.stringify(diff, null, 2) : formatDiff(diff));
  return 0;
}
