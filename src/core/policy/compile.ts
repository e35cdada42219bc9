import type { Policy, PolicyRule, ReasonCode } from '../../generated/policy.js';
import { PLACEHOLDER, reasonTemplatesOf } from '../explain/reasons.js';
import { isFact, type FactName } from '../facts/catalog.js';
import { canonicalDecimal, compileCondition } from './compile-condition.js';
import { ENGINE_PARAMS, type EngineParamName } from './engine-params.js';
import { lintRules } from './lint.js';
import { atDefinitionAndUses, parameterUses, ratioOutOfRange } from './param-checks.js';
import { didYouMean } from './suggest.js';
import { FORBEARANCE_PARAMS, forbearanceParamsOf, type ForbearanceParamName } from '../forbearance/params.js';
import { engineParamsOf } from '../decide/params.js';
import { enhancedWaiverCentsOf, grantTermsOf } from '../decide/waiver.js';
import type { AccountAction, CompiledPolicy, CompiledRule, Decision, OptionType, ParamValue } from './model.js';
import type { PathSegment, PolicyProblem } from './problem.js';
import type { YamlSource } from './yaml-source.js';

const ACCOUNT_OUTCOMES = new Set(['NONE', 'RESTRICT_NEW_DRAWS', 'FREEZE']);
const NEEDS_REASON = new Set(['DECLINE', 'REFER', 'COUNTEROFFER', 'PENDING_DOCUMENTS', 'RESTRICT_NEW_DRAWS', 'FREEZE']);

function normaliseParam(raw: unknown): ParamValue {
  const v = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { value: ParamValue }).value : (raw as ParamValue);
  const one = (x: string | number | boolean) => (typeof x === 'number' && !Number.isInteger(x) ? canonicalDecimal(x)! : x);
  return Array.isArray(v) ? v.map(one) : one(v);
}

function checkEngineParam(name: EngineParamName | ForbearanceParamName, value: ParamValue | undefined): string | undefined {
  const def = name in ENGINE_PARAMS ? ENGINE_PARAMS[name as EngineParamName] : FORBEARANCE_PARAMS[name as ForbearanceParamName];
  const type = def.type;
  if (value === undefined) return `the engine needs parameter "${name}" (${type}): ${def.description}`;
  const whole = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 600;
  switch (type) {
    case 'monthList':
      return Array.isArray(value) && value.length > 0 && value.every(whole) ? undefined : `parameter "${name}" must be a list of whole months`;
    case 'months':
    case 'days':
    case 'count':
      return whole(value) ? undefined : `parameter "${name}" must be a whole number from 0 to 600`;
    case 'ratio':
    case 'money':
      return canonicalDecimal(value) !== undefined && !String(value).startsWith('-') ? undefined : `parameter "${name}" must be a non-negative decimal`;
  }
}

/** Semantic checks and compilation of a schema-valid policy; every problem is located. */
export function compilePolicy(src: YamlSource, sha256: string, source: string): { policy?: CompiledPolicy; problems: PolicyProblem[] } {
  const doc = src.value as Policy;
  const problems: PolicyProblem[] = [];
  const report = (path: PathSegment[], message: string, severity: PolicyProblem['severity'] = 'error') =>
    problems.push(src.problem(path, message, 'POLICY_SEMANTIC', severity));

  const params: Record<string, ParamValue> = {};
  for (const [name, raw] of Object.entries(doc.parameters)) params[name] = normaliseParam(raw);
  for (const name of Object.keys(ENGINE_PARAMS) as EngineParamName[]) {
    const msg = checkEngineParam(name, params[name]);
    if (msg) report(params[name] === undefined ? ['parameters'] : ['parameters', name], msg);
  }
  // Optional (a policy without them decides as before), but typed when given.
  for (const name of Object.keys(FORBEARANCE_PARAMS) as ForbearanceParamName[]) {
    const msg = params[name] === undefined ? undefined : checkEngineParam(name, params[name]);
    if (msg) report(['parameters', name], msg);
  }
  for (const [name, raw] of Object.entries(doc.parameters)) {
    const unit = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { unit?: string }).unit : undefined;
    const engine = (ENGINE_PARAMS as Record<string, { type: string }>)[name] ?? (FORBEARANCE_PARAMS as Record<string, { type: string }>)[name];
    const msg = unit === 'ratio' || engine?.type === 'ratio' ? ratioOutOfRange(name, params[name]) : undefined;
    if (msg) report(unit === undefined ? ['parameters', name] : ['parameters', name, 'value'], msg);
  }
  const { effectiveFrom, effectiveTo } = doc.metadata;
  if (effectiveTo !== undefined && effectiveTo < effectiveFrom)
    report(['metadata', 'effectiveTo'], `effectiveTo ${effectiveTo} is before effectiveFrom ${effectiveFrom}: this version would never be in effect`);

  const codes = doc.reasonCodes as Record<string, ReasonCode>;
  const usedCodes = new Set<string>();
  const checkCodes = (list: string[] | undefined, path: PathSegment[]) =>
    (list ?? []).forEach((code, i) => {
      usedCodes.add(code);
      if (!Object.prototype.hasOwnProperty.call(codes, code)) report([...path, i], `unknown reason code "${code}"; add it to reasonCodes`);
    });

  for (const [code, rc] of Object.entries(codes)) {
    for (const lang of ['en', 'zh'] as const) {
      for (const m of rc.text[lang].matchAll(PLACEHOLDER)) {
        const name = m[1]!;
        const ok = name.startsWith('param.') ? Object.prototype.hasOwnProperty.call(params, name.slice(6)) : isFact(name);
        if (!ok) report(['reasonCodes', code, 'text', lang], `placeholder {${name}} names no fact or parameter`);
      }
    }
  }

  const usedParams = new Set<string>();
  const rules: CompiledRule[] = [];
  const seen = new Map<string, number>();
  doc.rules.forEach((rule: PolicyRule, i) => {
    const at: PathSegment[] = ['rules', i];
    if (seen.has(rule.id)) report([...at, 'id'], `rule id "${rule.id}" is already used by rules[${seen.get(rule.id)}]`);
    seen.set(rule.id, i);
    const options = (Array.isArray(rule.option) ? rule.option : [rule.option]) as OptionType[];
    const isAccount = options.includes('ACCOUNT_ACTION');
    if (isAccount && options.length > 1) report([...at, 'option'], 'an ACCOUNT_ACTION rule speaks to the account only; split it from option rules');
    if (rule.outcome !== undefined) {
      if (isAccount !== ACCOUNT_OUTCOMES.has(rule.outcome))
        report([...at, 'outcome'], isAccount ? `ACCOUNT_ACTION outcome must be NONE, RESTRICT_NEW_DRAWS or FREEZE, not ${rule.outcome}` : `option outcome must be a decision, not the account action ${rule.outcome}`);
      if (NEEDS_REASON.has(rule.outcome) && !(rule.reasonCodes?.length)) report([...at, 'outcome'], `outcome ${rule.outcome} needs at least one reason code`);
    } else if (!rule.securityRequirement && !rule.offerConditions?.length && !rule.waiver && !rule.securityProvided && !rule.replaceOutcome) {
      report(at, 'a rule needs an outcome, a securityRequirement, securityProvided, offerConditions, a waiver or replaceOutcome');
    }
    for (const from of Object.keys(rule.replaceOutcome ?? {}))
      if (isAccount !== ACCOUNT_OUTCOMES.has(from))
        report([...at, 'replaceOutcome', from], isAccount ? `an ACCOUNT_ACTION rule replaces account actions, not ${from}` : `an option rule replaces decisions, not the account action ${from}`);
    checkCodes(rule.reasonCodes, [...at, 'reasonCodes']);
    if (rule.waiver) {
      if (!options.every((o) => o === 'PENALTY_WAIVER')) report([...at, 'waiver'], 'only PENALTY_WAIVER rules set a waiver');
      for (const k of ['pct', 'cap'] as const) {
        const name = rule.waiver[k];
        if (name === undefined) continue;
        usedParams.add(name);
        if (!Object.prototype.hasOwnProperty.call(params, name)) report([...at, 'waiver', k], `unknown parameter "${name}"${didYouMean(name, Object.keys(params))}`);
        else if (canonicalDecimal(params[name]) === undefined) report([...at, 'waiver', k], `parameter "${name}" must be a decimal`);
      }
    }
    const usedFacts = new Set<FactName>();
    const ruleParams = new Set<string>();
    const condition = compileCondition(rule.conditions, [...at, 'conditions'], {
      params,
      options,
      report: (p, m) => report(p, m),
      usedFacts,
      usedParams: ruleParams,
    });
    ruleParams.forEach((p) => usedParams.add(p));
    if (condition)
      rules.push({
        id: rule.id,
        description: rule.description,
        options,
        priority: rule.priority ?? 1,
        condition,
        outcome: rule.outcome as Decision | AccountAction | undefined,
        reasonCodes: rule.reasonCodes ?? [],
        securityRequirement: rule.securityRequirement,
        securityProvided: rule.securityProvided,
        offerConditions: rule.offerConditions ?? [],
        waiver: rule.waiver,
        ...(rule.replaceOutcome ? { replaceOutcome: rule.replaceOutcome as Partial<Record<Decision | AccountAction, Decision | AccountAction>> } : {}),
        facts: [...usedFacts],
        params: [...ruleParams],
      });
  });

  const defaults = doc.defaults ?? { decision: 'REFER', reasonCodes: [] };
  checkCodes(defaults.reasonCodes, ['defaults', 'reasonCodes']);
  if (doc.documents?.enhancedWaiverAbove) {
    usedParams.add(doc.documents.enhancedWaiverAbove);
    if (canonicalDecimal(params[doc.documents.enhancedWaiverAbove]) === undefined)
      report(['documents', 'enhancedWaiverAbove'], `parameter "${doc.documents.enhancedWaiverAbove}" must exist and be a decimal`);
  }
  for (const code of Object.keys(codes)) if (!usedCodes.has(code)) report(['reasonCodes', code], `reason code "${code}" is never used by a rule`, 'warning');
  for (const rc of Object.values(codes)) for (const m of [...rc.text.en.matchAll(PLACEHOLDER), ...rc.text.zh.matchAll(PLACEHOLDER)]) if (m[1]!.startsWith('param.')) usedParams.add(m[1]!.slice(6));
  for (const name of Object.keys(params))
    if (!usedParams.has(name) && !(name in ENGINE_PARAMS) && !(name in FORBEARANCE_PARAMS)) report(['parameters', name], `parameter "${name}" is not used by any rule`, 'warning');

  for (const w of lintRules(rules)) {
    const at = doc.rules.findIndex((r) => r.id === rules[w.ruleIndex]!.id);
    report(['rules', at, 'id'], w.message, 'warning');
  }

  // A file named like a version (as under POLICY_DIR) must hold that version; other names (candidate.yaml) are free.
  const base = src.file.split(/[\\/]/).pop() ?? '';
  if (/^\d+\.\d+\.\d+.*\.ya?ml$/.test(base) && base.replace(/\.ya?ml$/, '') !== doc.metadata.version)
    report(['metadata', 'version'], `version ${doc.metadata.version} does not match the file name ${base}`);

  const located = atDefinitionAndUses(problems, parameterUses(doc), (path, message) => src.problem(path, message, 'POLICY_SEMANTIC', 'error'));
  problems.splice(0, problems.length, ...located);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const documents = doc.documents;
  return {
    problems,
    policy: {
      id: doc.metadata.id,
      version: doc.metadata.version,
      sha256,
      file: src.file,
      source,
      metadata: doc.metadata,
      params,
      reasonCodes: codes,
      documents,
      defaults: { decision: defaults.decision as Decision, reasonCodes: defaults.reasonCodes },
      rules,
      // Derived once here, so a decision finds them on the policy instead of in module-level caches.
      engine: engineParamsOf(params),
      forbearance: forbearanceParamsOf(params),
      rulesById: new Map(rules.map((r) => [r.id, r])),
      grantTerms: grantTermsOf(params, rules),
      enhancedWaiverCents: enhancedWaiverCentsOf(params, documents),
      reasonTemplates: reasonTemplatesOf(params, codes),
    },
  };
}
