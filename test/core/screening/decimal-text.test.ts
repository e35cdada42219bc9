import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../src/core/money/decimal.js';
import { differenceText, fixed2Text, percentText, quotientText, roundedText } from '../../../src/core/screening/decimal-text.js';

// Screening's decimal text without decimal.js must print exactly what decimal.js printed: results stay byte-identical.
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '4', '5', '6', '9'), minLength: min, maxLength: max });
/** Plain decimal strings: leading and trailing zeros, halves (…5) and nines (carries) are frequent. */
const plain = (maxInt: number, maxFrac: number, signed = true) =>
  fc.tuple(signed ? fc.boolean() : fc.constant(false), digits(1, maxInt), fc.option(digits(1, maxFrac), { nil: undefined })).map(([neg, i, f]) => `${neg ? '-' : ''}${i}${f !== undefined ? `.${f}` : ''}`);
const rate = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.option(digits(1, 8), { nil: undefined })).map(([i, f]) => `${i}${f !== undefined ? `.${f}` : ''}`);
const money = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.option(digits(1, 2), { nil: undefined })).map(([i, f]) => `${i}${f !== undefined ? `.${f}` : ''}`);
const runs = { numRuns: 3000 };

describe('screening decimal text', () => {
  it('rounds to 0–4 places as toDecimalPlaces(places).toString() does', () => {
    fc.assert(fc.property(plain(25, 12), fc.integer({ min: 0, max: 4 }), (s, p) => {
      expect(roundedText(s, p)).toBe(new Dec(s).toDecimalPlaces(p).toString());
    }), runs);
    expect(roundedText('0.99995', 4)).toBe('1');
    expect(roundedText('-0.00004', 4)).toBe('0');
  });

  it('prints a ratio as a percentage to 2 places as times(100).toDecimalPlaces(2).toString() does', () => {
    fc.assert(fc.property(plain(22, 12), (s) => {
      expect(percentText(s)).toBe(new Dec(s).times(100).toDecimalPlaces(2).toString());
    }), runs);
    expect(percentText('0.333333')).toBe('33.33');
    expect(percentText('0.999995')).toBe('100');
  });

  it('prints money to 2 decimals as toFixed(2) does', () => {
    fc.assert(fc.property(fc.oneof(money, plain(22, 5, false)), (s) => {
      expect(fixed2Text(s)).toBe(new Dec(s).toFixed(2));
    }), runs);
    expect(fixed2Text('1234.5')).toBe('1234.50');
    expect(fixed2Text('0.995')).toBe('1.00');
  });

  it('subtracts as minus(b).toFixed() does, rates and longer decimals alike', () => {
    fc.assert(fc.property(fc.oneof(rate, plain(20, 10)), fc.oneof(rate, plain(20, 10)), (a, b) => {
      expect(differenceText(a, b)).toBe(new Dec(a).minus(b).toFixed());
    }), runs);
    expect(differenceText('0.95', '0.75')).toBe('0.2');
    expect(differenceText('0.5', '0.50')).toBe('0');
  });

  it('divides as div(b).toFixed() does: 40 significant digits, half up', () => {
    const positive = money.filter((m) => new Dec(m).gt(0));
    fc.assert(fc.property(fc.oneof(money, plain(20, 8, false)), fc.oneof(positive, plain(20, 8, false).filter((m) => new Dec(m).gt(0))), (a, b) => {
      expect(quotientText(a, b)).toBe(new Dec(a).div(b).toFixed());
    }), runs);
    // Payments and incomes of a real book (below 10^15 and 10^8 as integers of cents): the long division in doubles.
    const small = (maxInt: bigint) => fc.tuple(fc.bigInt({ min: 0n, max: maxInt }), fc.option(digits(1, 2), { nil: undefined })).map(([i, f]) => `${i}${f !== undefined ? `.${f}` : ''}`);
    fc.assert(fc.property(fc.oneof(small(99_999_999n), small(9_999_999_999_999n), plain(6, 8, false)), fc.oneof(small(999_999n), plain(4, 4, false), small(99_999_999n)).filter((m) => new Dec(m).gt(0)), (a, b) => {
      expect(quotientText(a, b)).toBe(new Dec(a).div(b).toFixed());
    }), runs);
    expect(quotientText('2640.00', '12000.00')).toBe('0.22');
    expect(quotientText('99999999', '3')).toBe('33333333');
    expect(quotientText('1', '7')).toBe(new Dec(1).div(7).toFixed());
    expect(quotientText('0.00000001', '99999999')).toBe(new Dec('0.00000001').div('99999999').toFixed());
    expect(quotientText('1', '3')).toBe(`0.${'3'.repeat(40)}`);
    expect(quotientText('2', '3')).toBe(`0.${'6'.repeat(39)}7`);
    // 1/2^58 = 5^58·10^-58: 41 significant digits ending in 5, an exact half at the 40th, rounded up.
    expect(quotientText('1', String(2n ** 58n))).toBe(new Dec(1).div(String(2n ** 58n)).toFixed());
    expect(quotientText('1', String(2n ** 58n)).endsWith('76563')).toBe(true);
  });

  it('leaves what is not a plain decimal to decimal.js', () => {
    expect(roundedText('1e-3', 4)).toBe('0.001');
    expect(percentText('5e-1')).toBe('50');
    // Near misses of a plain decimal are read by decimal.js (or refused by it) as before.
    const dec = (f: () => string) => { try { return f(); } catch (e) { return `throws ${(e as Error).message}`; } };
    for (const s of ['1.', '.5', '-', '-.5', '+1', '1.2.3', '1,5', ' 1', '1 ', '0x10', '-0', '-0.000', '00.100', '1e2', 'Infinity'])
      expect(dec(() => roundedText(s, 2))).toBe(dec(() => new Dec(s).toDecimalPlaces(2).toString()));
  });
});
