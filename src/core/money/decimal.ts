import { Decimal } from 'decimal.js';
import { MoneyInputError } from './errors.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** "1234.5" → 123450n. Rejects more than two decimals rather than rounding silently. */
export function parseMoney(s: string): bigint {
  const m = MONEY.exec(s);
  if (!m) throw new MoneyInputError('INVALID_MONEY', `not a money amount with at most 2 decimals: "${s}"`);
  // One conversion of the digits with the fraction padded to two places: "1234.5" → 123450n.
  const cents = BigInt(`${m[2] ?? '0'}${(m[3] ?? '').padEnd(2, '0')}`);
  return m[1] === '-' ? -cents : cents;
}

export function formatCents(c: bigint): string {
  // One bigint-to-string conversion, then the point goes in before the last two digits.
  const negative = c < 0n;
  const digits = (negative ? -c : c).toString();
  const n = digits.length;
  const body = n > 2 ? `${digits.slice(0, n - 2)}.${digits.slice(n - 2)}` : n === 2 ? `0.${digits}` : `0.0${digits}`;
  return negative ? `-${body}` : body;
}

export function round2(d: Decimal): Decimal {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function centsFromDecimal(d: Decimal): bigint {
  return BigInt(d.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

export function decimalFromCents(c: bigint): Decimal {
  return new Dec(formatCents(c));
}
