import { Decimal } from 'decimal.js';
import { MoneyInputError } from './errors.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** Most integer digits read on the fast path: the cents then stay below 10^15 < 2^53, exact in a JS number. */
const FAST_INT_DIGITS = 13;

/**
 * "1234.5" → 123450n. Rejects more than two decimals rather than rounding silently.
 * Amounts of up to 13 integer digits (every realistic one) are read digit by digit into integer cents,
 * exact below 2^53, and converted once: BigInt of a string costs several times more. Anything else,
 * including every malformed input, takes the regex path, which gives the error.
 */
export function parseMoney(s: string): bigint {
  const n = s.length;
  const negative = n > 0 && s.charCodeAt(0) === 45; // '-'
  let i = negative ? 1 : 0;
  const intStart = i;
  let units = 0;
  while (i < n && i - intStart <= FAST_INT_DIGITS) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    units = units * 10 + d;
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits > 0 && intDigits <= FAST_INT_DIGITS) {
    if (i === n) return signed(BigInt(units * 100), negative);
    if (s.charCodeAt(i) === 46 && (n - i === 2 || n - i === 3)) {
      // '.' and one or two fraction digits
      const d1 = s.charCodeAt(i + 1) - 48;
      const d2 = n - i === 3 ? s.charCodeAt(i + 2) - 48 : 0;
      if (d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) return signed(BigInt(units * 100 + d1 * 10 + d2), negative);
    }
  }
  return parseMoneyRegex(s);
}

function signed(cents: bigint, negative: boolean): bigint {
  return negative ? -cents : cents;
}

function parseMoneyRegex(s: string): bigint {
  const m = MONEY.exec(s);
  if (!m) throw new MoneyInputError('INVALID_MONEY', `not a money amount with at most 2 decimals: "${s}"`);
  // One conversion of the digits with the fraction padded to two places: "1234.5" → 123450n.
  const cents = BigInt(`${m[2] ?? '0'}${(m[3] ?? '').padEnd(2, '0')}`);
  return m[1] === '-' ? -cents : cents;
}

/** "00" to "99": the cents of an amount, and months and days of dates, without allocating. */
export const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/**
 * 123450n → "1234.50". Amounts of magnitude at most 2^53 − 1 (every realistic one) are formatted from a
 * double: Number(c) is exact there (and a larger |c| converts to at least 2^53, so the test below cannot
 * admit one), `%` of doubles is exact, (x − r)/100 is an integer below 2^53 and so exact, and the cents come
 * from a table: about half the allocation of slicing the bigint's digits. Others take the bigint path.
 */
export function formatCents(c: bigint): string {
  const x = Number(c);
  if (x >= 0 && x <= Number.MAX_SAFE_INTEGER) {
    const r = x % 100;
    return `${(x - r) / 100}.${TWO_DIGITS[r] as string}`;
  }
  if (x < 0 && x >= -Number.MAX_SAFE_INTEGER) {
    const y = -x;
    const r = y % 100;
    return `-${(y - r) / 100}.${TWO_DIGITS[r] as string}`;
  }
  return formatCentsBig(c);
}

/** formatCents of any bigint: one bigint-to-string conversion, then the point goes in before the last two digits. */
export function formatCentsBig(c: bigint): string {
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
