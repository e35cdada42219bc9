import { TideoverError } from '../core/errors.js';
import { checkScheduleRequest, checkScheduleResult, computeSchedule, type ScheduleBuilder } from '../core/money/schedule-api.js';
import type { ScheduleRequest } from '../generated/schedule-request.js';
import type { ScheduleResponse } from '../generated/schedule-response.js';
import { checkInput } from './input.js';

/** A repayment schedule on its own (POST /v1/schedules): the body checked against its schema, then its ranges. */
export function scheduleFor(body: unknown, schedules?: ScheduleBuilder): ScheduleResponse {
  const req = checkInput<ScheduleRequest>('scheduleRequest', body, 'The schedule request does not match the schema.');
  const problems = checkScheduleRequest(req);
  if (problems.length) throw new TideoverError('INVALID_BODY', 'The schedule request is out of range.', problems);
  // The drift check first: a refused level payment is not worth computing row by row.
  const before = checkScheduleResult(req, undefined);
  const answer = before.length ? undefined : computeSchedule(req, schedules);
  const after = before.length ? before : checkScheduleResult(req, answer);
  if (after.length || !answer) throw new TideoverError('INVALID_BODY', 'The schedule cannot be represented as asked.', after);
  return answer;
}
