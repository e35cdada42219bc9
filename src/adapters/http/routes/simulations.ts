import { Router } from 'express';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import type { PolicySet } from '../../../app/policy-set.js';
import { simulate } from '../../../app/simulate.js';
import { simulationSides } from '../../../app/simulation-request.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

/**
 * POST /v1/simulations (role policy-admin): decides up to 1,000 inline applications under a baseline and a
 * candidate policy (a loaded version or YAML text) and answers the simulation report.
 */
export function simulationRoutes(deps: { policies: () => PolicySet; makeEvaluator: EvaluatorFactory; bodyLimit: number }): Router {
  const r = Router();
  r.post('/v1/simulations', requireRole('policy-admin'), ...jsonBody(deps.bodyLimit), async (req, res) => {
    const { body, baseline, candidate } = simulationSides(req.body, deps.policies(), deps.makeEvaluator);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const report = await simulate({
      baseline,
      candidate,
      applications: body.applications.map((application, i) => ({ line: i + 1, application })),
      // The decisions are CPU work chained on promises; let other requests (and the timeout) run in between.
      pause: () => new Promise<void>((ok) => setImmediate(ok)),
      yieldEvery: 20,
      signal: aborted.signal,
    });
    if (report.aborted || res.headersSent) return;
    res.status(200).json(report);
  });
  return r;
}
