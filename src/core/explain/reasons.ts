import type { ReasonRef } from '../../generated/decision.js';
import { FACTS, isFact, type FactDef, type FactName, type Facts } from '../facts/catalog.js';
import { oneByte } from '../one-byte.js';
import type { ReasonCode } from '../../generated/policy.js';
import type { CompiledPolicy, ParamValue } from '../policy/model.js';

export type Language = 'en' | 'zh';

/** `{fact}`, `{param.name}`, optionally with a filter: `{x|percent}`, `{x|money}`, `{x|list}`. */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9.]*)(?:\|(percent|money|list))?\}/g;

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** "0.5523" → "55.23%": decimal string arithmetic by shifting the point, no floats. */
export function percent(ratio: string): string {
  const neg = ratio.startsWith('-');
  const [int, frac = ''] = (neg ? ratio.slice(1) : ratio).split('.');
  const digits = `${int}${frac.padEnd(2, '0')}`;
  const whole = digits.slice(0, int!.length + 2).replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${rest ? `.${rest}` : ''}%`;
}

function format(value: unknown, filter: string | undefined, def: FactDef | undefined): string {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) return value.join(', ');
  const f = filter ?? (def?.ratio ? 'percent' : def?.money ? 'money' : undefined);
  if (f === 'percent') return percent(String(value));
  if (f === 'money') return groupThousands(String(value));
  return String(value);
}

/** A placeholder of a reason text: a parameter, whose text the policy fixes (`shown`), or a fact with its filter. */
interface Slot {
  name: string;
  shown?: string;
  filter?: string;
  def?: FactDef;
}

/** A reason text cut at its placeholders: literal text and slots, in order. */
export interface Template {
  rank: number;
  parts: (string | Slot)[];
  /** The parts that name each placeholder's value in `params`, in name order (the last of a name repeated). */
  paramParts: number[];
}

/** A policy's reason texts, each cut once, by language and code: rendering is then concatenation. */
export type ReasonTemplates = Record<Language, ReadonlyMap<string, Template>>;

/** Built by compilePolicy, so parameter values are formatted once per policy rather than once per reason. */
export function reasonTemplatesOf(params: Readonly<Record<string, ParamValue>>, codes: Readonly<Record<string, ReasonCode>>): ReasonTemplates {
  const byLang = (lang: Language) => new Map(Object.entries(codes).map(([code, rc]) => [code, templateOf(rc.rank, compileTemplate(params, rc.text[lang]))]));
  return { en: byLang('en'), zh: byLang('zh') };
}

function templateOf(rank: number, parts: (string | Slot)[]): Template {
  const last = new Map<string, number>();
  parts.forEach((part, i) => typeof part !== 'string' && last.set(part.name, i));
  const paramParts = [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, i]) => i);
  return { rank, parts, paramParts };
}

function compileTemplate(params: Readonly<Record<string, ParamValue>>, text: string): (string | Slot)[] {
  const parts: (string | Slot)[] = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    // A name cut from a Chinese text is two-byte, and as a key of `params` it would make the English
    // answers two-byte too.
    const name = oneByte(m[1]!);
    const filter = m[2];
    parts.push(
      name.startsWith('param.')
        ? { name, shown: format(params[name.slice(6)], filter, undefined) }
        : { name, filter, def: isFact(name) ? (FACTS[name] as FactDef) : undefined },
    );
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/**
 * Fills a reason template with the actual facts and parameters; returns the text and the values used.
 * Members, and the values in `params`, in canonical (sorted) order, as the audit trail writes them.
 */
export function renderReason(policy: CompiledPolicy, code: string, facts: Facts, lang: Language, ruleIds: string[]): ReasonRef {
  const t = policy.reasonTemplates[lang].get(code)!;
  const shown: string[] = new Array(t.parts.length);
  let text = '';
  for (let i = 0; i < t.parts.length; i++) {
    const part = t.parts[i]!;
    if (typeof part === 'string') text += part;
    else text += shown[i] = part.shown ?? format(facts[part.name as FactName], part.filter, part.def);
  }
  const params: Record<string, string> = {};
  for (const i of t.paramParts) params[(t.parts[i] as Slot).name] = shown[i]!;
  return { code, params, rank: t.rank, ruleIds, text };
}

/** Ranked (then by code, for stability). */
export function rankReasons(reasons: ReasonRef[]): ReasonRef[] {
  return [...reasons].sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code));
}
