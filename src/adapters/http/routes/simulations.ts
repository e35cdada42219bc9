import { Router } from 'express';
import type { EvaluatorFactory } from '../../../app/check-policies.js';
import type { PolicySet } from '../../../app/policy-set.js';
import { simulate, type SimulationSide } from '../../../app/simulate.js';
import { TideoverError, type ErrorCode, type FieldProblem } from '../../../core/errors.js';
import { loadPolicy } from '../../../core/policy/load.js';
import { ajvProblems } from '../../../core/validation/messages.js';
import { validators } from '../../../core/validation/schemas.js';
import { sha256 } from '../../policies/file-source.js';
import { requireRole } from '../auth.js';
import { jsonBody } from '../body.js';

/** Most applications one request may carry inline; larger corpora go through `tideover simulate`. */
export const MAX_INLINE_APPLICATIONS = 1000;
const VERSION_REF = /^(?:([a-z][a-z0-9-]{0,63})@)?((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)$/;
const TOP_LEVEL = ['baseline', 'candidate', 'applications'];

type PolicyRef = { version: string } | { policy: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkRef(body: Record<string, unknown>, name: 'baseline' | 'candidate', problems: FieldProblem[]): PolicyRef | undefined {
  const at = `/${name}`;
  const v = body[name];
  if (v === undefined) {
    problems.push({ pointer: at, message: `${at} is required: {"version": "1.0.0"} or {"policy": "<policy YAML>"}` });
    return undefined;
  }
  if (!isObject(v)) {
    problems.push({ pointer: at, message: `${at} must be an object with either version or policy` });
    return undefined;
  }
  const extra = Object.keys(v).filter((k) => k !== 'version' && k !== 'policy');
  for (const k of extra) problems.push({ pointer: `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `${at}/${k.slice(0, 64)} is not a known field; use version or policy` });
  const has = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  if (has('version') === has('policy')) {
    problems.push({ pointer: at, message: `${at} must have exactly one of version and policy` });
    return undefined;
  }
  if (has('version')) {
    if (typeof v.version !== 'string' || !VERSION_REF.test(v.version)) {
      problems.push({ pointer: `${at}/version`, message: `${at}/version must be <version> or <policyId>@<version>, e.g. 1.0.0 or restructuring@1.0.0` });
      return undefined;
    }
    return extra.length ? undefined : { version: v.version };
  }
  if (typeof v.policy !== 'string' || v.policy.trim() === '') {
    problems.push({ pointer: `${at}/policy`, message: `${at}/policy must be the policy file's YAML text` });
    return undefined;
  }
  return extra.length ? undefined : { policy: v.policy };
}

/** Every problem of the body at once, each with its JSON pointer. */
function checkBody(body: unknown): { baseline: PolicyRef; candidate: PolicyRef; applications: unknown[] } {
  const problems: FieldProblem[] = [];
  if (!isObject(body)) throw new TideoverError('INVALID_BODY', 'The body must be a JSON object.', [{ pointer: '', message: 'the body must be an object with baseline, candidate and applications' }]);
  for (const k of Object.keys(body)) if (!TOP_LEVEL.includes(k)) problems.push({ pointer: `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `/${k.slice(0, 64)} is not a known field` });
  const baseline = checkRef(body, 'baseline', problems);
  const candidate = checkRef(body, 'candidate', problems);
  const apps = body.applications;
  if (apps === undefined) problems.push({ pointer: '/applications', message: '/applications is required' });
  else if (!Array.isArray(apps)) problems.push({ pointer: '/applications', message: '/applications must be an array of applications' });
  else if (apps.length === 0) problems.push({ pointer: '/applications', message: '/applications must hold at least one application' });
  else if (apps.length > MAX_INLINE_APPLICATIONS)
    problems.push({ pointer: '/applications', message: `/applications holds ${apps.length} applications; at most ${MAX_INLINE_APPLICATIONS} inline (use tideover simulate for more)` });
  else
    apps.forEach((app, i) => {
      if (validators.application(app)) return;
      for (const p of ajvProblems(validators.application.errors))
        problems.push({ pointer: `/applications/${i}${p.pointer}`, message: p.message.startsWith('the body') ? `/applications/${i}${p.message.slice('the body'.length)}` : `/applications/${i}${p.message}` });
    });
  if (problems.length || !baseline || !candidate) throw new TideoverError('INVALID_BODY', 'The simulation request does not match the expected shape.', problems);
  return { baseline, candidate, applications: apps as unknown[] };
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
      if ('version' in ref) {
        const [, id, version] = VERSION_REF.exec(ref.version)!;
        const found = set.versions.filter((v) => v.policy.version === version && (id === undefined || v.policy.id === id));
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
      const { policy, problems } = loadPolicy(ref.policy, name, sha256(ref.policy));
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
