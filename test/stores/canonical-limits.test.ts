import canonicalize from 'canonicalize';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalForm } from '../../src/core/canonical-json.js';

// A file of its own, so the caches start empty: the patterns fill the compiled-literal budget before the
// many shapes fill the shape cache, and the fallbacks past both bounds run.
describe('canonical JSON beyond the cache bounds', () => {
  it('stays exact past the literal budget, for very wide objects, past the shape cache, and for client-chosen member orders', () => {
    const patterns = Array.from({ length: 4200 }, (_, i) => Object.fromEntries(Array.from({ length: 13 }, (_, b) => [`p${b}`, (i >> b) & 1 ? undefined : b])));
    const wide = Object.fromEntries(Array.from({ length: 260 }, (_, i) => [`w${i}`, i]));
    const many = Array.from({ length: 2600 }, (_, i) => ({ [`k${i}`]: i, z: -0, [`j${i % 7}`]: i % 3 ? undefined : 'x' }));
    // One first key, members in 40 orders: only the first 16 orders are kept, the rest take the loop.
    const orders = Array.from({ length: 40 }, (_, i) => Object.fromEntries(['applicationId', ...Array.from({ length: 6 }, (_, b) => `m${(b + i) % 6}${i % 3}`)].map((k, b) => [k, b])));
    for (const v of [patterns, patterns, wide, many, orders, orders]) {
      const form = canonicalForm(v);
      expect(form.text).toBe(canonicalize(JSON.parse(JSON.stringify(v))));
      expect(isDeepStrictEqual(form.value, JSON.parse(form.text))).toBe(true);
    }
  });
});
