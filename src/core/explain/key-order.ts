/**
 * `value` with every object's members in the order `template` has them (members the template lacks keep
 * their order, after the others); arrays are matched element by element. The audit trail keeps records as
 * canonical JSON (members sorted), so a decision read back has lost the order it was first answered in;
 * ordering it like a fresh decision of the same application gives the caller the same bytes again.
 */
export function orderLike<T>(value: T, template: unknown): T {
  if (Array.isArray(value)) {
    const t = Array.isArray(template) ? template : [];
    return value.map((v, i) => orderLike(v, t[i])) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const t = template !== null && typeof template === 'object' && !Array.isArray(template) ? (template as Record<string, unknown>) : {};
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(t)) if (Object.hasOwn(src, k)) out[k] = orderLike(src[k], t[k]);
  for (const k of Object.keys(src)) if (!Object.hasOwn(out, k)) out[k] = orderLike(src[k], undefined);
  return out as T;
}
