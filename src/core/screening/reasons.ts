import { PLACEHOLDER } from '../explain/reasons.js';
import { fixed2Text, percentText, roundedText } from './decimal-text.js';
import { SCREENING_FACTS, type ScreeningFactName, type ScreeningFacts } from './facts.js';
import type { CompiledScreeningPolicy, CompiledScreeningRule, ScreeningReason } from './model.js';

export type Part = string | { name: string; param: boolean; filter?: string };

function groupThousands(s: string): string {
  const point = s.indexOf('.');
  const end = point < 0 ? s.length : point;
  const start = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (end - start <= 3) return s;
  let out = s.slice(0, start + ((end - start) % 3 || 3));
  for (let i = out.length; i < end; i += 3) out += `,${s.slice(i, i + 3)}`;
  return out + s.slice(end);
}

/** How a value reads in a borrower-facing text: ratios as percentages to 2 places, money grouped. */
export function formatValue(value: number | string | boolean | undefined, filter: string | undefined): string {
  if (value === undefined) return '—';
  if (filter === 'percent') return `${percentText(String(value))}%`;
  if (filter === 'money') return groupThousands(fixed2Text(String(value)));
  return String(value);
}

function parse(text: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    const param = m[1]!.startsWith('param.');
    parts.push({ name: param ? m[1]!.slice(6) : m[1]!, param, filter: m[2] });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** A reason code's texts, parsed once when the policy is compiled (CompiledScreeningPolicy.reasonTexts). */
export interface ReasonTexts {
  en: Part[];
  zh: Part[];
  /** Facts the texts show: their values are part of the reason. */
  facts: ScreeningFactName[];
}

function textsOf(en: string, zh: string): ReasonTexts {
  const t = { en: parse(en), zh: parse(zh) };
  const facts = [...t.en, ...t.zh].flatMap((p) => (typeof p !== 'string' && !p.param ? [p.name as ScreeningFactName] : []));
  return { ...t, facts: [...new Set(facts)] };
}

/** Every reason code's texts, parsed. */
export function reasonTextsOf(reasonCodes: CompiledScreeningPolicy['reasonCodes']): ReadonlyMap<string, ReasonTexts> {
  return new Map(Object.entries(reasonCodes).flatMap(([code, rc]) => (rc ? [[code, textsOf(rc.text.en, rc.text.zh)] as const] : [])));
}

function render(parts: Part[], facts: ScreeningFacts, params: Record<string, number>): string {
  let out = '';
  for (const p of parts) out += typeof p === 'string' ? p : formatValue(p.param ? params[p.name] : facts[p.name as ScreeningFactName], p.filter);
  return out;
}

/** One fired rule as a reason: its texts in both languages with the actual values, and those values. */
export function reasonOf(policy: CompiledScreeningPolicy, rule: CompiledScreeningRule, facts: ScreeningFacts): Omit<ScreeningReason, 'rank'> {
  const t = policy.reasonTexts.get(rule.reasonCode)!;
  const values: Record<string, string> = {};
  // The facts the rule reads, then those its texts name (a name met again keeps its place).
  const show = (name: ScreeningFactName) => {
    const v = facts[name];
    if (v !== undefined && !(name in values)) values[name] = SCREENING_FACTS[name] === 'decimal' ? roundedText(v as string, 4) : String(v);
  };
  for (const name of rule.facts) show(name);
  for (const name of t.facts) show(name);
  return { ruleId: rule.id, code: rule.reasonCode, points: rule.points, text: { en: render(t.en, facts, policy.params), zh: render(t.zh, facts, policy.params) }, values };
}

/** Highest points first, then reason code, then rule id: a stable order for notices and outreach. */
export function rankScreeningReasons(reasons: Omit<ScreeningReason, 'rank'>[]): ScreeningReason[] {
  const sorted = reasons.length > 1 ? [...reasons].sort((a, b) => b.points - a.points || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)) : reasons;
  // Literals, not `{ rank, ...r }` (V8 builds a spread slowly): the same keys in the same order.
  const out: ScreeningReason[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    out[i] = { rank: i + 1, ruleId: r.ruleId, code: r.code, points: r.points, text: r.text, values: r.values };
  }
  return out;
}
