import { Router } from 'express';
import type { ScheduleRequest } from '../../../generated/schedule-request.js';
import { TideoverError } from '../../../core/errors.js';
import { checkScheduleRequest, computeSchedule, type ScheduleBuilder } from '../../../core/money/schedule-api.js';
import { ajvProblems } from '../../../core/validation/messages.js';
import { validators } from '../../../core/validation/schemas.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

export function scheduleRoutes(deps: { bodyLimit: number; schedules?: ScheduleBuilder }): Router {
  const r = Router();
  r.post('/v1/schedules', requireRole('decide'), ...jsonBody(deps.bodyLimit), (req, res) => {
    if (!validators.scheduleRequest(req.body)) throw new TideoverError('INVALID_BODY', 'The schedule request does not match the schema.', ajvProblems(validators.scheduleRequest.errors));
    const problems = checkScheduleRequest(req.body as ScheduleRequest);
    if (problems.length) throw new TideoverError('INVALID_BODY', 'The schedule request is out of range.', problems);
    res.json(computeSchedule(req.body as ScheduleRequest, deps.schedules));
  });
  return r;
}
