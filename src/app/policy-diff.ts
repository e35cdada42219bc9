import { ENGINE_PARAMS } from '../core/policy/engine-params.js';
import type { CompiledPolicy, CompiledRule, ParamValue } from '../core/policy/model.js';
import { describeConditionChange, formatCondition, formatValue } from './condition-text.js';

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
