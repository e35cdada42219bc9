export type MoneyErrorCode = 'INVALID_MONEY' | 'INVALID_RATE' | 'INVALID_DATE' | 'INVALID_ARGUMENT';

/** Thrown by the money core on malformed input; callers map `code` to their own error list. */
export class MoneyInputError extends Error {
  override readonly name = 'MoneyInputError';
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function requireInt(value: number, min: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new MoneyInputError('INVALID_ARGUMENT', `${what} must be an integer >= ${min}, got ${value}`);
  }
}
