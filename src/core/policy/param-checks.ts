import type { Policy } from '../../generated/policy.js';
import { pathToString, type PathSegment, type PolicyProblem } from './problem.js';

/** A ratio is a fraction (0.55 is 55 %); above this it was almost surely typed as a percentage. */
export const MAX_RATIO = 5;

/** A ratio parameter's value out of 0..MAX_RATIO, with the fraction it probably meant; undefined when in range. */
export function ratioOutOfRange(name: string, value: unknown): string | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n) || (n >= 0 && n <= MAX_RATIO)) return undefined;
  const meant = n > 1 && n <= 100 ? ` — did you mean ${String(Number((n / 100).toFixed(6)))}?` : '';
  return `parameter "${name}" is a ratio (0.55 means 55 %) and must be from 0 to ${MAX_RATIO}, got ${String(value)}${meant}`;
}

/** Where each parameter is used: `{param: name}` values in rule conditions and a waiver's pct and cap. */
export function parameterUses(doc: Policy): Map<string, PathSegment[][]> {
  const uses = new Map<string, PathSegment[][]>();
  const add = (name: string, path: PathSegment[]) => uses.set(name, [...(uses.get(name) ?? []), path]);
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (Array.isArray(node)) node.forEach((c, i) => walk(c, [...path, i]));
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.param === 'string') add(o.param, [...path, 'param']);
      for (const [k, v] of Object.entries(o)) if (k !== 'param') walk(v, [...path, k]);
    }
  };
  (doc.rules ?? []).forEach((rule, i) => {
    walk(rule.conditions, ['rules', i, 'conditions']);
    for (const k of ['pct', 'cap'] as const) if (typeof rule.waiver?.[k] === 'string') add(rule.waiver[k], ['rules', i, 'waiver', k]);
  });
  return uses;
}

const ABOUT_PARAM = /^parameter "([^"]+)"/;

/**
 * An error about a parameter is reported where it is defined and where it is used, so whichever line the
 * author looks at says so: each such error gets a companion at the definition and at every use it lacks.
 */
export function atDefinitionAndUses(problems: PolicyProblem[], uses: Map<string, PathSegment[][]>, at: (path: PathSegment[], message: string) => PolicyProblem): PolicyProblem[] {
  const out = [...problems];
  const seen = new Set(problems.map((p) => `${p.path}\u0000${p.message}`));
  const push = (path: PathSegment[], message: string) => {
    const key = `${pathToString(path)}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(at(path, message));
  };
  for (const p of problems) {
    const name = p.severity === 'error' ? ABOUT_PARAM.exec(p.message)?.[1] : undefined;
    if (name === undefined) continue;
    const definition: PathSegment[] = ['parameters', name];
    const places = uses.get(name) ?? [];
    if (!p.path.startsWith(pathToString(definition))) push(definition, `${p.message} (used at ${p.path})`);
    for (const use of places) if (pathToString(use) !== p.path) push(use, `${p.message} (defined at ${pathToString(definition)})`);
  }
  return out;
}
