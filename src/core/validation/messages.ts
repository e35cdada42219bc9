import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../errors.js';

/** Turns ajv errors into sentences that name the field, one per problem, keyed by JSON pointer. */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined): FieldProblem[] {
  const out = new Map<string, FieldProblem>();
  for (const e of errors ?? []) {
    // anyOf/oneOf summaries repeat what their branches already said
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const p = toProblem(e);
    const key = `${p.pointer}\u0000${p.message}`;
    if (!out.has(key)) out.set(key, p);
  }
  return [...out.values()].sort((a, b) => a.pointer.localeCompare(b.pointer) || a.message.localeCompare(b.message));
}

function describe(e: ErrorObject): string {
  const ps = e.parentSchema as { description?: string; title?: string } | undefined;
  return ps?.description ?? ps?.title ?? '';
}

function toProblem(e: ErrorObject): FieldProblem {
  const at = e.instancePath || '';
  const field = at ? at : 'the body';
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: `${at}/${escape(missing)}`, message: `${at}/${missing} is required` };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { pointer: `${at}/${escape(extra)}`, message: `${at}/${extra} is not a known field` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return { pointer: at, message: `${field} must be one of: ${allowed}` };
    }
    case 'const':
      return { pointer: at, message: `${field} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    case 'type':
      return { pointer: at, message: `${field} must be of type ${(e.params as { type: string | string[] }).type}` };
    case 'pattern':
    case 'format': {
      const what = describe(e);
      const shown = typeof e.data === 'string' && e.data.length <= 40 ? ` "${e.data}"` : '';
      return { pointer: at, message: `${field}${shown} is not valid${what ? `: ${what}` : ` (${e.message ?? e.keyword})`}` };
    }
    case 'maxItems':
    case 'minItems': {
      const limit = (e.params as { limit: number }).limit;
      const count = Array.isArray(e.data) ? e.data.length : 0;
      return { pointer: at, message: `${field} holds ${count} items; it must hold ${e.keyword === 'maxItems' ? 'at most' : 'at least'} ${limit}` };
    }
    default:
      return { pointer: at, message: `${field} ${e.message ?? 'is invalid'}` };
  }
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys that could pollute prototypes downstream are refused wherever they appear. */
export function forbiddenKeys(value: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  findForbidden(value, [], out, 0);
  return out;
}

/** The walk keeps the path as segments and writes a pointer only for a key it refuses: bodies are mostly clean. */
function findForbidden(value: unknown, path: (string | number)[], out: FieldProblem[], depth: number): void {
  if (out.length >= 20 || depth > 64 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      findForbidden(value[i], path, out, depth + 1);
      path.pop();
    }
    return;
  }
  // for…in with the own-key test lists what Object.keys lists, in its order, without an array per object.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    path.push(key);
    if (FORBIDDEN.has(key)) {
      const p = path.map((seg) => `/${typeof seg === 'number' ? seg : escape(seg)}`).join('');
      out.push({ pointer: p, message: `${p} uses a forbidden key "${key}"` });
    } else findForbidden((value as Record<string, unknown>)[key], path, out, depth + 1);
    path.pop();
  }
}
