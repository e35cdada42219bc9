// Code generation: the loader that copies the facts a policy's rules read into fixed slots.
import type { FactName, Facts } from '../facts/catalog.js';
import type { ConditionNode } from '../policy/model.js';
import { factsRead } from './condition-closures.js';

/** Copies the facts an option's rules read from a facts object into their slots. */
export type Loader = (facts: Facts, values: unknown[]) => void;

/**
 * Every fact the policy's rules read, each at a fixed slot of one array. An option's facts are copied
 * into it once per evaluation, so a fact read by several rules is read from the object once, and each
 * rule compares its slots rather than looking its facts up by name.
 */
export class FactSlots {
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
