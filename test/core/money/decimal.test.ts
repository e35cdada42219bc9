import { describe, expect, it } from 'vitest';
import { centsFromDecimal, Dec, decimalFromCents, formatCents, parseMoney, round2 } from '../../../src/core/money/decimal.js';
import { MoneyInputError } from '../../../src/core/money/errors.js';
import { periodInterest, roundDiv } from '../../../src/core/money/rational.js';

describe('parseMoney / formatCents', () => {
  it('parses decimal strings with up to two decimals into exact cents', () => {
    expect(parseMoney('50000.00')).toBe(5_000_000n);
    expect(parseMoney('1234.5')).toBe(123_450n);
    expect(parseMoney('7')).toBe(700n);
    expect(parseMoney('-0.05')).toBe(-5n);
    expect(parseMoney('999999999999999.99')).toBe(99_999_999_999_999_999n);
  });

  it('rejects a third decimal, exponents, blanks and non-numbers with a typed error', () => {
    for (const bad of ['1.005', '1e3', '', ' 1', '1,000.00', '.5', '1.', 'NaN', '0x10']) {
      expect(() => parseMoney(bad), bad).toThrowError(MoneyInputError);
    }
    try {
      parseMoney('1.005');
    } catch (e) {
      expect((e as MoneyInputError).code).toBe('INVALID_MONEY');
    }
  });

  it('always prints two decimals, including for negatives under one unit', () => {
    expect([123456n, 5n, -5n, 0n, -100n, 10n].map(formatCents)).toEqual(['1234.56', '0.05', '-0.05', '0.00', '-1.00', '0.10']);
  });

  it('round-trips every cent value through format and parse', () => {
    for (const c of [0n, 1n, -1n, 99n, 100n, 101n, 123456789012345n, -98765n]) expect(parseMoney(formatCents(c))).toBe(c);
  });
});

describe('half-up rounding (四舍五入), pinned against banker’s rounding', () => {
  it('rounds a half cent away from zero with decimal.js', () => {
    expect(round2(new Dec('0.005')).toFixed(2)).toBe('0.01');
    expect(round2(new Dec('0.015')).toFixed(2)).toBe('0.02'); // banker's rounding would also give 0.02
    expect(round2(new Dec('0.025')).toFixed(2)).toBe('0.03'); // … but 0.02 here
    expect(round2(new Dec('-0.005')).toFixed(2)).toBe('-0.01');
    expect(round2(new Dec('0.0049999999')).toFixed(2)).toBe('0.00');
  });

  it('rounds a half cent up in exact integer division as well', () => {
    expect(roundDiv(5n, 10n)).toBe(1n);
    expect(roundDiv(25n, 10n)).toBe(3n);
    expect(roundDiv(-25n, 10n)).toBe(-3n);
    expect(roundDiv(24n, 10n)).toBe(2n);
    expect(roundDiv(7n, -2n)).toBe(-4n);
  });

  it('charges 0.95 interest on 162.00 at 7% a year, an exact half cent that 40-digit annual/12 rounds down', () => {
    // 162.00 × 0.07 / 12 = 0.945 exactly; 162.00 × 0.0058333…(40 digits) = 0.94499… → 0.94 (as any transcription that divides the rate first would).
    expect(periodInterest('0.07')(16_200n)).toBe(95n);
    expect(round2(new Dec('162.00').times(new Dec('0.07').div(12))).toFixed(2)).toBe('0.94');
    expect(periodInterest('0.1')(60n)).toBe(1n); // 0.60 at 10%: 0.005 → 0.01
  });

  it('converts between Decimal and cents half-up', () => {
    expect(centsFromDecimal(new Dec('4414.41977454'))).toBe(441_442n);
    expect(centsFromDecimal(new Dec('0.005'))).toBe(1n);
    expect(decimalFromCents(-5n).toFixed(2)).toBe('-0.05');
  });
});
