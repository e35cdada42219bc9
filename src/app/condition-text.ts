// Condition trees and values as the short text a reviewer reads (policy diffs).
import type { ConditionNode, ValueSource } from '../core/policy/model.js';

const OPERATOR_SYMBOLS: Record<string, string> = {
  equal: '=',
  notEqual: '!=',
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

/** A parameter or literal as one short token: lists in brackets, everything else as written. */
export function formatValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v === undefined) return '(none)';
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function formatSource(v: ValueSource): string {
  switch (v.kind) {
    case 'literal':
      return formatValue(v.value);
    case 'param':
      return `param ${v.name}`;
    case 'fact':
      return `fact ${v.name}`;
  }
}

/**
 * One-line form of a condition tree. Parameters are shown by name, not value: a parameter's new value is a
 * parameter change, not a rule change, and is reported once under parameters.
 */
export function formatCondition(node: ConditionNode): string {
  switch (node.kind) {
    case 'all':
    case 'any':
      return `${node.kind}(${node.children.map(formatCondition).join(', ')})`;
    case 'not':
      return `not(${formatCondition(node.child)})`;
    case 'leaf':
      return `${node.fact} ${OPERATOR_SYMBOLS[node.operator] ?? node.operator} ${formatSource(node.value)}`;
  }
}

function groupLabel(node: ConditionNode): string {
  const text = formatCondition(node);
  return text.length <= 80 ? text : `${text.slice(0, 78)}…`;
}

/**
 * Words for a condition change where the trees line up; undefined when only both trees can say it.
 * `where` names the enclosing group for changes below the top level.
 */
export function describeConditionChange(a: ConditionNode, b: ConditionNode, where = ''): string[] | undefined {
  if (formatCondition(a) === formatCondition(b)) return [];
  if (a.kind === 'leaf' && b.kind === 'leaf') return [`${formatCondition(a)} became ${formatCondition(b)}${where}`];
  if (a.kind === 'not' && b.kind === 'not') return describeConditionChange(a.child, b.child, ` within not(…)${where}`);
  if ((a.kind !== 'all' && a.kind !== 'any') || b.kind !== a.kind) return undefined;
  const bChildren = (b as { children: ConditionNode[] }).children;

  // Unchanged children pair up by their text; of the rest, a leaf pairs with the one leaf on the same fact,
  // a group with the one group of the same kind. Anything else is added or removed.
  const oldLeft = a.children.map((c) => ({ c, text: formatCondition(c) }));
  const newLeft = bChildren.map((c) => ({ c, text: formatCondition(c) }));
  for (let i = oldLeft.length - 1; i >= 0; i--) {
    const j = newLeft.findIndex((n) => n.text === oldLeft[i]!.text);
    if (j >= 0) {
      oldLeft.splice(i, 1);
      newLeft.splice(j, 1);
    }
  }
  const key = (c: ConditionNode) => (c.kind === 'leaf' ? `leaf:${c.fact}` : c.kind);
  const out: string[] = [];
  for (const o of [...oldLeft]) {
    const olds = oldLeft.filter((x) => key(x.c) === key(o.c));
    const news = newLeft.filter((n) => key(n.c) === key(o.c));
    if (olds.length !== 1 || news.length !== 1) continue;
    const n = news[0]!;
    const words = describeConditionChange(o.c, n.c, o.c.kind === 'leaf' ? where : ` within ${groupLabel(o.c)}${where}`);
    if (!words) return undefined;
    out.push(...words);
    oldLeft.splice(oldLeft.indexOf(o), 1);
    newLeft.splice(newLeft.indexOf(n), 1);
  }
  const noun = a.kind === 'all' ? 'condition' : 'alternative';
  for (const o of oldLeft) out.push(`removed ${noun} ${o.text}${where}`);
  for (const n of newLeft) out.push(`added ${noun} ${n.text}${where}`);
  return out;
}
