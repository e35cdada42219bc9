import { Dec } from '../money/decimal.js';
import type { FactType } from '../facts/catalog.js';

/**
 * Author-facing operators (json-rules-engine's names) and the fact types each applies to. Every
 * comparison is exact: decimals through decimal.js, dates as ISO strings, never JS floats.
 */
export const OPERATORS = {
  equal: ['decimal', 'integer', 'boolean', 'date', 'enum'],
  notEqual: ['decimal', 'integer', 'boolean', 'date', 'enum'],
  lessThan: ['decimal', 'integer', 'date'],
  lessThanInclusive: ['decimal', 'integer', 'date'],
  greaterThan: ['decimal', 'integer', 'date'],
  greaterThanInclusive: ['decimal', 'integer', 'date'],
  in: ['decimal', 'integer', 'enum', 'date'],
  notIn: ['decimal', 'integer', 'enum', 'date'],
  contains: ['list'],
  doesNotContain: ['list'],
} as const satisfies Record<string, readonly FactType[]>;

export type OperatorName = keyof typeof OPERATORS;

export function isOperator(name: string): name is OperatorName {
  return Object.prototype.hasOwnProperty.call(OPERATORS, name);
}

type Cmp = (a: unknown, b: unknown) => boolean;

/** -1/0/1, or undefined when either side is missing (a missing fact never satisfies a comparison). */
function compare(type: FactType, a: unknown, b: unknown): number | undefined {
  if (a === undefined || a === null || b === undefined || b === null) return undefined;
  if (type === 'decimal') return new Dec(a as string | number).comparedTo(new Dec(b as string | number));
  if (type === 'integer') return (a as number) === (b as number) ? 0 : (a as number) < (b as number) ? -1 : 1;
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function equal(type: FactType, a: unknown, b: unknown): boolean {
  if (type === 'decimal' || type === 'integer' || type === 'date') return compare(type, a, b) === 0;
  return a !== undefined && a === b;
}

/** The implementation of `operator` for facts of `type`, registered in json-rules-engine as `operator:type`. */
export function operatorImpl(operator: OperatorName, type: FactType): Cmp {
  switch (operator) {
    case 'equal':
      return (a, b) => equal(type, a, b);
    case 'notEqual':
      return (a, b) => a !== undefined && !equal(type, a, b);
    case 'lessThan':
      return (a, b) => (compare(type, a, b) ?? 1) < 0;
    case 'lessThanInclusive':
      return (a, b) => (compare(type, a, b) ?? 1) <= 0;
    case 'greaterThan':
      return (a, b) => (compare(type, a, b) ?? -1) > 0;
    case 'greaterThanInclusive':
      return (a, b) => (compare(type, a, b) ?? -1) >= 0;
    case 'in':
      return (a, b) => a !== undefined && Array.isArray(b) && b.some((x) => equal(type, a, x));
    case 'notIn':
      return (a, b) => a !== undefined && Array.isArray(b) && !b.some((x) => equal(type, a, x));
    case 'contains':
      return (a, b) => Array.isArray(a) && a.includes(b);
    case 'doesNotContain':
      return (a, b) => Array.isArray(a) && !a.includes(b);
  }
}

export function engineOperatorName(operator: OperatorName, type: FactType): string {
  return `${operator}:${type}`;
}

/** Every (operator, type) pair, for registering with an engine. */
export function allOperatorImpls(): { name: string; fn: Cmp }[] {
  const out: { name: string; fn: Cmp }[] = [];
  for (const [op, types] of Object.entries(OPERATORS) as [OperatorName, readonly FactType[]][]) {
    for (const t of types) out.push({ name: engineOperatorName(op, t), fn: operatorImpl(op, t) });
  }
  return out;
}
