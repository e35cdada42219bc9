import { Decimal } from 'decimal.js';
import { MoneyInputError } from './errors.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** "1234.5" → 123450n. Rejects more than two decimals rather than rounding silently. */
export function parseMoney(s: string): bigint {
  const m = MONEY.exec(s);
  if (!m) throw new MoneyInputError('INVALID_MONEY', `not a money amount with at most 2 decimals: "${s}"`);
  const cents = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

export function formatCents(c: bigint): string {
  const abs = c < 0n ? -c : c;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${c < 0n ? '-' : ''}${abs / 100n}.${frac}`;
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
