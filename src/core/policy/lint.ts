import { Dec } from '../money/decimal.js';
import type { CompiledRule, ConditionNode } from './model.js';

type Leaf = Extract<ConditionNode, { kind: 'leaf' }>;

export interface LintWarning {
  ruleIndex: number;
  message: string;
}

/** The leaves every one of which must hold for the rule to fire (those directly under top-level `all`s). */
function requiredLeaves(node: ConditionNode): Leaf[] {
  if (node.kind === 'leaf') return [node];
  if (node.kind === 'all') return node.children.flatMap(requiredLeaves);
  return [];
}

/** The leaves of a tree made only of `all` and leaves (so the leaves are exactly its condition), else undefined. */
function onlyLeaves(node: ConditionNode): Leaf[] | undefined {
  if (node.kind === 'leaf') return [node];
  if (node.kind !== 'all') return undefined;
  const parts = node.children.map(onlyLeaves);
  return parts.every((p) => p !== undefined) ? (parts as Leaf[][]).flat() : undefined;
}

function key(l: Leaf): string {
  const v = l.value;
  return `${l.fact} ${l.operator} ${v.kind === 'fact' ? `fact:${v.name}` : JSON.stringify(v.value)}`;
}

/** Interval of a numeric leaf: [lo, hi] with open/closed ends, or undefined if not a simple bound. */
function bound(l: Leaf): { lo?: [Dec, boolean]; hi?: [Dec, boolean]; eq?: string } | undefined {
  if (l.value.kind === 'fact') return undefined;
  const raw = l.value.value;
  if (Array.isArray(raw)) return undefined;
  if (l.operator === 'equal') return { eq: String(raw) };
  if (typeof raw === 'boolean') return undefined;
  let d: Dec;
  try {
    d = new Dec(raw);
  } catch {
    return undefined;
  }
  switch (l.operator) {
    case 'greaterThan':
      return { lo: [d, false] };
    case 'greaterThanInclusive':
      return { lo: [d, true] };
    case 'lessThan':
      return { hi: [d, false] };
    case 'lessThanInclusive':
      return { hi: [d, true] };
    default:
      return undefined;
  }
}

/** Two bounds on one fact that no value satisfies together. */
function contradicts(a: Leaf, b: Leaf): boolean {
  const x = bound(a);
  const y = bound(b);
  if (!x || !y) return false;
  if (x.eq !== undefined && y.eq !== undefined) return x.eq !== y.eq;
  const lo = x.lo ?? y.lo;
  const hi = x.hi ?? y.hi;
  if (!lo || !hi || (x.lo && y.lo) || (x.hi && y.hi)) return false;
  const c = lo[0].comparedTo(hi[0]);
  return c > 0 || (c === 0 && !(lo[1] && hi[1]));
}

/**
 * Warnings a risk reviewer wants before go-live: a rule whose required conditions contradict each
 * other never fires; a rule whose required conditions include all of another's, for the same option and
 * with a different outcome, always fires together with it (the strictest outcome then wins silently).
 */
export function lintRules(rules: CompiledRule[]): LintWarning[] {
  const out: LintWarning[] = [];
  const leaves = rules.map((r) => requiredLeaves(r.condition));
  rules.forEach((_r, i) => {
    const ls = leaves[i]!;
    for (let a = 0; a < ls.length; a++)
      for (let b = a + 1; b < ls.length; b++)
        if (ls[a]!.fact === ls[b]!.fact && contradicts(ls[a]!, ls[b]!))
          out.push({ ruleIndex: i, message: `rule ${rules[i]!.id} can never fire: "${key(ls[a]!)}" and "${key(ls[b]!)}" cannot both hold` });
  });
  for (let i = 0; i < rules.length; i++) {
    for (let j = 0; j < rules.length; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      if (i === j || !a.outcome || !b.outcome || a.outcome === b.outcome) continue;
      const shared = a.options.filter((o) => b.options.includes(o));
      const exact = onlyLeaves(b.condition);
      if (!shared.length || !exact) continue;
      const ka = new Set(leaves[i]!.map(key));
      const kb = exact.map(key);
      if (kb.length && kb.every((k) => ka.has(k)) && (kb.length < ka.size || i < j))
        out.push({ ruleIndex: i, message: `rules ${a.id} (${a.outcome}) and ${b.id} (${b.outcome}) overlap for ${shared.join(', ')}: whenever ${a.id} fires, ${b.id} fires too` });
    }
  }
  return out;
}
