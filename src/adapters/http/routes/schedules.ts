import { Router } from 'express';
import type { ScheduleBuilder } from '../../../app/evaluators.js';
import { scheduleFor } from '../../../app/schedules.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

export function scheduleRoutes(deps: { bodyLimit: number; schedules?: ScheduleBuilder }): Router {
  const r = Router();
  r.post('/v1/schedules', requireRole('decide'), ...jsonBody(deps.bodyLimit), (req, res) => {
    res.json(scheduleFor(req.body, deps.schedules));
  });
  return r;
}
