import type { LoanSnapshot } from '../../generated/loan-snapshot.js';
import type { ScreeningPolicyTests } from '../../generated/screening-test.js';
import { schemaProblems } from '../policy/load.js';
import { sortProblems, type PathSegment, type PolicyProblem } from '../policy/problem.js';
import type { PolicyTestReport } from '../policy-tests/run.js';
import { parseYamlSource } from '../policy/yaml-source.js';
import { deepMerge } from '../policy-tests/merge.js';
import { ajvProblems } from '../validation/messages.js';
import type { CompiledScreeningPolicy } from './model.js';
import { screeningValidators } from './schemas.js';
import { screenLoan } from './screen.js';

/**
 * Runs a screening policy's YAML test cases: each case's snapshot (the base, patched) is validated and
 * screened, and every difference from `expect` is a located failure. Coverage counts, per rule and
 * exclusion, the cases where it fired and where it did not — the same report `policy check` prints
 * for decision policies.
 */
export function runScreeningTests(policy: CompiledScreeningPolicy, text: string, file: string): PolicyTestReport {
  const src = parseYamlSource(text, file);
  const coverage: PolicyTestReport['coverage'] = {};
  for (const r of [...policy.exclusions, ...policy.rules]) coverage[r.id] = { fired: 0, notFired: 0 };
  const report = (problems: PolicyProblem[], cases = 0, passed = 0): PolicyTestReport => ({ file, cases, passed, problems: sortProblems(problems), coverage });
  if (src.problems.some((p) => p.severity === 'error')) return report(src.problems);
  if (!screeningValidators.screeningTest(src.value)) return report([...src.problems, ...schemaProblems(src, screeningValidators.screeningTest.errors)]);
  const doc = src.value as ScreeningPolicyTests;
  const problems: PolicyProblem[] = [...src.problems];
  let passed = 0;
  doc.cases.forEach((c, i) => {
    const at: PathSegment[] = ['cases', i];
    let ok = true;
    const fail = (path: PathSegment[], msg: string) => {
      ok = false;
      problems.push(src.problem(path, `${c.name}: ${msg}`, 'POLICY_TEST_FAILED'));
    };
    const snapshot = deepMerge(doc.base, c.snapshot);
    if (!screeningValidators.loanSnapshot(snapshot)) {
      for (const p of ajvProblems(screeningValidators.loanSnapshot.errors)) fail([...at, 'snapshot'], `the snapshot is invalid: ${p.message}`);
      return;
    }
    const s = screenLoan(snapshot as LoanSnapshot, policy);
    const fired = new Set(s.reasons.map((r) => r.ruleId));
    for (const id of Object.keys(coverage)) coverage[id]![fired.has(id) ? 'fired' : 'notFired']++;
    const e = c.expect;
    if (s.tier !== e.tier) fail([...at, 'expect', 'tier'], `tier: expected ${e.tier}, got ${s.tier} (${s.points ?? '—'} points; fired: ${[...fired].join(', ') || 'none'})`);
    if (e.points !== undefined && s.points !== e.points) fail([...at, 'expect', 'points'], `points: expected ${e.points}, got ${s.points}`);
    if (e.fired !== undefined) {
      const want = [...e.fired].sort().join(', ');
      const got = [...fired].sort().join(', ');
      if (want !== got) fail([...at, 'expect', 'fired'], `fired: expected [${want}], got [${got}]`);
    }
    if (e.contactBy !== undefined && (s.contactBy ?? null) !== e.contactBy) fail([...at, 'expect', 'contactBy'], `contactBy: expected ${e.contactBy ?? 'none'}, got ${s.contactBy ?? 'none'}`);
    if (e.reasons !== undefined && e.reasons.join(',') !== s.reasons.map((r) => r.code).join(','))
      fail([...at, 'expect', 'reasons'], `reasons in rank order: expected [${e.reasons.join(', ')}], got [${s.reasons.map((r) => r.code).join(', ')}]`);
    for (const [code, want] of Object.entries(e.text ?? {})) {
      const got = s.reasons.find((r) => r.code === code)?.text.en;
      if (got !== want) fail([...at, 'expect', 'text', code], `text of ${code}: expected "${want}", got "${got ?? 'no such reason'}"`);
    }
    if (ok) passed++;
  });
  return report(problems, doc.cases.length, passed);
}
