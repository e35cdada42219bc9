import type { RestructuringApplication } from '../../generated/application.js';
import type { DecisionResult } from '../../generated/decision.js';
import type { PolicyTestCase, PolicyTestFile } from '../../generated/policy-test.js';
import { decide } from '../decide/decide.js';
import type { Evaluator } from '../evaluate/evaluator.js';
import { schemaProblems } from '../policy/load.js';
import { EVALUATION_ORDER, type CompiledPolicy } from '../policy/model.js';
import type { PathSegment, PolicyProblem } from '../policy/problem.js';
import { sortProblems } from '../policy/problem.js';
import { parseYamlSource, type YamlSource } from '../policy/yaml-source.js';
import { validators } from '../validation/schemas.js';
import { deepMerge } from './merge.js';

export interface RuleCoverage {
  fired: number;
  notFired: number;
}

export interface PolicyTestReport {
  file: string;
  cases: number;
  passed: number;
  problems: PolicyProblem[];
  coverage: Record<string, RuleCoverage>;
}

/** The scopes of a decision's facts in the order it decides them, which a bare fact name is looked up in. */
const FACT_SCOPES = ['application', ...EVALUATION_ORDER];

function compareExpect(c: PolicyTestCase, d: DecisionResult, at: PathSegment[], fail: (path: PathSegment[], msg: string) => void): void {
  const e = c.expect;
  const byOption = new Map(d.options.map((o) => [o.option, o]));
  for (const [opt, want] of Object.entries(e.decisions ?? {})) {
    const got = byOption.get(opt as never)?.decision;
    if (got !== want) fail([...at, 'decisions', opt], `${opt}: expected ${want}, got ${got} (fired: ${byOption.get(opt as never)?.firedRules.join(', ') || 'none'})`);
  }
  if (e.accountAction && d.accountAction.action !== e.accountAction)
    fail([...at, 'accountAction'], `account action: expected ${e.accountAction}, got ${d.accountAction.action} (fired: ${d.accountAction.firedRules.join(', ') || 'none'})`);
  const codesOf = (opt: string) => (opt === 'ACCOUNT_ACTION' ? d.accountAction.reasonCodes : (byOption.get(opt as never)?.reasonCodes ?? [])).map((r) => r.code);
  for (const [opt, codes] of Object.entries(e.reasonCodes ?? {}))
    for (const code of codes ?? []) if (!codesOf(opt).includes(code)) fail([...at, 'reasonCodes', opt], `${opt}: expected reason ${code}, got [${codesOf(opt).join(', ')}]`);
  for (const [opt, codes] of Object.entries(e.absentReasonCodes ?? {}))
    for (const code of codes ?? []) if (codesOf(opt).includes(code)) fail([...at, 'absentReasonCodes', opt], `${opt}: reason ${code} should be absent`);
  for (const [opt, want] of Object.entries(e.securityRequirement ?? {})) {
    const got = byOption.get(opt as never)?.securityRequirement;
    if (got !== want) fail([...at, 'securityRequirement', opt], `${opt}: expected security ${want}, got ${got}`);
  }
  const fired = new Set(d.explanation.firedRules);
  for (const id of e.fired ?? []) if (!fired.has(id)) fail([...at, 'fired'], `rule ${id} should fire but did not`);
  for (const id of e.notFired ?? []) if (fired.has(id)) fail([...at, 'notFired'], `rule ${id} should not fire but did`);
  const facts = d.explanation.facts as Record<string, Record<string, unknown>>;
  // `OPTION.fact` reads one option's facts; a bare name reads the first scope that has it, in decision
  // order (the explanation lists its scopes in canonical order, which is not that).
  for (const [name, want] of Object.entries(e.facts ?? {})) {
    const dot = name.indexOf('.');
    const got = dot > 0 ? facts[name.slice(0, dot)]?.[name.slice(dot + 1)] : FACT_SCOPES.map((s) => facts[s]).find((f) => f !== undefined && name in f)?.[name];
    if (String(got) !== String(want)) fail([...at, 'facts', name], `fact ${name}: expected ${String(want)}, got ${String(got)}`);
  }
}

/** Runs one test file against a compiled policy: each failure is a located problem; coverage counts rules. */
/**
 * `reference`, when given, decides every case a second time (json-rules-engine itself) and any
 * difference from `evaluator` is a failure: the fast path must never drift from the reference.
 */
export async function runPolicyTests(policy: CompiledPolicy, evaluator: Evaluator, text: string, file: string, reference?: Evaluator): Promise<PolicyTestReport> {
  const src: YamlSource = parseYamlSource(text, file);
  const report: PolicyTestReport = { file, cases: 0, passed: 0, problems: [...src.problems], coverage: {} };
  for (const r of policy.rules) report.coverage[r.id] = { fired: 0, notFired: 0 };
  if (src.problems.some((p) => p.severity === 'error')) return report;
  if (!validators.policyTest(src.value)) {
    report.problems.push(...schemaProblems(src, validators.policyTest.errors));
    return report;
  }
  const doc = src.value as PolicyTestFile;
  for (const [i, c] of doc.cases.entries()) {
    report.cases++;
    const at: PathSegment[] = ['cases', i];
    const app = deepMerge(doc.base, c.patch) as RestructuringApplication;
    if (!validators.application(app)) {
      const first = validators.application.errors?.[0];
      report.problems.push(src.problem([...at, 'patch'], `case "${c.name}": the application is invalid at ${first?.instancePath || '/'}: ${first?.message}`, 'POLICY_TEST_FAILED'));
      continue;
    }
    let d: DecisionResult;
    try {
      d = await decide({ application: app, policy, evaluator, now: c.now ?? doc.now ?? app.receivedAt, decisionId: `test-${i}`, language: 'en', selectedBy: 'policy test' });
    } catch (e) {
      // One case that cannot be decided is a failure of that case, not of the whole check.
      report.problems.push(src.problem(at, `case "${c.name}": the decision failed: ${(e as Error).message}`, 'POLICY_TEST_FAILED'));
      continue;
    }
    let ok = true;
    if (reference) {
      const ref = await decide({ application: app, policy, evaluator: reference, now: c.now ?? doc.now ?? app.receivedAt, decisionId: `test-${i}`, language: 'en', selectedBy: 'policy test' });
      if (JSON.stringify(ref) !== JSON.stringify(d)) {
        ok = false;
        report.problems.push(src.problem(at, `case "${c.name}": the evaluator's decision differs from json-rules-engine's (the reference)`, 'POLICY_TEST_FAILED'));
      }
    }
    compareExpect(c, d, [...at, 'expect'], (path, msg) => {
      ok = false;
      report.problems.push(src.problem(path, `case "${c.name}": ${msg}`, 'POLICY_TEST_FAILED'));
    });
    if (ok) report.passed++;
    const fired = new Set(d.explanation.firedRules);
    const evaluated = new Set(d.explanation.rules.map((r) => r.ruleId));
    for (const id of evaluated) report.coverage[id]![fired.has(id) ? 'fired' : 'notFired']++;
  }
  report.problems = sortProblems(report.problems);
  return report;
}
