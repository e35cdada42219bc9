// RFC 8785 (JCS) canonical JSON of the values an audit record holds, and the normalised copy it is written from.

/** A value with no JSON form (NaN, a BigInt, undefined at the top): the audit store refuses such a record as invalid. */
export class NotJsonError extends Error {}

/** A value as JSON carries it (members in RFC 8785 order, nothing JSON drops) and its canonical JSON text. */
export interface CanonicalForm {
  text: string;
  value: unknown;
}

/**
 * For the JSON values a record holds — strings, finite numbers, booleans, null, arrays and plain objects —
 * JCS is ECMAScript's JSON serialisation with object members in UTF-16 code-unit order. A value whose
 * objects already list their members in that order (the core builds its decisions so, field by field) is
 * canonical as it is: it is checked, not copied, and the native JSON.stringify writes it. Any object that
 * is not (a client's member order, a member JSON drops, -0) is copied with its members inserted in sorted
 * order, and so is each object holding such a copy; the rest is shared. JS objects list integer-like keys
 * ("10", "2") first whatever their insertion order, so a value with one is written by `serialize`, which
 * emits members in sorted order itself. Tests hold both equal to the `canonicalize` package.
 *
 * A value is taken as it is where it can be, so the form's value may be the value given, or share parts
 * with it: the caller does not change a value while its form is in use.
 *
 * `remember`: the value will not change from now on, and the form is kept for when its value is given next
 * (the decision service encodes the recorded decision once, for its answer, and hands that value to the
 * audit store right away). One form is kept, until it is asked for or another is remembered.
 */
export function canonicalForm(value: unknown, remember = false): CanonicalForm {
  if (remembered !== undefined && remembered.value === value) {
    const { form } = remembered;
    remembered = undefined;
    return form;
  }
  let text: string | undefined;
  let copy: unknown;
  try {
    integerKeySeen = false;
    // for…in would list what a library added to Object.prototype as members: then every object is copied by its own keys.
    forInOwn = !hasEnumerable(Object.prototype);
    copy = canonical(value);
    text = integerKeySeen ? serialize(value) : JSON.stringify(copy);
  } catch (err) {
    throw new NotJsonError(`audit record is not serialisable as JSON: ${(err as Error).message}`);
  }
  if (text === undefined) throw new NotJsonError('audit record has no JSON representation');
  const form = { text, value: copy };
  if (remember && typeof copy === 'object' && copy !== null) remembered = { value: copy, form };
  return form;
}

/**
 * The form last given to be remembered. One slot, not a WeakMap of every form: a WeakMap's entries outlived
 * V8's scavenges, so each decision's text and value outlived its request and was promoted to the old
 * generation (scripts/bench/experiments/gc-trace.mjs: 25 against 13 KB promoted per decision).
 */
let remembered: { value: unknown; form: CanonicalForm } | undefined;

let integerKeySeen = false;
const INTEGER_KEY = /^(0|[1-9][0-9]*)$/;

const dropped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Whether canonical() did not give the value back: a copy, or 0 for -0 (which `!==` does not tell apart). */
const changed = (c: unknown, v: unknown): boolean => c !== v || (v === 0 && 1 / v < 0);

/** The value itself where it is canonical as it is, else a canonical copy (sharing what is). */
function canonical(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value !== 'number') return value;
    if (!Number.isFinite(value)) throw new Error(`${value} is not a JSON number`);
    return value === 0 ? 0 : value; // -0 is written, and read back, as 0
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return canonical(toJSON.call(value));
  if (Array.isArray(value)) return canonicalArray(value);
  if (forInOwn && Object.getPrototypeOf(value) === Object.prototype) {
    const same = inOrder(value as Record<string, unknown>);
    if (same !== UNSORTED) return same;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return {};
  const shape = shapeOf(keys);
  return shape.build ? shape.build(value as Record<string, unknown>) : copyMembers(value as Record<string, unknown>, shape.sorted);
}

/** The array itself unless an element changes (a copy, or null for what JSON drops); then a copy from there on. */
function canonicalArray(value: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const c = dropped(v) ? null : canonical(v);
    if (out) out[i] = c;
    else if (changed(c, v)) {
      out = value.slice(0, i);
      out.length = value.length;
      out[i] = c;
    }
  }
  return out ?? value;
}

/** Whether for…in lists only an object's own members: nothing enumerable was added to Object.prototype. */
let forInOwn = true;

function hasEnumerable(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Marks a plain object whose members are not listed in canonical order: it is copied through its shape. */
const UNSORTED = Symbol('unsorted');

/**
 * A plain object whose members for…in lists in sorted order (the order JSON.stringify writes them, integer
 * keys included): itself if every member is canonical as it is, else a copy from the first member that is
 * not. for…in reads the object's own key cache, so checking allocates nothing. The order is checked before
 * any member is read, and members are read in sorted order; an object taken as it is has each member read
 * once, and a copy reads the members before the first change again (and encodes them again: a getter may
 * give another value the second time).
 */
function inOrder(value: Record<string, unknown>): unknown {
  let prev: string | undefined;
  for (const k in value) {
    if (prev !== undefined && !(prev < k)) return UNSORTED;
    prev = k;
  }
  for (const k in value) {
    const v = value[k];
    if (dropped(v)) return copyFrom(value, k, DROP);
    const c = canonical(v);
    if (changed(c, v)) return copyFrom(value, k, c);
  }
  return value;
}

/** The copy of an object in sorted order whose member `at` became `first` (DROP: left out). */
function copyFrom(value: Record<string, unknown>, at: string, first: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (k === at) {
      if (first !== DROP) put(out, k, first);
      continue;
    }
    const v = value[k];
    if (!dropped(v)) put(out, k, canonical(v));
  }
  return out;
}

/** Adds a member to a copy being built in sorted order. */
function put(out: Record<string, unknown>, k: string, v: unknown): void {
  const c = k.charCodeAt(0);
  // The copy lists integer-like keys first whatever the order they are added in: serialize() then writes it.
  if (c >= 48 && c <= 57 && INTEGER_KEY.test(k)) integerKeySeen = true;
  // A "__proto__" member stays an ordinary member instead of setting the copy's prototype.
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** Members in the given (sorted) order, for key lists a builder cannot make. */
function copyMembers(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = value[k];
    if (dropped(v)) continue;
    put(out, k, canonical(v));
  }
  return out;
}

/**
 * Objects of one shape (the application and the decision parts come from fixed schemas) list the same keys
 * in the same order, so their sorted order is found once, and a function per shape builds the copy as one
 * object literal: V8 then allocates it with its final layout instead of adding members one by one, and
 * reads the source's members at fixed offsets. That copy takes less than half the time of sorting and
 * inserting per object.
 */
interface Shape {
  /** As Object.keys listed them. */
  keys: readonly string[];
  sorted: readonly string[];
  /** Absent for what a literal would get wrong (integer-like keys, "__proto__") or what is too large to compile. */
  build: ((value: Record<string, unknown>) => Record<string, unknown>) | undefined;
  /** Literals without the members JSON drops, by the positions of those (optional facts are undefined). */
  partials: Map<string, (copies: unknown[]) => Record<string, unknown>>;
}

// Bounds on what shapes from untrusted input can make the cache hold or compile; beyond them, plain loops.
const MAX_SHAPES = 2000;
const MAX_BUILT_KEYS = 200;
const MAX_PARTIALS = 4000;
/** Shapes kept per first key: member orders a client chooses cannot crowd out the service's own shapes or lengthen every lookup. */
const MAX_PER_FIRST_KEY = 16;
let shapeCount = 0;
let partialCount = 0;
/** Shapes by their first key, then compared key by key (Object.keys gives internalised strings). */
const shapes = new Map<string, Shape[]>();

function shapeOf(keys: string[]): Shape {
  const n = keys.length;
  const candidates = shapes.get(keys[0]!);
  if (candidates) {
    next: for (let j = 0; j < candidates.length; j++) {
      const known = candidates[j]!.keys;
      if (known.length !== n) continue;
      for (let i = 1; i < n; i++) if (known[i] !== keys[i]) continue next;
      return candidates[j]!;
    }
  }
  const sorted = keys.slice().sort();
  const shape: Shape = { keys, sorted, build: undefined, partials: new Map() };
  if (shapeCount >= MAX_SHAPES || (candidates !== undefined && candidates.length >= MAX_PER_FIRST_KEY)) return shape;
  if (n <= MAX_BUILT_KEYS && !sorted.some((k) => k === '__proto__' || INTEGER_KEY.test(k))) shape.build = compile(shape);
  shapeCount++;
  if (candidates) candidates.push(shape);
  else shapes.set(keys[0]!, [shape]);
  return shape;
}

/**
 * Members are read and copied in sorted order, as copyMembers does. Keys enter the source only as JSON
 * string literals, which are JavaScript string literals too.
 */
function compile(shape: Shape): (value: Record<string, unknown>) => Record<string, unknown> {
  const names = shape.sorted.map((k) => JSON.stringify(k));
  const copies = names.map((_, i) => `c${i}`);
  const source = `return function (v) {
${names.map((k, i) => `  const c${i} = member(v[${k}]);`).join('\n')}
  if (${copies.map((c) => `${c} === DROP`).join(' || ')}) return partial(shape, [${copies.join(', ')}]);
  return { ${names.map((k, i) => `${k}: c${i}`).join(', ')} };
};`;
  return new Function('member', 'DROP', 'partial', 'shape', source)(member, DROP, partial, shape) as Shape['build'] & {};
}

/** Marks a member JSON drops. */
const DROP = Symbol('dropped');

function member(v: unknown): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return dropped(v) ? DROP : canonical(v);
}

function partial(shape: Shape, copies: unknown[]): Record<string, unknown> {
  let which = '';
  for (let i = 0; i < copies.length; i++) if (copies[i] === DROP) which += `${i},`;
  let make = shape.partials.get(which);
  if (!make && partialCount < MAX_PARTIALS) {
    partialCount++;
    const kept = copies.flatMap((c, i) => (c === DROP ? [] : [`${JSON.stringify(shape.sorted[i])}: c[${i}]`]));
    make = new Function('c', `return { ${kept.join(', ')} };`) as (copies: unknown[]) => Record<string, unknown>;
    shape.partials.set(which, make);
  }
  if (make) return make(copies);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < copies.length; i++) if (copies[i] !== DROP) out[shape.sorted[i]!] = copies[i];
  return out;
}

/** undefined for what JSON has no form of (undefined, functions, symbols): dropped from objects, null in arrays. */
function serialize(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new Error('a BigInt is not a JSON value');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return serialize(toJSON.call(value));
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${serialize(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const member = serialize((value as Record<string, unknown>)[keys[i]!]);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(keys[i])}:${member}`;
    first = false;
  }
  return `${out}}`;
}
