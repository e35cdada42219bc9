// How an option's facts are laid out for the evaluator: one object shape for every option (V8 reads a shared
// shape's properties fast; see the comments below for what each step keeps).
import { FACTS, type FactName, type Facts } from '../facts/catalog.js';

/**
 * `{ ...a, ...b }` for small fact objects (an option's own facts, shown in the explanation), built by
 * assignment: the same keys in the same order with the same values (undefined ones included). V8 adds a
 * second spread's keys very slowly; plain assignment is fast.
 */
export function mergeFacts(...parts: Facts[]): Facts {
  const out: Record<string, unknown> = {};
  for (const part of parts) for (const k in part) out[k] = part[k as keyof Facts];
  return out as Facts;
}

/**
 * Every fact of the catalog, undefined, in one object with fast properties (Object.fromEntries keeps
 * them; adding more than a dozen keys one by one, as a merge loop does, turns an object into a slow
 * dictionary).
 */
const EMPTY_SHEET: Facts = Object.fromEntries(Object.keys(FACTS).map((k) => [k, undefined]));

/**
 * The facts every option's rules start from: the application facts in an object that declares every
 * fact of the catalog. Each option's facts are this sheet with its own facts written over it (withOwn), so
 * all of them have one shape: the evaluator reads fast properties of one shape instead of looking keys up
 * in a dictionary. A fact an option does not have
 * reads as undefined, as it did when it was absent; the facts the explanation shows are built apart.
 */
export function factSheet(base: Facts): Facts {
  const sheet = { ...EMPTY_SHEET };
  for (const k in base) sheet[k as FactName] = base[k as FactName];
  return sheet;
}

/**
 * The sheet as one option's facts: its own facts written over it, in place. The options of a decision take
 * turns with the one sheet instead of a clone each, so once the option's rules and reasons have read it,
 * `putBack` restores the application facts before the next option writes its own; nothing keeps the sheet.
 */
export function withOwn(sheet: Facts, own: Facts): Facts {
  for (const k in own) sheet[k as FactName] = own[k as FactName];
  return sheet;
}

export function putBack(sheet: Facts, base: Facts, own: Facts): void {
  for (const k in own) sheet[k as FactName] = base[k as FactName];
}
