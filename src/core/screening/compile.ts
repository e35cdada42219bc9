import type { ScreeningPolicy } from '../../generated/screening-policy.js';
import { PLACEHOLDER } from '../explain/reasons.js';
import { schemaProblems } from '../policy/load.js';
import { pathToString, sortProblems, type PathSegment, type PolicyProblem } from '../policy/problem.js';
import { parseYamlSource } from '../policy/yaml-source.js';
import { compileScreeningCondition } from './condition.js';
import { isScreeningFact, type ScreeningFactName } from './facts.js';
import { SCREENING_ENGINE_PARAMS, type CompiledScreeningPolicy, type CompiledScreeningRule, type ScreeningEngineParam } from './model.js';
import { reasonTextsOf } from './reasons.js';
import { screeningValidators } from './schemas.js';

/** Whether a policy file's text declares a screening policy: how a policy folder tells the two kinds apart. */
export function isScreeningPolicyText(text: string): boolean {
  return /^kind:[ \t]*["']?ScreeningPolicy["']?[ \t]*(#.*)?$/m.test(text);
}

/**
 * Parses, schema-checks and compiles one screening policy. Pure: the caller reads the file and hashes
 * its bytes. Every problem is reported at once, sorted, each with file:line:column.
 */
export function loadScreeningPolicy(text: string, file: string, sha256: string): { policy?: CompiledScreeningPolicy; problems: PolicyProblem[] } {
  const src = parseYamlSource(text, file);
  if (src.problems.some((p) => p.severity === 'error')) return { problems: sortProblems(src.problems) };
  if (!screeningValidators.screeningPolicy(src.value))
    return { problems: sortProblems([...src.problems, ...schemaProblems(src, screeningValidators.screeningPolicy.errors)]) };
  const doc = src.value as ScreeningPolicy;
  const problems: PolicyProblem[] = [...src.problems];
  const report = (path: PathSegment[], message: string, severity: PolicyProblem['severity'] = 'error') => problems.push(src.problem(path, message, 'POLICY_SEMANTIC', severity));

  const params: Record<string, number> = {};
  for (const [name, p] of Object.entries(doc.parameters)) if (p) params[name] = p.value;
  for (const name of Object.keys(SCREENING_ENGINE_PARAMS) as ScreeningEngineParam[]) {
    const v = params[name];
    if (v === undefined) report(['parameters'], `a screening policy needs parameter "${name}": ${SCREENING_ENGINE_PARAMS[name]}`);
    else if (!Number.isInteger(v) || v < 0) report(['parameters', name, 'value'], `parameter "${name}" must be a whole number ≥ 0`);
  }
  const { tierWatchMinPoints: w, tierHighMinPoints: h, tierCriticalMinPoints: c } = params;
  if (w !== undefined && h !== undefined && c !== undefined && !(0 < w && w < h && h < c))
    report(['parameters', 'tierWatchMinPoints'], `tier cut-offs must rise: 0 < tierWatchMinPoints (${w}) < tierHighMinPoints (${h}) < tierCriticalMinPoints (${c})`);

  const usedParams = new Set<string>(Object.keys(SCREENING_ENGINE_PARAMS));
  const usedCodes = new Set<string>();
  const seen = new Map<string, string>();
  const compileRule = (rule: ScreeningPolicy['rules'][number] | ScreeningPolicy['exclusions'][number], at: PathSegment[], exclusion: boolean): CompiledScreeningRule => {
    const where = pathToString(at);
    if (seen.has(rule.id)) report([...at, 'id'], `rule id "${rule.id}" is already used by ${seen.get(rule.id)}`);
    seen.set(rule.id, where);
    usedCodes.add(rule.reasonCode);
    if (!Object.prototype.hasOwnProperty.call(doc.reasonCodes, rule.reasonCode)) report([...at, 'reasonCode'], `unknown reason code "${rule.reasonCode}"; add it to reasonCodes`);
    let points = 0;
    if (!exclusion) {
      const raw = (rule as ScreeningPolicy['rules'][number]).points;
      if (typeof raw === 'number') points = raw;
      else {
        usedParams.add(raw.param);
        const v = params[raw.param];
        if (v === undefined || !Number.isInteger(v) || v < 0) report([...at, 'points', 'param'], `points parameter "${raw.param}" must exist and be a whole number ≥ 0`);
        else points = v;
      }
    }
    const facts = new Set<ScreeningFactName>();
    const ruleParams = new Set<string>();
    const when = compileScreeningCondition(rule.when, [...at, 'when'], { params, report: (p, m) => report(p, m), facts, usedParams: ruleParams });
    ruleParams.forEach((p) => usedParams.add(p));
    return { id: rule.id, description: rule.description, points, reasonCode: rule.reasonCode, when, facts: [...facts], params: [...ruleParams] };
  };
  const exclusions = doc.exclusions.map((r, i) => compileRule(r, ['exclusions', i], true));
  const rules = doc.rules.map((r, i) => compileRule(r, ['rules', i], false));

  for (const [code, rc] of Object.entries(doc.reasonCodes)) {
    if (!rc) continue;
    if (!usedCodes.has(code)) report(['reasonCodes', code], `reason code "${code}" is never used by a rule`, 'warning');
    for (const lang of ['en', 'zh'] as const)
      for (const m of rc.text[lang].matchAll(PLACEHOLDER)) {
        const name = m[1]!;
        if (name.startsWith('param.')) {
          usedParams.add(name.slice(6));
          if (!Object.prototype.hasOwnProperty.call(params, name.slice(6))) report(['reasonCodes', code, 'text', lang], `placeholder {${name}} names no parameter`);
        } else if (!isScreeningFact(name)) report(['reasonCodes', code, 'text', lang], `placeholder {${name}} names no screening fact`);
      }
  }
  for (const name of Object.keys(params)) if (!usedParams.has(name)) report(['parameters', name], `parameter "${name}" is not used by any rule`, 'warning');

  const m = doc.metadata;
  if (m.effectiveTo !== undefined && m.effectiveTo < m.effectiveFrom) report(['metadata', 'effectiveTo'], `effectiveTo ${m.effectiveTo} is before effectiveFrom ${m.effectiveFrom}`);
  const base = file.split(/[\\/]/).pop() ?? '';
  if (/^\d+\.\d+\.\d+.*\.ya?ml$/.test(base) && base.replace(/\.ya?ml$/, '') !== m.version) report(['metadata', 'version'], `version ${m.version} does not match the file name ${base}`);

  const sorted = sortProblems(problems);
  if (sorted.some((p) => p.severity === 'error')) return { problems: sorted };
  return { problems: sorted, policy: { id: m.id, version: m.version, sha256, file, source: text, metadata: m, params, exclusions, rules, reasonCodes: doc.reasonCodes, reasonTexts: reasonTextsOf(doc.reasonCodes) } };
}
