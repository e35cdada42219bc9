import { Router } from 'express';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import { matchesPin, parsePolicyRef, type PolicySet } from '../../../app/policy-set.js';
import { simulate, type SimulationSide } from '../../../app/simulate.js';
import { TideoverError, type ErrorCode, type FieldProblem } from '../../../core/errors.js';
import { loadPolicy } from '../../../core/policy/load.js';
import { ajvProblems } from '../../../core/validation/messages.js';
import { validators } from '../../../core/validation/schemas.js';
import type { SimulationRequest } from '../../../generated/simulation-request.js';
import { sha256 } from '../../policies/file-source.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';


/** The body against schemas/simulation-request.schema.json: every problem at once, each with its JSON pointer. */
function checkBody(body: unknown): SimulationRequest {
  if (!validators.simulationRequest(body)) throw new TideoverError('INVALID_BODY', 'The simulation request does not match the schema.', ajvProblems(validators.simulationRequest.errors));
  return body as SimulationRequest;
}

/**
 * POST /v1/simulations (role policy-admin): decides up to 1,000 inline applications under a baseline and a
 * candidate policy (a loaded version or YAML text) and answers the simulation report.
 */
export function simulationRoutes(deps: { policies: () => PolicySet; makeEvaluator: EvaluatorFactory; bodyLimit: number }): Router {
  const r = Router();
  r.post('/v1/simulations', requireRole('policy-admin'), ...jsonBody(deps.bodyLimit), async (req, res) => {
    const body = checkBody(req.body);
    const set = deps.policies();
    const sides: Partial<Record<'baseline' | 'candidate', SimulationSide>> = {};
    const failures: { code: ErrorCode; detail: string; problems: FieldProblem[] }[] = [];
    for (const name of ['baseline', 'candidate'] as const) {
      const ref = body[name];
      if (ref.version !== undefined) {
        const pin = parsePolicyRef(ref.version)!; // the schema checked its shape
        const { version } = pin;
        const found = set.versions.filter((v) => matchesPin(v.policy, pin));
        const ids = [...new Set(found.map((v) => v.policy.id))];
        if (found.length === 1) sides[name] = found[0]!;
        else
          failures.push({
            code: 'NO_POLICY',
            detail: ids.length > 1 ? `The ${name} version ${ref.version} is ambiguous; give one of ${ids.map((x) => `${x}@${version}`).join(', ')}.` : `The ${name} policy version ${ref.version} is not loaded.`,
            problems: [{ pointer: `/${name}/version`, message: ids.length > 1 ? `ambiguous: ${ids.map((x) => `${x}@${version}`).join(', ')}` : `${ref.version} is not loaded; loaded: ${set.versions.map((v) => `${v.policy.id}@${v.policy.version}`).join(', ') || 'none'}` }],
          });
        continue;
      }
      const text = ref.policy!;
      const { policy, problems } = loadPolicy(text, name, sha256(text));
      if (policy) {
        sides[name] = { policy, evaluator: deps.makeEvaluator(policy) };
        continue;
      }
      const errors = problems.filter((p) => p.severity === 'error');
      failures.push({
        code: errors[0]?.code ?? 'POLICY_SEMANTIC',
        detail: `The ${name} policy does not load: ${errors.length} problem(s).`,
        problems: errors.map((p) => ({ pointer: `/${name}/policy`, message: `${p.line}:${p.column}: ${p.message}` })),
      });
    }
    if (failures.length) {
      const first = failures[0]!;
      throw new TideoverError(first.code, failures.map((f) => f.detail).join(' '), failures.flatMap((f) => f.problems));
    }

    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const report = await simulate({
      baseline: sides.baseline!,
      candidate: sides.candidate!,
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
