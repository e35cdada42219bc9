import { Router, type RequestHandler } from 'express';
import type { RestructuringApplication } from '../../../generated/application.js';
import { decisionAnswer } from '../../../app/decision-answer.js';
import type { DecisionService } from '../../../app/decision-service.js';
import { TideoverError } from '../../../app/errors.js';
import { checkInput } from '../../../app/input.js';
import { parsePolicyRef, type PolicyPin } from '../../../app/policy-set.js';
import { requireRole, type Caller } from '../auth.js';
import { jsonBody, sendJsonParts } from '../body.js';
import { languageOf } from '../language.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export interface DecisionRouteDeps {
  service: DecisionService;
  bodyLimit: number;
  requestHash: (body: unknown) => string;
  /** The rate limit, run before anything else of the route. */
  rateLimit: RequestHandler;
}

/** POST /v1/decisions, as the routes below mount it and as the app's router-free path runs it (app.ts). */
export function decisionHandlers(deps: DecisionRouteDeps): RequestHandler[] {
  return [deps.rateLimit, requireRole('decide'), ...jsonBody(deps.bodyLimit), async (req, res) => {
    // fired is the default after 0.1.0 (CHANGELOG.md): the fired rules carry the reasons; full adds every rule that did not fire.
    const explain = req.query.explain ?? 'fired';
    if (explain !== 'full' && explain !== 'fired' && explain !== 'none')
      throw new TideoverError('INVALID_BODY', 'explain must be fired, full or none.', [{ pointer: '/query/explain', message: 'explain must be fired (default), full or none' }]);
    const application = checkInput<RestructuringApplication>('application', req.body, 'The application does not match the schema.');
    const caller = res.locals.caller as Caller;
    const key = req.header('Idempotency-Key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      throw new TideoverError('INVALID_BODY', 'Idempotency-Key must be 1 to 128 visible ASCII characters.', [{ pointer: '', message: 'header Idempotency-Key is invalid' }]);
    const pinHeader = req.header('Tideover-Policy-Version');
    let pin: PolicyPin | undefined;
    if (pinHeader !== undefined) {
      if (!caller.roles.has('policy-admin')) throw new TideoverError('FORBIDDEN', 'Pinning a policy version needs the role policy-admin.');
      pin = parsePolicyRef(pinHeader);
      if (!pin) throw new TideoverError('INVALID_BODY', 'Tideover-Policy-Version must be <version> or <policyId>@<version>.', [{ pointer: '', message: 'header Tideover-Policy-Version is invalid' }]);
    }
    const { decision, replayed, form } = await deps.service.decide({
      application,
      callerKeyId: caller.keyId,
      language: languageOf(req),
      // Only explain=full shows the rules that did not fire: otherwise their trees are not built.
      rules: explain === 'full' ? 'all' : 'fired',
      ...(key !== undefined ? { idempotencyKey: `${caller.keyId}:${key}`, requestHash: deps.requestHash(req.body) } : {}),
      ...(pin ? { pin } : {}),
      ...(res.locals.admitRecord ? { admit: res.locals.admitRecord as () => boolean } : {}),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendJsonParts(res, 200, decisionAnswer(decision, explain, form));
  }];
}

export function decisionRoutes(deps: DecisionRouteDeps): Router {
  const r = Router();
  r.post('/v1/decisions', ...decisionHandlers(deps));
  return r;
}

/** The paths Express's router matches for the route: not case sensitive, one trailing slash allowed. */
const DECISIONS_PATH = /^\/v1\/decisions\/?$/i;

/** Whether a request's URL (origin form, as received) is the route's, with or without a query. */
export function isDecisionsPath(url: string): boolean {
  if (url === '/v1/decisions') return true;
  const q = url.indexOf('?');
  return DECISIONS_PATH.test(q < 0 ? url : url.slice(0, q));
}
