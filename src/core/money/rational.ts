import { MoneyInputError } from './errors.js';

/** A non-negative decimal string as an exact fraction num/den (den a power of ten). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseRatio(s: string): Ratio {
  const m = DECIMAL.exec(s);
  if (!m) throw new MoneyInputError('INVALID_RATE', `not a non-negative decimal string: "${s}"`);
  const frac = m[2] ?? '';
  return { num: BigInt((m[1] ?? '0') + frac), den: 10n ** BigInt(frac.length) };
}

/** n/d rounded to an integer, ties away from zero (ROUND_HALF_UP as decimal.js and Python define it). */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new MoneyInputError('INVALID_ARGUMENT', 'division by zero');
  if (d < 0n) return roundDiv(-n, -d);
  return n >= 0n ? (2n * n + d) / (2n * d) : -((-2n * n + d) / (2n * d));
}

/** Interest of one 30/360 period, round2(balance·annual/12), as an exact fraction rounded half-up. */
export function periodInterest(annualRate: string): (balanceCents: bigint) => bigint {
  const { num, den } = parseRatio(annualRate);
  const d = 12n * den;
  return (balance) => roundDiv(balance * num, d);
}
