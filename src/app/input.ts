import { TideoverError } from '../core/errors.js';
import { ajvProblems } from '../core/validation/messages.js';
import { validators } from '../core/validation/schemas.js';

export type InputSchema = keyof typeof validators;

/** Checks a request body against its schema; INVALID_BODY names every field that does not match, by JSON pointer. */
export function checkInput<T>(schema: InputSchema, body: unknown, message: string): T {
  const validate = validators[schema];
  if (!validate(body)) throw new TideoverError('INVALID_BODY', message, ajvProblems(validate.errors));
  return body as T;
}

/** The date checks adapters apply to dates given as text (query parameters, command options). */
export { isDateOrInstant, isValidIsoDate as isIsoDate } from '../core/money/dates.js';
