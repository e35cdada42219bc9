export interface Difference {
  path: string;
  recorded: unknown;
  replayed: unknown;
}

/** Field-by-field differences between two JSON values, as JSON pointers. */
export function diffJson(a: unknown, b: unknown, path = '', out: Difference[] = [], limit = 200): Difference[] {
  if (out.length >= limit) return out;
  if (a === b) return out;
  const objA = a !== null && typeof a === 'object';
  const objB = b !== null && typeof b === 'object';
  if (!objA || !objB || Array.isArray(a) !== Array.isArray(b)) {
    out.push({ path: path || '/', recorded: a, replayed: b });
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) diffJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, limit);
  return out;
}
