// The cached-shape path of canonical JSON: objects whose key list was seen before are copied by a compiled
// object literal. The cache is per module instance, so this file starts with it empty; the bounds test runs last.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalForm } from '../../src/core/canonical-json.js';

describe('objects of a shape seen before (sorted order cached, copy built by a compiled literal)', () => {
  const awkward = ['"', '\\', "'", '\u2028', '`${x}`', '*/', 'constructor', 'toString', '__proto__', '10', '2', '0', '01', '-1', '', 'a b', '\u00e9', '\ud83d\ude00'];
  const key = fc.oneof(fc.constantFrom(...awkward), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 3 }));
  const leaf = fc.oneof(
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom(undefined, -0, 0, () => 1, Symbol('s'), new Date(0), [undefined, -0, () => 1]),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

  it('calls toJSON and reads each member once, in sorted order, as before', () => {
    const reads: string[] = [];
    const spy = (name: string, v: unknown) => ({ toJSON: () => (reads.push(name), v) });
    const make = () => ({ b: spy('b', 1), a: spy('a', { y: spy('a.y', 2), x: 1 }), c: undefined });
    canonicalForm(make());
    const first = reads.splice(0);
    const { text } = canonicalForm(make());
    expect(reads).toEqual(first);
    expect(reads).toEqual(['a', 'a.y', 'b']);
    expect(text).toBe('{"a":{"x":1,"y":2},"b":1}');
  });

  it('refuses what JSON cannot carry, as before', () => {
    const shape = (v: unknown) => ({ q: 1, p: v });
    canonicalForm(shape(1));
    expect(() => canonicalForm(shape(Number.NaN))).toThrow(/not serialisable as JSON: NaN is not a JSON number/);
    expect(() => canonicalForm(shape(10n))).toThrow(/not serialisable as JSON/);
    expect(() => canonicalForm(undefined)).toThrow(/has no JSON representation/);
  });

  it('writes a lone surrogate in a key escaped, cached or not', () => {
    for (let i = 0; i < 2; i++) expect(canonicalForm({ '\ud800': 1, a: [{ '\udc00': 2, b: 3 }] }).text).toBe('{"a":[{"b":3,"\\udc00":2}],"\\ud800":1}');
  });

  it('gives the reference text and value for many objects sharing key lists, whichever members JSON drops', () => {
    const shaped = fc.uniqueArray(key, { maxLength: 8 }).chain((keys) =>
      fc.array(fc.tuple(...keys.map(() => leaf)).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))), { minLength: 1, maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(shaped, { maxLength: 4 }), (groups) => {
        // The same objects nested at several depths, so the cached shapes serve objects inside objects too.
        const value = { groups, nested: groups.map((g) => ({ inner: g, again: g[0] })) };
        const form = canonicalForm(value);
        expect(form.text).toBe(canonicalize(JSON.parse(JSON.stringify(value))));
        // Not toStrictEqual: it takes a member named "constructor" for the object's type.
        expect(isDeepStrictEqual(form.value, JSON.parse(form.text))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
