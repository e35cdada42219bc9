import { ENGINE_PARAMS } from '../core/policy/engine-params.js';
import type { CompiledPolicy, CompiledRule, ConditionNode, ParamValue, ValueSource } from '../core/policy/model.js';

/**
 * What changed between two compiled policy versions, in terms a risk reviewer reads: parameters, rules,
 * reason codes, defaults, the document matrix and metadata. Pure: it compares two already-loaded policies.
 */

export interface PolicyRef {
  id: string;
  version: string;
  sha256: string;
  file: string;
}

export interface FieldChange {
  /** Dotted path of the field, e.g. `effectiveFrom`, `byReason.UNEMPLOYMENT.oneOf`, `text.en`. */
  field: string;
  /** Compact text of the old value; absent when the field is new. */
  from?: string;
  /** Compact text of the new value; absent when the field was removed. */
  to?: string;
}

export interface ParameterChange {
  name: string;
  from: ParamValue;
  to: ParamValue;
  /** Rules of the new version whose conditions or waivers read the parameter. */
  usedByRules: string[];
  /** True when the engine itself reads it (plan building, dates). */
  readByEngine: boolean;
}

export interface RuleSummary {
  id: string;
  description: string;
  options: string[];
  priority: number;
  outcome?: string;
  reasonCodes: string[];
  /** Compact one-line form of the condition tree, e.g. `all(daysPastDue > param maxDaysPastDue, riskScore >= 600)`. */
  condition: string;
}

export interface RuleFieldChange extends FieldChange {
  field: 'description' | 'options' | 'priority' | 'outcome' | 'reasonCodes' | 'securityRequirement' | 'securityProvided' | 'offerConditions' | 'waiver' | 'condition';
  /** For `condition`: the change in words where it can be said simply (e.g. "daysPastDue > 30 became daysPastDue > 45"). */
  details?: string[];
}

export interface RuleChange {
  id: string;
  changes: RuleFieldChange[];
}

export interface ReasonCodeSummary {
  code: string;
  rank: number;
  adverse: boolean;
  text: { en: string; zh: string };
}

export interface PolicyDiff {
  old: PolicyRef;
  new: PolicyRef;
  /** No change at all outside the metadata version and hash. */
  identical: boolean;
  metadata: FieldChange[];
  parameters: {
    added: { name: string; value: ParamValue }[];
    removed: { name: string; value: ParamValue }[];
    changed: ParameterChange[];
  };
  rules: { added: RuleSummary[]; removed: RuleSummary[]; changed: RuleChange[] };
  reasonCodes: {
    added: ReasonCodeSummary[];
    removed: ReasonCodeSummary[];
    changed: { code: string; changes: FieldChange[] }[];
  };
  defaults: FieldChange[];
  documents: FieldChange[];
}

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
function describeConditionChange(a: ConditionNode, b: ConditionNode, where = ''): string[] | undefined {
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

function summary(r: CompiledRule): RuleSummary {
  return {
    id: r.id,
    description: r.description,
    options: [...r.options],
    priority: r.priority,
    ...(r.outcome !== undefined ? { outcome: r.outcome } : {}),
    reasonCodes: [...r.reasonCodes],
    condition: formatCondition(r.condition),
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sorted<T>(xs: Iterable<T>): T[] {
  return [...xs].sort();
}

function ruleChanges(a: CompiledRule, b: CompiledRule): RuleFieldChange[] {
  const out: RuleFieldChange[] = [];
  const push = (field: RuleFieldChange['field'], x: unknown, y: unknown, text: (v: unknown) => string = formatValue) => {
    if (same(x, y)) return;
    out.push({ field, ...(x !== undefined ? { from: text(x) } : {}), ...(y !== undefined ? { to: text(y) } : {}) });
  };
  push('description', a.description, b.description);
  push('options', sorted(a.options), sorted(b.options));
  push('priority', a.priority, b.priority);
  push('outcome', a.outcome, b.outcome);
  push('reasonCodes', a.reasonCodes, b.reasonCodes);
  push('securityRequirement', a.securityRequirement, b.securityRequirement);
  push('securityProvided', a.securityProvided, b.securityProvided);
  push('offerConditions', sorted(a.offerConditions), sorted(b.offerConditions));
  push('waiver', a.waiver, b.waiver, (w) => {
    const v = w as { pct: string; cap?: string };
    return `pct ${v.pct}${v.cap ? `, cap ${v.cap}` : ''}`;
  });
  const ca = formatCondition(a.condition);
  const cb = formatCondition(b.condition);
  if (ca !== cb) {
    const details = describeConditionChange(a.condition, b.condition);
    out.push({ field: 'condition', from: ca, to: cb, ...(details && details.length ? { details } : {}) });
  }
  return out;
}

/** Every leaf of a plain-object tree as `path → compact value`; arrays are leaves. */
function flatten(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) flatten(child, path ? `${path}.${k}` : k, out);
  } else if (v !== undefined) {
    out.set(path, formatValue(v));
  }
  return out;
}

function fieldChanges(a: unknown, b: unknown): FieldChange[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const out: FieldChange[] = [];
  for (const field of sorted(new Set([...fa.keys(), ...fb.keys()]))) {
    const x = fa.get(field);
    const y = fb.get(field);
    if (x === y) continue;
    out.push({ field, ...(x !== undefined ? { from: x } : {}), ...(y !== undefined ? { to: y } : {}) });
  }
  return out;
}

function ref(p: CompiledPolicy): PolicyRef {
  return { id: p.id, version: p.version, sha256: p.sha256, file: p.file };
}

function reasonSummary(code: string, p: CompiledPolicy): ReasonCodeSummary {
  const rc = p.reasonCodes[code]!;
  return { code, rank: rc.rank, adverse: rc.adverse ?? true, text: { en: rc.text.en, zh: rc.text.zh } };
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Structured differences from `old` to `next`; lists are sorted by name so the output is stable. */
export function diffPolicies(old: CompiledPolicy, next: CompiledPolicy): PolicyDiff {
  const metadata = fieldChanges(old.metadata, next.metadata);

  const parameters: PolicyDiff['parameters'] = { added: [], removed: [], changed: [] };
  for (const name of sorted(new Set([...Object.keys(old.params), ...Object.keys(next.params)]))) {
    const inOld = own(old.params, name);
    const inNew = own(next.params, name);
    if (!inOld) parameters.added.push({ name, value: next.params[name]! });
    else if (!inNew) parameters.removed.push({ name, value: old.params[name]! });
    else if (!same(old.params[name], next.params[name]))
      parameters.changed.push({
        name,
        from: old.params[name]!,
        to: next.params[name]!,
        usedByRules: next.rules.filter((r) => r.params.includes(name) || r.waiver?.pct === name || r.waiver?.cap === name).map((r) => r.id),
        readByEngine: own(ENGINE_PARAMS, name),
      });
  }

  const oldRules = new Map(old.rules.map((r) => [r.id, r]));
  const newRules = new Map(next.rules.map((r) => [r.id, r]));
  const rules: PolicyDiff['rules'] = {
    added: next.rules.filter((r) => !oldRules.has(r.id)).map(summary),
    removed: old.rules.filter((r) => !newRules.has(r.id)).map(summary),
    changed: [],
  };
  for (const r of next.rules) {
    const before = oldRules.get(r.id);
    if (!before) continue;
    const changes = ruleChanges(before, r);
    if (changes.length) rules.changed.push({ id: r.id, changes });
  }

  const reasonCodes: PolicyDiff['reasonCodes'] = { added: [], removed: [], changed: [] };
  for (const code of sorted(new Set([...Object.keys(old.reasonCodes), ...Object.keys(next.reasonCodes)]))) {
    const inOld = own(old.reasonCodes, code);
    const inNew = own(next.reasonCodes, code);
    if (!inOld) reasonCodes.added.push(reasonSummary(code, next));
    else if (!inNew) reasonCodes.removed.push(reasonSummary(code, old));
    else {
      const { code: _a, ...x } = reasonSummary(code, old);
      const { code: _b, ...y } = reasonSummary(code, next);
      const changes = fieldChanges(x, y);
      if (changes.length) reasonCodes.changed.push({ code, changes });
    }
  }

  const defaults = fieldChanges(old.defaults, next.defaults);
  const documents = fieldChanges(old.documents ?? {}, next.documents ?? {});

  const identical =
    metadata.every((m) => m.field === 'version') &&
    !parameters.added.length &&
    !parameters.removed.length &&
    !parameters.changed.length &&
    !rules.added.length &&
    !rules.removed.length &&
    !rules.changed.length &&
    !reasonCodes.added.length &&
    !reasonCodes.removed.length &&
    !reasonCodes.changed.length &&
    !defaults.length &&
    !documents.length;

  return { old: ref(old), new: ref(next), identical, metadata, parameters, rules, reasonCodes, defaults, documents };
}

const RULE_FIELD_WORDS: Record<RuleFieldChange['field'], string> = {
  description: 'description',
  options: 'options',
  priority: 'priority',
  outcome: 'outcome',
  reasonCodes: 'reason codes',
  securityRequirement: 'security requirement',
  securityProvided: 'security provided',
  offerConditions: 'offer conditions',
  waiver: 'waiver',
  condition: 'conditions',
};

function quoted(s: string | undefined): string {
  return s === undefined ? '(none)' : JSON.stringify(s);
}

function arrow(c: FieldChange, quote = false): string {
  const show = quote ? quoted : (s: string | undefined) => s ?? '(none)';
  return `${show(c.from)} → ${show(c.to)}`;
}

function rulePhrase(r: RuleSummary): string {
  const what = r.outcome ? `outcome ${r.outcome}` : 'no outcome';
  const reasons = r.reasonCodes.length ? `, reasons ${r.reasonCodes.join(', ')}` : '';
  return `${r.options.join('/')}, priority ${r.priority}, ${what}${reasons}, when ${r.condition}`;
}

/** Plain lines for a risk reviewer, one change per line (rule changes may add indented detail lines). */
export function formatDiff(d: PolicyDiff): string {
  const lines: string[] = [];
  lines.push(`Policy ${d.old.id}@${d.old.version} (${d.old.file}) → ${d.new.id}@${d.new.version} (${d.new.file})`);
  if (d.identical) lines.push('No changes to parameters, rules, reason codes, defaults or documents.');

  for (const m of d.metadata) {
    if (m.from === undefined) lines.push(`Metadata ${m.field} added: ${quoted(m.to)}`);
    else if (m.to === undefined) lines.push(`Metadata ${m.field} removed (was ${quoted(m.from)})`);
    else lines.push(`Metadata ${m.field} changed from ${quoted(m.from)} to ${quoted(m.to)}`);
  }

  for (const p of d.parameters.changed) {
    const users = [...(p.usedByRules.length ? [`rules ${p.usedByRules.join(', ')}`] : []), ...(p.readByEngine ? ['the engine'] : [])];
    lines.push(`Parameter ${p.name} changed from ${formatValue(p.from)} to ${formatValue(p.to)}${users.length ? ` (read by ${users.join(' and ')})` : ''}`);
  }
  for (const p of d.parameters.added) lines.push(`Parameter ${p.name} added: ${formatValue(p.value)}`);
  for (const p of d.parameters.removed) lines.push(`Parameter ${p.name} removed (was ${formatValue(p.value)})`);

  for (const r of d.rules.added) lines.push(`Rule ${r.id} added: ${rulePhrase(r)} — ${r.description}`);
  for (const r of d.rules.removed) lines.push(`Rule ${r.id} removed (was ${rulePhrase(r)})`);
  for (const r of d.rules.changed) {
    for (const c of r.changes) {
      const label = RULE_FIELD_WORDS[c.field];
      if (c.field === 'condition') {
        if (c.details?.length) {
          for (const w of c.details) lines.push(`Rule ${r.id} changed: ${w}`);
        } else {
          lines.push(`Rule ${r.id} changed: conditions`);
          lines.push(`  before: ${c.from}`);
          lines.push(`  after:  ${c.to}`);
        }
      } else {
        lines.push(`Rule ${r.id} changed: ${label} ${arrow(c, c.field === 'description')}`);
      }
    }
  }

  for (const c of d.reasonCodes.added) lines.push(`Reason code ${c.code} added: rank ${c.rank}, "${c.text.en}"`);
  for (const c of d.reasonCodes.removed) lines.push(`Reason code ${c.code} removed (was rank ${c.rank}, "${c.text.en}")`);
  for (const c of d.reasonCodes.changed)
    for (const f of c.changes) {
      const what = f.field.startsWith('text.') ? `text (${f.field.slice(5)})` : f.field;
      lines.push(`Reason code ${c.code} changed: ${what} ${arrow(f, f.field.startsWith('text.'))}`);
    }

  for (const f of d.defaults) lines.push(`Default ${f.field} changed: ${arrow(f)}`);
  for (const f of d.documents) lines.push(`Documents ${f.field} changed: ${arrow(f)}`);
  return lines.join('\n');
}
