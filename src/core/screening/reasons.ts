import { PLACEHOLDER } from '../explain/reasons.js';
import { Dec } from '../money/decimal.js';
import { SCREENING_FACTS, type ScreeningFactName, type ScreeningFacts } from './facts.js';
import type { CompiledScreeningPolicy, CompiledScreeningRule, ScreeningReason } from './model.js';

export type Part = string | { name: string; param: boolean; filter?: string };

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int!.startsWith('-');
  const grouped = (neg ? int!.slice(1) : int!).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** How a value reads in a borrower-facing text: ratios as percentages to 2 places, money grouped. */
export function formatValue(value: number | string | boolean | undefined, filter: string | undefined): string {
  if (value === undefined) return '—';
  if (filter === 'percent') return `${new Dec(String(value)).times(100).toDecimalPlaces(2).toString()}%`;
  if (filter === 'money') return groupThousands(new Dec(String(value)).toFixed(2));
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
  for (const name of [...rule.facts, ...t.facts]) {
    const v = facts[name];
    if (v !== undefined) values[name] = SCREENING_FACTS[name] === 'decimal' ? new Dec(v as string).toDecimalPlaces(4).toString() : String(v);
  }
  return { ruleId: rule.id, code: rule.reasonCode, points: rule.points, text: { en: render(t.en, facts, policy.params), zh: render(t.zh, facts, policy.params) }, values };
}

/** Highest points first, then reason code, then rule id: a stable order for notices and outreach. */
export function rankScreeningReasons(reasons: Omit<ScreeningReason, 'rank'>[]): ScreeningReason[] {
  return [...reasons]
    .sort((a, b) => b.points - a.points || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map((r, i) => ({ rank: i + 1, ...r }));
}
