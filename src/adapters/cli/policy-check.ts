import { checkPolicies, type EvaluatorFactory } from '../../app/check-policies.js';
import { checkScreeningPolicies } from '../../app/screening-policies.js';
import { formatProblem, sortProblems } from '../../core/policy/problem.js';
import type { PolicyTestReport } from '../../core/policy-tests/run.js';
import { loadPolicyFiles } from '../policies/file-source.js';

function coverageTable(reports: PolicyTestReport[]): { lines: string[]; complete: boolean } {
  const lines: string[] = [];
  let complete = true;
  for (const r of reports) {
    const rows = Object.entries(r.coverage);
    const both = rows.filter(([, c]) => c.fired > 0 && c.notFired > 0).length;
    lines.push(`coverage ${r.file}: ${both}/${rows.length} rules both fired and not fired (${r.cases} cases)`);
    lines.push(`  ${'rule'.padEnd(10)} ${'fired'.padStart(6)} ${'not fired'.padStart(10)}`);
    for (const [id, c] of rows) {
      const gap = c.fired === 0 ? '  <- never fired' : c.notFired === 0 ? '  <- always fired' : '';
      if (gap) complete = false;
      lines.push(`  ${id.padEnd(10)} ${String(c.fired).padStart(6)} ${String(c.notFired).padStart(10)}${gap}`);
    }
  }
  return { lines, complete };
}

/** `tideover policy check [--coverage] [paths…]`: exit 0 when every policy loads and its tests pass. */
export async function policyCheck(paths: string[], opts: { coverage: boolean; json: boolean }, makeEvaluator: EvaluatorFactory, makeReference: EvaluatorFactory | undefined, out: (s: string) => void): Promise<number> {
  const files = await loadPolicyFiles(paths);
  const result = await checkPolicies(files, makeEvaluator, makeReference);
  // Screening policies sit in the same folders; they are checked by their own test runner, reported alike.
  if (files.screening.length) {
    const screening = checkScreeningPolicies(files.screening, 'warning');
    result.reports.push(...screening.reports);
    result.problems.push(...screening.problems);
    if (screening.problems.some((p) => p.severity === 'error')) result.ok = false;
  }
  result.problems = sortProblems(result.problems);
  const cov = coverageTable(result.reports);
  const ok = result.ok && (!opts.coverage || cov.complete);
  if (opts.json) {
    out(JSON.stringify({ ok, problems: result.problems, reports: result.reports.map(({ file, cases, passed, coverage }) => ({ file, cases, passed, coverage })) }, null, 2));
    return ok ? 0 : 1;
  }
  for (const p of result.problems) out(formatProblem(p));
  if (opts.coverage) cov.lines.forEach((l) => out(l));
  const cases = result.reports.reduce((n, r) => n + r.cases, 0);
  const passed = result.reports.reduce((n, r) => n + r.passed, 0);
  out(`${result.loaded.length + files.screening.length} policy version(s), ${passed}/${cases} test cases passed, ${result.problems.filter((p) => p.severity === 'error').length} error(s)${opts.coverage && !cov.complete ? ', rule coverage incomplete' : ''}`);
  return ok ? 0 : 1;
}
