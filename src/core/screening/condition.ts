import type { Condition, Leaf } from '../../generated/screening-policy.js';
import { cmpPlain, NOT_PLAIN, parsePlainDecimal } from '../evaluate/plain-decimal.js';
import { Dec } from '../money/decimal.js';
import type { PathSegment } from '../policy/problem.js';
import { isScreeningFact, SCREENING_FACTS, type ScreeningFactName } from './facts.js';
import type { Predicate } from './model.js';

const ORDERED = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

export interface ConditionContext {
  params: Record<string, number>;
  report(path: PathSegment[], message: string): void;
  facts: Set<ScreeningFactName>;
  usedParams: Set<string>;
}

const FALSE: Predicate = () => false;

function compileLeaf(leaf: Leaf, at: PathSegment[], ctx: ConditionContext): Predicate {
  if (!isScreeningFact(leaf.fact)) {
    ctx.report([...at, 'fact'], `unknown fact "${leaf.fact}"; screening facts are: ${Object.keys(SCREENING_FACTS).join(', ')}`);
    return FALSE;
  }
  const name = leaf.fact;
  const type = SCREENING_FACTS[name];
  ctx.facts.add(name);
  if (leaf.operator === 'known' || leaf.operator === 'unknown') {
    if (leaf.value !== undefined) ctx.report([...at, 'value'], `operator ${leaf.operator} takes no value`);
    return leaf.operator === 'known' ? (f) => f[name] !== undefined : (f) => f[name] === undefined;
  }
  if (leaf.value === undefined) {
    ctx.report(at, `operator ${leaf.operator} needs a value`);
    return FALSE;
  }
  let raw: unknown = leaf.value;
  if (typeof raw === 'object' && raw !== null) {
    const p = (raw as { param: string }).param;
    ctx.usedParams.add(p);
    if (!Object.prototype.hasOwnProperty.call(ctx.params, p)) {
      ctx.report([...at, 'value', 'param'], `unknown parameter "${p}"`);
      return FALSE;
    }
    raw = ctx.params[p];
  }
  const op = leaf.operator;
  if (ORDERED.has(op) && (type === 'boolean' || type === 'enum')) {
    ctx.report([...at, 'operator'], `operator ${op} does not apply to the ${type} fact ${name}`);
    return FALSE;
  }
  const want = type === 'boolean' ? 'boolean' : type === 'enum' ? 'string' : 'number';
  if (typeof raw !== want || (type === 'integer' && !Number.isInteger(raw))) {
    ctx.report([...at, 'value'], `${name} is ${type === 'integer' ? 'a whole number' : `a ${type}`}; the value must be ${type === 'integer' ? 'a whole number' : `a ${want}`}`);
    return FALSE;
  }
  const cmp = (r: number): boolean =>
    op === 'equal' ? r === 0 : op === 'notEqual' ? r !== 0 : op === 'lessThan' ? r < 0 : op === 'lessThanInclusive' ? r <= 0 : op === 'greaterThan' ? r > 0 : r >= 0;
  if (type === 'decimal') {
    // Exact: the policy's number is read as the decimal it was written as, never compared as a float.
    const bound = new Dec(String(raw));
    // Plain decimal strings (every snapshot's) compare digit by digit, exactly as decimal.js would.
    const plain = parsePlainDecimal(String(raw));
    return (f) => {
      const v = f[name];
      if (v === undefined) return false;
      const c = plain ? cmpPlain(v as string, plain) : NOT_PLAIN;
      return cmp(c !== NOT_PLAIN ? c : new Dec(v as string).comparedTo(bound));
    };
  }
  if (type === 'integer') {
    const bound = raw as number;
    return (f) => {
      const v = f[name] as number | undefined;
      return v !== undefined && cmp(v === bound ? 0 : v < bound ? -1 : 1);
    };
  }
  return (f) => {
    const v = f[name];
    return v !== undefined && cmp(v === raw ? 0 : 1);
  };
}

/** Compiles a condition tree into a predicate; every problem is reported at its node. */
export function compileScreeningCondition(c: Condition, at: PathSegment[], ctx: ConditionContext): Predicate {
  // Loops rather than every/some: no closure made per evaluation.
  if ('all' in c) {
    const parts = c.all.map((x, i) => compileScreeningCondition(x, [...at, 'all', i], ctx));
    return (f) => {
      for (let i = 0; i < parts.length; i++) if (!parts[i]!(f)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map((x, i) => compileScreeningCondition(x, [...at, 'any', i], ctx));
    return (f) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(f)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileScreeningCondition(c.not, [...at, 'not'], ctx);
    return (f) => !inner(f);
  }
  return compileLeaf(c, at, ctx);
}
