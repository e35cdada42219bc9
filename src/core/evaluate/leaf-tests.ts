// A leaf's comparison against a constant, specialised once at compile time where an exact shortcut exists.
import { cmpPlain, NOT_PLAIN, parsePlainDecimal, type PlainDec } from './plain-decimal.js';

export type Test = (a: unknown, b: unknown) => boolean;
export type Unary = (a: unknown) => boolean;

const ORDER: Record<string, (c: number) => boolean> = {
  equal: (c) => c === 0,
  notEqual: (c) => c !== 0,
  lessThan: (c) => c < 0,
  lessThanInclusive: (c) => c <= 0,
  greaterThan: (c) => c > 0,
  greaterThanInclusive: (c) => c >= 0,
};

/**
 * The test of a leaf whose comparison value is a constant `b`: a specialisation of the shared
 * implementation `impl` where one is exact, otherwise `impl` itself.
 */
export function constantTest(operator: string, type: string, impl: Test, b: unknown): Unary {
  const order = ORDER[operator];
  if (type === 'decimal') {
    const pb = parsePlainDecimal(b);
    if (order && pb) {
      // operators.ts: a missing side never satisfies; notEqual needs the fact; otherwise compare exactly.
      return (a) => {
        if (typeof a !== 'string') return impl(a, b);
        const c = cmpPlain(a, pb);
        return c === NOT_PLAIN ? impl(a, b) : order(c);
      };
    }
    if ((operator === 'in' || operator === 'notIn') && Array.isArray(b)) {
      const items = b.map(parsePlainDecimal);
      if (items.every((x) => x !== undefined)) {
        const list = items as PlainDec[];
        const isIn = operator === 'in';
        return (a) => {
          if (typeof a !== 'string') return impl(a, b);
          let found = false;
          for (let k = 0; k < list.length; k++) {
            const c = cmpPlain(a, list[k]!);
            if (c === NOT_PLAIN) return impl(a, b);
            if (c === 0) {
              found = true;
              break;
            }
          }
          return isIn ? found : !found;
        };
      }
    }
    return (a) => impl(a, b);
  }
  if (type === 'integer' && order && typeof b === 'number') {
    // operators.ts compare(): undefined when a side is missing, else a === b ? 0 : a < b ? -1 : 1; notEqual
    // holds for a present null (it is not b), the other orders need both sides.
    if (operator === 'notEqual') return (a) => a !== undefined && !(a !== null && a === b);
    return (a) => a !== undefined && a !== null && order((a as number) === b ? 0 : (a as number) < b ? -1 : 1);
  }
  if ((type === 'enum' || type === 'boolean') && (operator === 'equal' || operator === 'notEqual')) {
    // operators.ts equal() for these types: a !== undefined && a === b.
    return operator === 'equal' ? (a) => a !== undefined && a === b : (a) => a !== undefined && a !== b;
  }
  if (type === 'enum' && (operator === 'in' || operator === 'notIn') && Array.isArray(b)) {
    const list = b as unknown[];
    const isIn = operator === 'in';
    return (a) => {
      if (a === undefined) return false;
      let found = false;
      for (let k = 0; k < list.length; k++) {
        if (a === list[k]) {
          found = true;
          break;
        }
      }
      return isIn ? found : !found;
    };
  }
  return (a) => impl(a, b);
}
