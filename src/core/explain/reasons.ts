import type { ReasonRef } from '../../generated/decision.js';
import { FACTS, isFact, type FactDef, type Facts } from '../facts/catalog.js';
import type { CompiledPolicy } from '../policy/model.js';

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

/** Fills a reason template with the actual facts and parameters; returns the text and the values used. */
export function renderReason(policy: CompiledPolicy, code: string, facts: Facts, lang: Language, ruleIds: string[]): ReasonRef {
  const rc = policy.reasonCodes[code]!;
  const params: Record<string, string> = {};
  const text = rc.text[lang].replace(PLACEHOLDER, (_m, name: string, filter?: string) => {
    let shown: string;
    if (name.startsWith('param.')) {
      const raw = policy.params[name.slice(6)];
      shown = format(raw, filter, undefined);
    } else {
      shown = format(facts[name as keyof Facts], filter, isFact(name) ? (FACTS[name] as FactDef) : undefined);
    }
    params[name] = shown;
    return shown;
  });
  return { code, rank: rc.rank, text, params, ruleIds };
}

/** Ranked (then by code, for stability). */
export function rankReasons(reasons: ReasonRef[]): ReasonRef[] {
  return [...reasons].sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code));
}
