import { Dec } from '../money/decimal.js';
import { FACTS, isFact, type FactDef, type FactName } from '../facts/catalog.js';
import type { Condition } from '../../generated/policy.js';
import type { ConditionNode, OptionType, ParamValue, ValueSource } from './model.js';
import { OPERATORS, engineOperatorName, isOperator } from './operators.js';
import type { PathSegment } from './problem.js';
import { didYouMean } from './suggest.js';

export interface ConditionContext {
  params: Record<string, ParamValue>;
  options: OptionType[];
  report(path: PathSegment[], message: string): void;
  usedFacts: Set<FactName>;
  usedParams: Set<string>;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YAML number becomes its shortest decimal spelling, which is exact for any literal a person writes. */
export function canonicalDecimal(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Dec(String(v)).toFixed();
  if (typeof v === 'string' && DECIMAL.test(v)) return new Dec(v).toFixed();
  return undefined;
}

function scopeProblem(def: FactDef, name: string, options: OptionType[]): string | undefined {
  const planOnly = options.some((o) => o === 'INSTALLMENT' || o === 'GRACE_PERIOD' || o === 'PERSONALISED_PLAN');
  if (def.scope === 'option' && options.includes('ACCOUNT_ACTION'))
    return `fact "${name}" belongs to one option's plan and cannot be used by an ACCOUNT_ACTION rule`;
  if (def.scope === 'outcome' && planOnly)
    return `fact "${name}" is only known after the plan options are decided; use it in PENALTY_WAIVER or ACCOUNT_ACTION rules`;
  if (name === 'decisionPenaltyWaiver' && options.includes('PENALTY_WAIVER'))
    return `fact "decisionPenaltyWaiver" is only known in ACCOUNT_ACTION rules`;
  return undefined;
}

/** Checks one literal against the fact's type; returns the value the engine compares with. */
function checkLiteral(def: FactDef, operator: string, raw: unknown, where: string): { value?: ParamValue; error?: string } {
  const many = operator === 'in' || operator === 'notIn';
  if (many) {
    if (!Array.isArray(raw)) return { error: `${where} must be a list for operator "${operator}"` };
    const out: (string | number | boolean)[] = [];
    for (const item of raw) {
      const r = checkLiteral(def, 'equal', item, where);
      if (r.error) return r;
      out.push(r.value as string | number | boolean);
    }
    return { value: out };
  }
  switch (def.type) {
    case 'decimal': {
      const d = canonicalDecimal(raw);
      return d === undefined ? { error: `${where} must be a number or decimal string, got ${JSON.stringify(raw)}` } : { value: d };
    }
    case 'integer':
      return Number.isInteger(raw) ? { value: raw as number } : { error: `${where} must be a whole number, got ${JSON.stringify(raw)}` };
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : { error: `${where} must be true or false, got ${JSON.stringify(raw)}` };
    case 'date':
      return typeof raw === 'string' && ISO_DATE.test(raw) ? { value: raw } : { error: `${where} must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}` };
    case 'enum':
      return typeof raw === 'string' && def.values?.includes(raw)
        ? { value: raw }
        : { error: `${where} ${JSON.stringify(raw)} is not one of ${def.values?.join(', ')}` };
    case 'list':
      return typeof raw === 'string' ? { value: raw } : { error: `${where} must be a string, got ${JSON.stringify(raw)}` };
  }
}

function compileValue(cond: Condition, def: FactDef, operator: string, path: PathSegment[], ctx: ConditionContext): ValueSource | undefined {
  const raw = cond.value;
  if (raw === undefined) {
    ctx.report(path, 'condition needs a value');
    return undefined;
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    if ('param' in raw) {
      const name = raw.param;
      if (!Object.prototype.hasOwnProperty.call(ctx.params, name)) {
        ctx.report([...path, 'value', 'param'], `unknown parameter "${name}"${didYouMean(name, Object.keys(ctx.params))}`);
        return undefined;
      }
      ctx.usedParams.add(name);
      const r = checkLiteral(def, operator, ctx.params[name], `parameter "${name}"`);
      if (r.error) {
        ctx.report([...path, 'value', 'param'], r.error);
        return undefined;
      }
      return { kind: 'param', name, value: r.value as ParamValue };
    }
    const ref = raw as { fact: string; path?: string };
    if (ref.path !== undefined) ctx.report([...path, 'value', 'path'], 'facts are flat values; "path" is not supported');
    if (!isFact(ref.fact)) {
      ctx.report([...path, 'value', 'fact'], `unknown fact "${ref.fact}"${didYouMean(ref.fact, Object.keys(FACTS))}`);
      return undefined;
    }
    const other = FACTS[ref.fact] as FactDef;
    const numeric = (t: string) => t === 'decimal' || t === 'integer';
    if (other.type !== def.type && !(numeric(other.type) && numeric(def.type))) {
      ctx.report([...path, 'value', 'fact'], `fact "${ref.fact}" is ${other.type} and cannot be compared with a ${def.type} fact`);
      return undefined;
    }
    const scope = scopeProblem(other, ref.fact, ctx.options);
    if (scope) ctx.report([...path, 'value', 'fact'], scope);
    ctx.usedFacts.add(ref.fact);
    return { kind: 'fact', name: ref.fact };
  }
  const r = checkLiteral(def, operator, raw, 'value');
  if (r.error) {
    ctx.report([...path, 'value'], r.error);
    return undefined;
  }
  return { kind: 'literal', value: r.value as ParamValue };
}

/** Compiles one condition tree, reporting every problem with its path; returns undefined on any problem. */
export function compileCondition(cond: Condition, path: PathSegment[], ctx: ConditionContext, depth = 0): ConditionNode | undefined {
  if (depth > 20) {
    ctx.report(path, 'conditions are nested more than 20 levels deep');
    return undefined;
  }
  const kinds = (['all', 'any', 'not', 'fact'] as const).filter((k) => cond[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.report(path, kinds.length === 0 ? 'a condition needs one of all, any, not, or fact' : `a condition has exactly one of all, any, not, fact; found ${kinds.join(', ')}`);
    return undefined;
  }
  const kind = kinds[0]!;
  if (kind === 'all' || kind === 'any') {
    const children = cond[kind]!.map((c, i) => compileCondition(c, [...path, kind, i], ctx, depth + 1));
    return children.every(Boolean) ? { kind, children: children as ConditionNode[] } : undefined;
  }
  if (kind === 'not') {
    const child = compileCondition(cond.not!, [...path, 'not'], ctx, depth + 1);
    return child ? { kind: 'not', child } : undefined;
  }
  for (const stray of ['all', 'any', 'not'] as const) if (cond[stray] !== undefined) ctx.report([...path, stray], `a leaf condition cannot also have "${stray}"`);
  const factName = cond.fact!;
  if (!isFact(factName)) {
    ctx.report([...path, 'fact'], `unknown fact "${factName}"${didYouMean(factName, Object.keys(FACTS))}`);
    return undefined;
  }
  const def = FACTS[factName] as FactDef;
  const scope = scopeProblem(def, factName, ctx.options);
  if (scope) ctx.report([...path, 'fact'], scope);
  if (cond.path !== undefined) ctx.report([...path, 'path'], `fact "${factName}" is a flat value; "path" is not supported`);
  ctx.usedFacts.add(factName);
  const operator = cond.operator;
  if (operator === undefined || !isOperator(operator)) {
    ctx.report([...path, 'operator'], operator === undefined ? 'condition needs an operator' : `unknown operator "${operator}"; use one of ${Object.keys(OPERATORS).join(', ')}`);
    return undefined;
  }
  if (!(OPERATORS[operator] as readonly string[]).includes(def.type)) {
    ctx.report([...path, 'operator'], `operator "${operator}" does not apply to ${def.type} fact "${factName}"`);
    return undefined;
  }
  const value = compileValue(cond, def, operator, path, ctx);
  if (!value || scope) return undefined;
  return { kind: 'leaf', fact: factName, operator, engineOperator: engineOperatorName(operator, def.type), value };
}
