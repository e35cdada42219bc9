// The runtime of compiled conditions: each node a closure that builds its explanation node in one pass.
import type { FactName } from '../facts/catalog.js';
import type { ConditionNode, ParamValue } from '../policy/model.js';
import { allOperatorImpls } from '../policy/operators.js';
import type { ExplainNode } from './explain-model.js';
import { constantTest, type Test } from './leaf-tests.js';

/**
 * A compiled node over the values of the facts its rule reads, each at a fixed slot: the option's loader
 * (FactSlots) reads them from the facts object once, and leaves read their slot, not the object.
 */
export type NodeFn = (values: readonly unknown[]) => ExplainNode;
/** A compiled node's result alone, over the same values: no explanation is built. */
export type TestFn = (values: readonly unknown[]) => boolean;
/** The slot of a fact among the values of its rule. */
export type SlotOf = (fact: FactName) => number;

/**
 * The boolean result of the node function that returned last, one per evaluator. Node functions return
 * their explanation node and leave their result here, so a pass over the tree allocates nothing but the
 * explanation.
 */
export interface Outcome {
  passed: boolean;
}

const PASSED = 'passed' as const;
const FAILED = 'failed' as const;
const FACT_MISSING = 'fact_missing' as const;

const IMPLS: ReadonlyMap<string, Test> = new Map(allOperatorImpls().map((o) => [o.name, o.fn]));

type Leaf = Extract<ConditionNode, { kind: 'leaf' }>;

/** A leaf's operator implementation and value type, for both compilations of it; undefined when unknown. */
function leafOperator(node: Leaf): { impl: Test; type: string } | undefined {
  const impl = IMPLS.get(node.engineOperator);
  return impl && { impl, type: node.engineOperator.slice(node.engineOperator.indexOf(':') + 1) };
}

/** A leaf whose operator the engine does not know: json-rules-engine rejects the run the same way. */
function unknownOperator(node: Leaf): () => never {
  return () => {
    throw new Error(`Unknown operator: ${node.engineOperator}`);
  };
}

function compileLeaf(node: Leaf, slotOf: SlotOf, out: Outcome): NodeFn {
  const { fact, operator } = node;
  const op = leafOperator(node);
  if (!op) return unknownOperator(node);
  const { impl, type } = op;
  const v = node.value;
  const at = slotOf(fact);
  if (v.kind === 'fact') {
    const ref = v.name;
    const refAt = slotOf(ref);
    return (values) => {
      const a = values[at];
      const b = values[refAt];
      const r = impl(a, b);
      out.passed = r;
      return {
        fact,
        operator,
        expected: { fact: ref, value: b ?? null },
        actual: a ?? null,
        state: a === undefined ? FACT_MISSING : r ? PASSED : FAILED,
      };
    };
  }
  const b: ParamValue = v.value;
  const test = constantTest(operator, type, impl, b);
  // A constant comparison value explains itself the same way every time: one object per leaf, shared by
  // every explanation of it (as its value, a policy array, already was). Explanations are never mutated.
  const expected = v.kind === 'param' ? { param: v.name, value: b } : { value: b };
  return (values) => {
    const a = values[at];
    const r = test(a);
    out.passed = r;
    return { fact, operator, expected, actual: a ?? null, state: a === undefined ? FACT_MISSING : r ? PASSED : FAILED };
  };
}

/** Compiles a node. Every function sets out.passed to the node's result (for the root: whether the rule fires). */
export function compileNode(node: ConditionNode, slotOf: SlotOf, out: Outcome): NodeFn {
  switch (node.kind) {
    case 'leaf':
      return compileLeaf(node, slotOf, out);
    case 'not': {
      const child = compileNode(node.child, slotOf, out);
      return (values) => {
        const kid = child(values);
        const r = !out.passed;
        out.passed = r;
        return { not: kid, state: r ? PASSED : FAILED };
      };
    }
    case 'all':
    case 'any': {
      const isAll = node.kind === 'all';
      const kids = node.children.map((c) => compileNode(c, slotOf, out));
      const n = kids.length;
      const wrap = (list: ExplainNode[], r: boolean): ExplainNode =>
        (isAll ? { all: list, state: r ? PASSED : FAILED } : { any: list, state: r ? PASSED : FAILED });
      if (n === 0) {
        // prioritizeAndRun([]) is true for all and any alike.
        return () => {
          out.passed = true;
          return wrap([], true);
        };
      }
      if (n === 1) {
        const only = kids[0]!;
        return (values) => {
          const kid = only(values);
          const r = out.passed;
          out.passed = r;
          return wrap([kid], r);
        };
      }
      return (values) => {
        const list: ExplainNode[] = [];
        let r = isAll;
        for (let i = 0; i < n; i++) {
          list.push(kids[i]!(values));
          // every child is evaluated (one priority set, Promise.all), then combined
          if (isAll) {
            if (!out.passed) r = false;
          } else if (out.passed) r = true;
        }
        out.passed = r;
        return wrap(list, r);
      };
    }
  }
}

/**
 * The node's result without its explanation: the same comparisons as compileNode's, so the same result. Every
 * child is evaluated as compileNode evaluates it (nothing short-circuits), so a comparison that throws throws
 * here too, and a rule that would fail to evaluate with its explanation fails without it.
 */
export function compileTest(node: ConditionNode, slotOf: SlotOf): TestFn {
  switch (node.kind) {
    case 'leaf': {
      const op = leafOperator(node);
      if (!op) return unknownOperator(node);
      const { impl, type } = op;
      const at = slotOf(node.fact);
      const v = node.value;
      if (v.kind === 'fact') {
        const refAt = slotOf(v.name);
        return (values) => impl(values[at], values[refAt]);
      }
      const test = constantTest(node.operator, type, impl, v.value);
      return (values) => test(values[at]);
    }
    case 'not': {
      const child = compileTest(node.child, slotOf);
      return (values) => !child(values);
    }
    case 'all':
    case 'any': {
      const kids = node.children.map((c) => compileTest(c, slotOf));
      const n = kids.length;
      if (n === 0) return () => true;
      if (n === 1) return kids[0]!;
      if (node.kind === 'all') {
        return (values) => {
          let r = true;
          for (let i = 0; i < n; i++) if (!kids[i]!(values)) r = false;
          return r;
        };
      }
      return (values) => {
        let r = false;
        for (let i = 0; i < n; i++) if (kids[i]!(values)) r = true;
        return r;
      };
    }
  }
}

/** The facts a condition reads: its leaves' facts and the facts they compare with. */
export function factsRead(node: ConditionNode, out: Set<FactName> = new Set()): FactName[] {
  if (node.kind === 'leaf') {
    out.add(node.fact);
    if (node.value.kind === 'fact') out.add(node.value.name);
  } else if (node.kind === 'not') factsRead(node.child, out);
  else for (const c of node.children) factsRead(c, out);
  return [...out];
}
