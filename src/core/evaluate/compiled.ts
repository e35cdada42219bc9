import type { FactName, Facts } from '../facts/catalog.js';
import type { CompiledPolicy, CompiledRule, ConditionNode, OptionType, ParamValue } from '../policy/model.js';
import { allOperatorImpls } from '../policy/operators.js';
import type { Evaluator } from './evaluator.js';
import type { ExplainNode, RuleEvaluation } from './explain-model.js';

/**
 * The policy's condition trees compiled to plain closures, evaluated synchronously with no
 * json-rules-engine at run time. Each closure computes its condition's result and its explanation
 * node in one pass, and the results are exactly those of the reference `JreEvaluator` (deep-equal,
 * same order, same JSON key order) for any facts. What json-rules-engine 7.3 does, and this mirrors:
 *
 * - Every condition is evaluated. Conditions carry no priority, so all/any put all their children in
 *   one priority set, run them in parallel (Promise.all) and only then combine them: nothing
 *   short-circuits. An empty all/any is true (both); an all/any of one child is that child.
 * - The root all/any/not is evaluated without `evaluateCondition`, so json-rules-engine never sets its
 *   `result`; both evaluators report the rule's own result there (passed when it fired). Every node is
 *   passed/failed, and a leaf whose fact value is `undefined` is `fact_missing` (its `actual` is null).
 * - Rules run in priority sets, highest first; within a set they run in parallel and their results
 *   are recorded in the order their promise chains settle: by the number of microtask turns each
 *   rule's tree takes (`settleTurns`, static: it depends only on the tree's shape), ties in insertion
 *   order. The reference then lists fired rules first, then the others, each in that order.
 *
 * Comparisons use the operator implementations of operators.ts, with the common cases precomputed:
 * decimal parameters are parsed once and compared digit by digit with plain decimal strings (exact,
 * no decimal.js); anything else (numbers, exponents, invalid input) takes the shared implementation.
 */

type Test = (a: unknown, b: unknown) => boolean;
type Unary = (a: unknown) => boolean;
/**
 * A compiled node over the values of the facts its rule reads, each at a fixed slot: the option's loader
 * (FactSlots) reads them from the facts object once, and leaves read their slot, not the object.
 */
type NodeFn = (values: readonly unknown[]) => ExplainNode;
/** The slot of a fact among the values of its rule. */
type SlotOf = (fact: FactName) => number;

/**
 * The boolean result of the node function that returned last. Node functions return their explanation
 * node and leave their result here, so a pass over the tree allocates nothing but the explanation.
 */
let R = false;

const PASSED = 'passed' as const;
const FAILED = 'failed' as const;
const FACT_MISSING = 'fact_missing' as const;

const IMPLS: ReadonlyMap<string, Test> = new Map(allOperatorImpls().map((o) => [o.name, o.fn]));

// ---------------------------------------------------------------- exact plain-decimal comparison

/** A plain decimal (`-?digits(.digits)?`) without leading integer zeros or trailing fraction zeros. */
interface PlainDec {
  sign: -1 | 0 | 1;
  int: string;
  frac: string;
}

/** Returned by `cmpPlain` when the fact value is not a plain decimal string. */
const NOT_PLAIN = 2;

/** -1/0/1 comparing the plain decimal string `a` with `p`, exactly as decimal.js would; NOT_PLAIN otherwise. */
function cmpPlain(a: string, p: PlainDec): number {
  const n = a.length;
  let i = 0;
  let neg = false;
  if (n > 0 && a.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  const intStart = i;
  while (i < n) {
    const c = a.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const intEnd = i;
  if (intEnd === intStart) return NOT_PLAIN;
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (i < n) {
    if (a.charCodeAt(i) !== 46) return NOT_PLAIN;
    fracStart = ++i;
    while (i < n) {
      const c = a.charCodeAt(i);
      if (c < 48 || c > 57) return NOT_PLAIN;
      i++;
    }
    if (i === fracStart) return NOT_PLAIN;
    fracEnd = i;
  }
  let is = intStart;
  while (is < intEnd && a.charCodeAt(is) === 48) is++;
  while (fracEnd > fracStart && a.charCodeAt(fracEnd - 1) === 48) fracEnd--;
  const intLen = intEnd - is;
  const fracLen = fracEnd - fracStart;
  const sign = intLen === 0 && fracLen === 0 ? 0 : neg ? -1 : 1;
  if (sign !== p.sign) return sign < p.sign ? -1 : 1;
  if (sign === 0) return 0;
  let m = 0;
  const pInt = p.int;
  if (intLen !== pInt.length) m = intLen < pInt.length ? -1 : 1;
  else {
    for (let k = 0; k < intLen; k++) {
      const d = a.charCodeAt(is + k) - pInt.charCodeAt(k);
      if (d !== 0) {
        m = d < 0 ? -1 : 1;
        break;
      }
    }
    if (m === 0) {
      const pFrac = p.frac;
      const pl = pFrac.length;
      const l = fracLen < pl ? fracLen : pl;
      for (let k = 0; k < l; k++) {
        const d = a.charCodeAt(fracStart + k) - pFrac.charCodeAt(k);
        if (d !== 0) {
          m = d < 0 ? -1 : 1;
          break;
        }
      }
      if (m === 0 && fracLen !== pl) m = fracLen < pl ? -1 : 1;
    }
  }
  return sign < 0 ? -m : m;
}

const PLAIN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

export function parsePlainDecimal(s: unknown): PlainDec | undefined {
  if (typeof s !== 'string') return undefined;
  const m = PLAIN.exec(s);
  if (!m) return undefined;
  const int = m[2]!.replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return { sign: int === '' && frac === '' ? 0 : m[1] ? -1 : 1, int, frac };
}

/** Exported for tests: the exact comparison of two plain decimal strings, or undefined when either is not plain. */
export function comparePlainDecimals(a: string, b: string): number | undefined {
  const p = parsePlainDecimal(b);
  if (!p) return undefined;
  const c = cmpPlain(a, p);
  // A negative zero (from negating an equal magnitude) is still "equal": report it as 0.
  return c === NOT_PLAIN ? undefined : c === 0 ? 0 : c;
}

// ---------------------------------------------------------------- leaf tests

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
function constantTest(operator: string, type: string, impl: Test, b: unknown): Unary {
  const order = ORDER[operator];
  if (type === 'decimal') {
    const pb = parsePlainDecimal(b);
    if (order && pb) {
      // operators.ts: a missing side never satisfies; notEqual needs the fact; otherwise compare exactly.
      switch (operator) {
        case 'equal':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c === 0;
          };
        case 'notEqual':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c !== 0;
          };
        case 'lessThan':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c < 0;
          };
        case 'lessThanInclusive':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c <= 0;
          };
        case 'greaterThan':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c > 0;
          };
        case 'greaterThanInclusive':
          return (a) => {
            if (typeof a !== 'string') return impl(a, b);
            const c = cmpPlain(a, pb);
            return c === NOT_PLAIN ? impl(a, b) : c >= 0;
          };
      }
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
    // operators.ts compare(): undefined when a side is missing, else a === b ? 0 : a < b ? -1 : 1.
    const cmp = (a: unknown): number => ((a as number) === b ? 0 : (a as number) < b ? -1 : 1);
    switch (operator) {
      case 'equal':
        return (a) => a !== undefined && a !== null && cmp(a) === 0;
      case 'notEqual':
        return (a) => a !== undefined && !(a !== null && cmp(a) === 0);
      case 'lessThan':
        return (a) => a !== undefined && a !== null && cmp(a) < 0;
      case 'lessThanInclusive':
        return (a) => a !== undefined && a !== null && cmp(a) <= 0;
      case 'greaterThan':
        return (a) => a !== undefined && a !== null && cmp(a) > 0;
      case 'greaterThanInclusive':
        return (a) => a !== undefined && a !== null && cmp(a) >= 0;
    }
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

// ---------------------------------------------------------------- trees

function compileLeaf(node: Extract<ConditionNode, { kind: 'leaf' }>, slotOf: SlotOf): NodeFn {
  const { fact, operator, engineOperator } = node;
  const impl = IMPLS.get(engineOperator);
  if (!impl) {
    // json-rules-engine rejects the run the same way.
    return () => {
      throw new Error(`Unknown operator: ${engineOperator}`);
    };
  }
  const type = engineOperator.slice(engineOperator.indexOf(':') + 1);
  const v = node.value;
  const at = slotOf(fact);
  if (v.kind === 'fact') {
    const ref = v.name;
    const refAt = slotOf(ref);
    return (values) => {
      const a = values[at];
      const b = values[refAt];
      const r = impl(a, b);
      R = r;
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
    R = r;
    return { fact, operator, expected, actual: a ?? null, state: a === undefined ? FACT_MISSING : r ? PASSED : FAILED };
  };
}

/** Compiles a node. Every function sets R to the node's result (for the root: whether the rule fires). */
function compileNode(node: ConditionNode, slotOf: SlotOf): NodeFn {
  switch (node.kind) {
    case 'leaf':
      return compileLeaf(node, slotOf);
    case 'not': {
      const child = compileNode(node.child, slotOf);
      return (values) => {
        const kid = child(values);
        const r = !R;
        R = r;
        return { not: kid, state: r ? PASSED : FAILED };
      };
    }
    case 'all':
    case 'any': {
      const isAll = node.kind === 'all';
      const kids = node.children.map((c) => compileNode(c, slotOf));
      const n = kids.length;
      const wrap = (list: ExplainNode[], r: boolean): ExplainNode =>
        (isAll ? { all: list, state: r ? PASSED : FAILED } : { any: list, state: r ? PASSED : FAILED });
      if (n === 0) {
        // prioritizeAndRun([]) is true for all and any alike.
        return () => {
          R = true;
          return wrap([], true);
        };
      }
      if (n === 1) {
        const only = kids[0]!;
        return (values) => {
          const kid = only(values);
          const r = R === true;
          R = r;
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
            if (R !== true) r = false;
          } else if (R === true) r = true;
        }
        R = r;
        return wrap(list, r);
      };
    }
  }
}

/**
 * Microtask turns from `evaluateCondition(node)` being called to its promise settling in
 * json-rules-engine 7.3 (rule.js, condition.js, almanac.js): a leaf is Promise.all of two resolved
 * values (+1), `.then` (+1) and evaluateCondition's `.then` (+1); an all/any of n ≥ 2 children
 * starts them in a `.then` of a resolved cursor (+1), waits for Promise.all (+1) and its `.then` (+1),
 * adopts that promise from inside the cursor's `.then` (+1: NewPromiseResolveThenableJob), and
 * evaluateCondition's `.then` adds one more.
 */
function evalTurns(node: ConditionNode): number {
  return node.kind === 'leaf' ? 3 : runTurns(node) + 1;
}

/** Turns of prioritizeAndRun (all/any) or not(): what the root of a rule costs before processResult. */
function runTurns(node: Exclude<ConditionNode, { kind: 'leaf' }>): number {
  if (node.kind === 'not') return evalTurns(node.child) + 1;
  const n = node.children.length;
  if (n === 0) return 0;
  if (n === 1) return evalTurns(node.children[0]!);
  let max = 0;
  for (const c of node.children) max = Math.max(max, evalTurns(c));
  return 4 + max;
}

/** When a rule's result is recorded relative to the other rules of its priority set. */
export function settleTurns(condition: ConditionNode): number {
  return condition.kind === 'leaf' ? evalTurns(condition) : runTurns(condition);
}

/** A rule's priority as json-rules-engine's Rule stores it. */
function enginePriority(priority: number): number {
  const p = parseInt(String(priority || 1), 10);
  if (p <= 0) throw new Error('Priority must be greater than zero');
  return p;
}

/** The facts a condition reads: its leaves' facts and the facts they compare with. */
function factsRead(node: ConditionNode, out: Set<FactName> = new Set()): FactName[] {
  if (node.kind === 'leaf') {
    out.add(node.fact);
    if (node.value.kind === 'fact') out.add(node.value.name);
  } else if (node.kind === 'not') factsRead(node.child, out);
  else for (const c of node.children) factsRead(c, out);
  return [...out];
}

/**
 * A rule's condition with its last evaluation remembered. A condition's explanation is a function of
 * the values of the facts it reads (the comparison values are constants), so when they are the same
 * primitive values as last time (Object.is) the last explanation is the answer. Most rules run for several
 * options of one decision, and many read only application facts, which all options share: those are
 * evaluated once per decision (and a rule over common values, e.g. `fraudFlag` NONE, often once for many
 * decisions). The node is then shared between evaluations, possibly of different decisions: explanations
 * are never mutated (they are serialized), so sharing is safe.
 */
class MemoRule {
  /** Where the facts it reads are in the evaluator's values (see FactSlots). */
  private readonly slots: number[];
  /** The values of those facts at the last evaluation: the slots the compiled condition reads. */
  private readonly last: unknown[];
  private readonly run: NodeFn;
  private node: ExplainNode | undefined;
  private fired = false;

  constructor(condition: ConditionNode, slots: FactSlots) {
    const reads = factsRead(condition);
    this.slots = reads.map((fact) => slots.slotOf(fact));
    this.last = new Array<unknown>(reads.length).fill(undefined);
    this.run = compileNode(condition, (fact) => reads.indexOf(fact));
  }

  /** The condition's explanation over the facts loaded into `values`; sets R like any node function. */
  evaluate(values: readonly unknown[]): ExplainNode {
    const { slots, last } = this;
    let same = this.node !== undefined;
    for (let i = 0; i < slots.length; i++) {
      const v = values[slots[i]!];
      // A list (an object) may have changed inside since it was last seen: only primitives are compared.
      if (!Object.is(v, last[i]) || (typeof v === 'object' && v !== null)) {
        same = false;
        last[i] = v;
      }
    }
    if (same) {
      R = this.fired;
      return this.node!;
    }
    // Forget the last result first: if the run throws, the values just recorded have no result.
    this.node = undefined;
    const node = this.run(last);
    this.node = node;
    this.fired = R;
    return node;
  }
}

/** Copies the facts an option's rules read from a facts object into their slots. */
type Loader = (facts: Facts, values: unknown[]) => void;

/**
 * Every fact the policy's rules read, each at a fixed slot of one array. An option's facts are copied
 * into it once per evaluation, so a fact read by several rules is read from the object once, and each
 * rule compares its slots rather than looking its facts up by name.
 */
class FactSlots {
  private readonly slots = new Map<FactName, number>();

  slotOf(fact: FactName): number {
    let at = this.slots.get(fact);
    if (at === undefined) this.slots.set(fact, (at = this.slots.size));
    return at;
  }

  get size(): number {
    return this.slots.size;
  }

  /**
   * The loader of the facts `rules` read. Generated code, one property access with a literal name per
   * fact: V8 caches each access for the facts' shape (a decision's facts objects share one), whereas a
   * lookup by a computed name takes V8's generic path, a search of the object's ~90 keys, and that was
   * half of evaluation's time. Names go in as JSON string literals, so any name is inert.
   */
  loader(conditions: ConditionNode[]): Loader {
    const facts = new Set<FactName>();
    for (const c of conditions) for (const f of factsRead(c)) facts.add(f);
    const body = [...facts].map((f) => `v[${this.slotOf(f)}] = f[${JSON.stringify(f)}];`).join('\n');
    return new Function('f', 'v', body) as Loader;
  }
}

interface CompiledEntry {
  id: string;
  outcome: CompiledRule['outcome'];
  rule: MemoRule;
}

interface CompiledOption {
  /** The rules in the order json-rules-engine records their results. */
  entries: CompiledEntry[];
  load: Loader;
}

export class CompiledEvaluator implements Evaluator {
  private readonly byOption = new Map<OptionType, CompiledOption>();
  /** The values of the facts being evaluated, at their FactSlots slots. */
  private readonly values: unknown[];

  constructor(policy: CompiledPolicy) {
    const slots = new FactSlots();
    const compiled = new Map<CompiledRule, MemoRule>();
    const pending = new Map<OptionType, { rule: CompiledRule; priority: number; turns: number; index: number }[]>();
    for (const rule of policy.rules) {
      const priority = enginePriority(rule.priority);
      const turns = settleTurns(rule.condition);
      compiled.set(rule, new MemoRule(rule.condition, slots));
      for (const option of rule.options) {
        let list = pending.get(option);
        if (!list) pending.set(option, (list = []));
        list.push({ rule, priority, turns, index: list.length });
      }
    }
    for (const [option, list] of pending) {
      list.sort((x, y) => y.priority - x.priority || x.turns - y.turns || x.index - y.index);
      this.byOption.set(option, {
        entries: list.map(({ rule }) => ({ id: rule.id, outcome: rule.outcome, rule: compiled.get(rule)! })),
        load: slots.loader(list.map(({ rule }) => rule.condition)),
      });
    }
    this.values = new Array<unknown>(slots.size).fill(undefined);
  }

  /** Synchronous evaluation: fired rules first, then the rest, as the reference orders them. */
  evaluateSync(option: OptionType, facts: Facts): RuleEvaluation[] {
    const compiled = this.byOption.get(option);
    if (!compiled) return [];
    const { entries: list, load } = compiled;
    const { values } = this;
    load(facts, values);
    const fired: RuleEvaluation[] = [];
    let failed: RuleEvaluation[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      const conditions = e.rule.evaluate(values);
      if (R) fired.push({ ruleId: e.id, option, fired: true, outcome: e.outcome, conditions });
      else (failed ??= []).push({ ruleId: e.id, option, fired: false, outcome: e.outcome, conditions });
    }
    if (failed) for (let i = 0; i < failed.length; i++) fired.push(failed[i]!);
    return fired;
  }

  evaluate(option: OptionType, facts: Facts): Promise<RuleEvaluation[]> {
    try {
      return Promise.resolve(this.evaluateSync(option, facts));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
