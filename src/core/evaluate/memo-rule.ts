import type { ConditionNode } from '../policy/model.js';
import type { FactName } from '../facts/catalog.js';
import { compileNode, compileTest, factsRead, type NodeFn, type Outcome, type TestFn } from './condition-closures.js';
import type { ExplainNode } from './explain-model.js';
import type { FactSlots } from './fact-slots.js';

/**
 * A rule's condition with its last evaluation remembered. A condition's explanation is a function of
 * the values of the facts it reads (the comparison values are constants), so when they are the same
 * primitive values as last time (Object.is) the last explanation is the answer. Most rules run for several
 * options of one decision, and many read only application facts, which all options share: those are
 * evaluated once per decision (and a rule over common values, e.g. `fraudFlag` NONE, often once for many
 * decisions). The node is then shared between evaluations, possibly of different decisions: explanations
 * are never mutated (they are serialized), so sharing is safe.
 */
export class MemoRule {
  /** Where the facts it reads are in the evaluator's values (see FactSlots). */
  private readonly slots: number[];
  /** The values of those facts at the last evaluation: the slots the compiled condition reads. */
  private readonly last: unknown[];
  private readonly run: NodeFn;
  private readonly test: TestFn;
  /** Whether `fired` is the result over `last` (false until a run over them has returned). */
  private known = false;
  private fired = false;
  /** The explanation over `last`, once built: `passes` finds the result without building it. */
  private node: ExplainNode | undefined;

  constructor(
    condition: ConditionNode,
    slots: FactSlots,
    private readonly out: Outcome,
  ) {
    const reads = factsRead(condition);
    this.slots = reads.map((fact) => slots.slotOf(fact));
    this.last = new Array<unknown>(reads.length).fill(undefined);
    const slotOf = (fact: FactName): number => reads.indexOf(fact);
    this.run = compileNode(condition, slotOf, out);
    this.test = compileTest(condition, slotOf);
  }

  /** The condition's explanation over the facts loaded into `values`; sets out.passed like any node function. */
  evaluate(values: readonly unknown[]): ExplainNode {
    if (this.same(values) && this.node !== undefined) {
      this.out.passed = this.fired;
      return this.node;
    }
    // Forget the last result first: if the run throws, the values just recorded have no result.
    this.known = false;
    this.node = undefined;
    const node = this.run(this.last);
    this.node = node;
    this.fired = this.out.passed;
    this.known = true;
    return node;
  }

  /**
   * Whether the rule fires over the facts loaded into `values`, without its explanation when it is not
   * already built: the default answer shows only the fired rules' trees, so the others are never made.
   */
  passes(values: readonly unknown[]): boolean {
    if (this.same(values)) return this.fired;
    this.known = false;
    this.node = undefined;
    const fired = this.test(this.last);
    this.fired = fired;
    this.known = true;
    return fired;
  }

  /** Records the values the condition reads into `last`; whether they are those of a known result. */
  private same(values: readonly unknown[]): boolean {
    const { slots, last } = this;
    let same = this.known;
    for (let i = 0; i < slots.length; i++) {
      const v = values[slots[i]!];
      // A list (an object) may have changed inside since it was last seen: only primitives are compared.
      if (!Object.is(v, last[i]) || (typeof v === 'object' && v !== null)) {
        same = false;
        last[i] = v;
      }
    }
    return same;
  }
}
