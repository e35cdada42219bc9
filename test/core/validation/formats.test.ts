import fc from 'fast-check';
import type { FormatDefinition } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { isDate, isDateTime } from '../../../src/core/validation/formats.js';

// The oracle: the validators ajv-formats registers for addFormats(ajv, ['date', 'date-time']) (its full mode).
const oracleDate = (fullFormats.date as FormatDefinition<string>).validate as (s: string) => boolean;
const oracleDateTime = (fullFormats['date-time'] as FormatDefinition<string>).validate as (s: string) => boolean;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Everything /\s/ matches, plus 't' and 'T': the characters ajv-formats splits a date-time on. */
const SEPARATORS = ['t', 'T', ' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
/** Near misses: other spaces and letters, ASCII look-alikes, non-ASCII digits, nothing, two characters. */
const NEAR = ['', 'x', '_', '/', '\u180e', '\u200b', '\u2212', '\uff11', '\u0663', 'tt', ' T', '0', '00', '.', ':', '-', '+', 'z'];

/** A field of `width` digits, biased to the edges of months, days, hours, minutes and seconds; `noisy`: sometimes not one. */
const field = (width: number, max: number, noisy: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max }).map((n) => pad(n, width)) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 9, 11, 12, 13, 23, 24, 28, 29, 30, 31, 32, 58, 59, 60, 61, 99).map((n) => pad(n, width)) },
    { weight: noisy ? 1 : 0, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) },
    { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom(...NEAR) },
  );
const year = (noisy: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('2024', '2023', '2000', '1900', '2100', '2400', '0000', '0004', '9999', '1600') },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)) },
    { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom('', '202', '20245', '+2024', '２０２４') },
  );
/** The expected punctuation, or when `noisy` sometimes a near miss. */
const mark = (c: string, noisy: boolean) => (noisy ? fc.oneof({ weight: 6, arbitrary: fc.constant(c) }, { weight: 1, arbitrary: fc.constantFrom(...NEAR) }) : fc.constant(c));

const dateOf = (noisy: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(year(noisy), mark('-', noisy), field(2, 12, noisy), mark('-', noisy), field(2, 31, noisy)).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.constantFrom('2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-12-31', '2024-13-01', '2024-00-10', '2024-01-00') },
  );
/** Up to 60 digits, biased to the 9s where ajv-formats' `+seconds` rounds up to the next second. */
const fraction = (noisy: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.stringMatching(/^\.\d{1,12}$/) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 10, max: 50 }), fc.stringMatching(/^\d{0,10}$/)).map(([n, tail]) => '.' + '9'.repeat(n) + tail) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 48 }), fc.stringMatching(/^\d{0,12}$/)).map(([n, tail]) => '.' + '999999999999996447286321199499070644378662109375'.slice(0, n) + tail) },
    { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom('.', '..5', '.5.5', ',5') },
  );
const zone = (noisy: boolean) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('Z', 'z') },
    { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom('', 'ZZ', 'UTC', '\u2212', '±') },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom('+', '-'), field(2, 23, noisy), fc.constantFrom(':', ''), fc.oneof({ weight: 4, arbitrary: field(2, 59, noisy) }, { weight: 1, arbitrary: fc.constant('') })).map((p) => p.join('')) },
  );
const timeOf = (noisy: boolean) =>
  fc.tuple(field(2, 23, noisy), mark(':', noisy), field(2, 59, noisy), mark(':', noisy), field(2, 60, noisy), fraction(noisy), zone(noisy)).map((p) => p.join(''));
/** Local times whose UTC time is 23:59 (or one minute off), wrapped at midnight ("00:59:60+01:00") or not ("24:00:60+00:01"). */
const leapSecond = fc
  .tuple(fc.constantFrom(1, -1), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom(':', ''), fc.integer({ min: -1, max: 1 }), fc.constantFrom('60', '60.5', '59', '59.9999999999999999', '60.9999999999999999', '61', '00'), fc.boolean())
  .map(([s, h, m, colon, nudge, sec, wrap]) => {
    let local = 23 * 60 + 59 + s * (h * 60 + m) + nudge;
    if (local < 0 || (wrap && local >= 1440)) local = (local + 1440) % 1440;
    return `${pad(Math.floor(local / 60), 2)}:${pad(local % 60, 2)}:${sec}${s > 0 ? '+' : '-'}${pad(h, 2)}${colon}${pad(m, 2)}`;
  });
const separator = (noisy: boolean) => (noisy ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SEPARATORS) }, { weight: 1, arbitrary: fc.constantFrom(...NEAR) }) : fc.constantFrom(...SEPARATORS));
const dateTimeOf = (noisy: boolean) =>
  fc.tuple(dateOf(noisy), separator(noisy), fc.oneof({ weight: 3, arbitrary: timeOf(noisy) }, { weight: 1, arbitrary: leapSecond })).map((p) => p.join(''));

/** One character deleted, inserted or replaced, or something put before or after. */
const mutated = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.nat(), fc.constantFrom('delete', 'insert', 'replace', 'prefix', 'suffix'), fc.oneof(fc.constantFrom(...SEPARATORS, ...NEAR, '\n'), fc.string({ minLength: 1, maxLength: 1 }))).map(([s, at, how, c]) => {
    const i = s.length === 0 ? 0 : at % s.length;
    if (how === 'delete') return s.slice(0, i) + s.slice(i + 1);
    if (how === 'insert') return s.slice(0, i) + c + s.slice(i);
    if (how === 'replace') return s.slice(0, i) + c + s.slice(i + 1);
    return how === 'prefix' ? c + s : s + c;
  });

const candidate = fc.oneof(
  { weight: 4, arbitrary: dateTimeOf(false) },
  { weight: 3, arbitrary: dateTimeOf(true) },
  { weight: 3, arbitrary: dateOf(false) },
  { weight: 2, arbitrary: dateOf(true) },
  { weight: 2, arbitrary: mutated(dateTimeOf(false)) },
  { weight: 1, arbitrary: mutated(dateOf(false)) },
  { weight: 1, arbitrary: timeOf(true) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789-:.+tTzZ', ...SEPARATORS), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

const RUNS = 25_000;

/** Asserts agreement on every run and returns how many the oracle accepted, so a generator that stopped producing valid strings shows. */
function agreement(ours: (s: string) => boolean, oracle: (s: string) => boolean): number {
  let accepted = 0;
  fc.assert(
    fc.property(candidate, (s) => {
      const expected = oracle(s);
      if (expected) accepted++;
      expect(ours(s), JSON.stringify(s)).toBe(expected);
    }),
    { numRuns: RUNS },
  );
  return accepted;
}

describe('date and date-time formats, against ajv-formats', () => {
  it('isDate accepts exactly the strings ajv-formats full "date" accepts', () => {
    expect(agreement(isDate, oracleDate)).toBeGreaterThan(RUNS / 25);
  });

  it('isDateTime accepts exactly the strings ajv-formats full "date-time" accepts', () => {
    expect(agreement(isDateTime, oracleDateTime)).toBeGreaterThan(RUNS / 25);
  });

  it('agrees with ajv-formats on every UTF-16 code unit at every position of a valid date and date-time', () => {
    for (const valid of ['2024-02-29', '2024-02-29T23:59:60.5+00:00', '2024-02-29 12:30:00-05:30']) {
      for (let i = 0; i <= valid.length; i++) {
        for (let c = 0; c < 0x10000; c++) {
          const ch = String.fromCharCode(c);
          for (const s of [valid.slice(0, i) + ch + valid.slice(i + 1), valid.slice(0, i) + ch + valid.slice(i)]) {
            if (isDate(s) !== oracleDate(s) || isDateTime(s) !== oracleDateTime(s)) expect.fail(`disagree on ${JSON.stringify(s)}`);
          }
        }
      }
    }
  });

  it('accepts a leap day only in leap years', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2000-02-29')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
    expect(isDate('1900-02-29')).toBe(false);
    expect(isDate('2024-02-30')).toBe(false);
  });

  it('decides a leap second at 23:59 UTC as ajv-formats does, local offsets included', () => {
    for (const s of ['2024-01-01T23:59:60Z', '2024-01-01T18:29:60-05:30', '2024-01-01T23:59:60+01:00', '2024-01-01T24:00:60+00:01', '2024-01-01T23:59:61Z']) {
      expect(isDateTime(s), s).toBe(oracleDateTime(s));
    }
    expect(isDateTime('2024-01-01T23:59:60Z')).toBe(true);
  });

  it('rounds fractional seconds as `+"59.999…"` does: from 1 - 2^-48 up, 59.x is 60 and 60.x is 61', () => {
    const threshold = '999999999999996447286321199499070644378662109375';
    for (const f of [threshold, threshold + '0', threshold.slice(0, -1), threshold.slice(0, -1) + '4' + '9'.repeat(30), '9999999999999964', '9999999999999965', '9'.repeat(60)]) {
      for (const s of [`2024-01-01T12:00:59.${f}Z`, `2024-01-01T23:59:59.${f}Z`, `2024-01-01T23:59:60.${f}Z`]) expect(isDateTime(s), s).toBe(oracleDateTime(s));
    }
    expect(isDateTime(`2024-01-01T12:00:59.${threshold}Z`)).toBe(false);
    expect(isDateTime(`2024-01-01T12:00:59.${threshold.slice(0, -1)}Z`)).toBe(true);
  });

  it('splits a date-time on any one whitespace character, an ideographic space (U+3000) included', () => {
    const s = '2024-01-01\u300012:00:00Z';
    expect(isDateTime(s)).toBe(oracleDateTime(s));
    expect(isDateTime(s)).toBe(true);
    expect(isDateTime('2024-01-01\u200b12:00:00Z')).toBe(false);
  });

  it('requires a time zone in a date-time', () => {
    expect(isDateTime('2024-01-01T12:00:00')).toBe(false);
    expect(isDateTime('2024-01-01T12:00:00+0100')).toBe(true);
  });
});
