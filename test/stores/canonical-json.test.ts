import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalForm, canonicalJson, hashRecord, prepareRecord, sealRecord, GENESIS, toStoredRow } from '../../src/adapters/store/chain/records.js';
import { canonicalForm as formOf } from '../../src/core/canonical-json.js';
import type { AuditRecord } from '../../src/ports/audit-store.js';

it('canonical JSON equals the RFC 8785 reference implementation for any JSON value', () => {
  const json = fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  const tricky = fc.oneof(json, fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'binary' }))));
  fc.assert(
    fc.property(tricky, (v) => {
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }),
    { numRuns: 3000 },
  );
});

it('a sealed record hashes and stores the same canonical JSON whether built from cached fragments or from scratch', () => {
  const prepared = prepareRecord({
    decisionId: 'd-1', decidedAt: '2026-03-01T10:00:00+08:00', applicationId: 'a-1', borrowerIdHash: 'h', callerKeyId: 'k',
    policy: { id: 'p', version: '1.0.0', sha256: 'f'.repeat(64) }, versions: { tideover: '0', jsonRulesEngine: '7' },
    application: { z: 1, a: ['é', { y: null, b: true }] }, decision: { options: [], '\u00e9': 'x', A: 2 }, outcomes: [{ option: 'INSTALLMENT', decision: 'APPROVE' }],
  });
  const sealed = sealRecord(prepared, GENESIS);
  expect(sealed.hash).toBe(hashRecord(sealed));
  expect(toStoredRow(sealed).body).toBe(canonicalize(sealed));
  expect(JSON.parse(toStoredRow(sealed).body) as AuditRecord).toEqual(sealed);
});

it('a member named "__proto__" or an integer-like key is serialised as an ordinary member, in RFC 8785 order', () => {
  const value = JSON.parse('{"b":1,"__proto__":{"x":1},"10":true,"2":null,"a":[{"1":"one","":0}]}') as unknown;
  expect(canonicalJson(value)).toBe(canonicalize(value));
  expect(canonicalJson(value)).toBe('{"10":true,"2":null,"__proto__":{"x":1},"a":[{"":0,"1":"one"}],"b":1}');
});

it('the normalised copy is exactly what the canonical text parses back to, whatever JSON drops or converts', () => {
  const extras = fc.oneof(fc.constant(undefined), fc.constant(() => 1), fc.constant(Symbol('s')), fc.date({ noInvalidDate: true }), fc.constant(-0));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), extras, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 })),
  })).node;
  fc.assert(
    fc.property(fc.dictionary(fc.string(), value, { maxKeys: 6 }), (v) => {
      const form = canonicalForm(v);
      // What JSON carries of v (JSON.stringify's rules for undefined, functions, symbols, Dates, -0), canonicalised.
      expect(form.text).toBe(canonicalize(JSON.parse(JSON.stringify(v))));
      expect(form.value).toStrictEqual(JSON.parse(form.text));
    }),
    { numRuns: 2000 },
  );
});

it('a value already in canonical order is its own canonical form: nothing in it is copied', () => {
  fc.assert(
    // Objects with integer-like keys are left out: JS lists those first, so no object holds them in canonical order.
    fc.property(fc.jsonValue({ maxDepth: 5 }).filter((v) => JSON.stringify(JSON.parse(canonicalize(v)!)) === canonicalize(v)), (v) => {
      const sorted = JSON.parse(canonicalize(v)!) as unknown;
      const form = canonicalForm(sorted);
      expect(form.value).toBe(sorted);
      expect(form.text).toBe(canonicalize(v));
    }),
    { numRuns: 2000 },
  );
});

it('copies only the objects that are not canonical, and those holding them, sharing every part that is', () => {
  const row = { closingBalance: '1.00', period: 1 };
  const sortedPart = { a: [row], b: { c: true } };
  const value = { keep: sortedPart, fix: { z: 1, a: -0 }, list: [row, { y: undefined, x: 2 }] };
  const form = canonicalForm(value);
  const copy = form.value as typeof value;
  expect(form.text).toBe('{"fix":{"a":0,"z":1},"keep":{"a":[{"closingBalance":"1.00","period":1}],"b":{"c":true}},"list":[{"closingBalance":"1.00","period":1},{"x":2}]}');
  expect(copy).not.toBe(value);
  expect(copy.keep).toBe(sortedPart);
  expect(copy.list).not.toBe(value.list);
  expect(copy.list[0]).toBe(row);
  expect(Object.keys(copy.fix)).toEqual(['a', 'z']);
});

it('remembers a value given as final, and only then, so a value changed later is encoded afresh', () => {
  const value = { a: 1, b: [2] };
  expect(canonicalForm(value)).not.toBe(canonicalForm(value));
  value.b.push(3);
  expect(canonicalForm(value).text).toBe('{"a":1,"b":[2,3]}');
  const kept = formOf(value, true);
  expect(formOf(value)).toBe(kept);
});

it('a copy writes every member canonical even when a getter gives another value the second time it is read', () => {
  let reads = 0;
  const value = {
    get a() {
      reads++;
      return reads === 1 ? { x: 1 } : { y: 2, x: 1 };
    },
    b: -0,
  };
  const form = formOf(value);
  expect(form.text).toBe(canonicalize(JSON.parse(form.text)));
  expect(form.value).toStrictEqual(JSON.parse(form.text));
});

it('leaves out what a library added to Object.prototype, as JSON does, when it copies', () => {
  const proto = Object.prototype as Record<string, unknown>;
  proto.polluted = 5;
  try {
    expect(formOf({ a: -0, b: { c: 1 } }).text).toBe('{"a":0,"b":{"c":1}}');
    expect(formOf({ b: 1, a: [{ d: undefined, c: 2 }] }).text).toBe('{"a":[{"c":2}],"b":1}');
  } finally {
    delete proto.polluted;
  }
});
