import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { RestructuringApplication } from '../../../generated/application.js';
import { TideoverError } from '../../../app/errors.js';
import { checkInput } from '../../../app/input.js';
import { EVENT_TYPES, listEvents } from '../../../app/audit-events.js';
import { SubmitRefused } from '../../../app/publication/drafts.js';
import type { PolicyPublication } from '../../../app/publication/changes.js';
import type { ChangeStatus } from '../../../ports/policy-store.js';
import type { AuditStore } from '../../../ports/audit-store.js';
import { requireRole, type Caller } from '../auth.js';
import { jsonBody } from '../body.js';
import { languageOf } from '../language.js';
import { sendProblem } from '../problem.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const STATUSES = new Set(['PENDING', 'APPROVED', 'REJECTED']);

/** YAML bodies for drafts: 415 for anything else, 413 above the limit. */
function yamlBody(limitBytes: number) {
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      if (!req.is(YAML_TYPES)) return next(new TideoverError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/yaml, got ${JSON.stringify(req.headers['content-type'] ?? '(none)').slice(0, 80)}`));
      next();
    },
    express.text({ type: () => true, limit: limitBytes }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (typeof req.body !== 'string' || req.body.trim() === '') return next(new TideoverError('INVALID_BODY', 'The body must be YAML text.', [{ pointer: '', message: 'an empty body is not a policy' }]));
      next();
    },
  ];
}

const keyOf = (res: Response) => (res.locals.caller as Caller).keyId;

/** CHANGE_REFUSED answers list every reason, each with its located problems, beside the usual `errors`. */
function sendRefused(res: Response, e: SubmitRefused): void {
  res
    .status(422)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://tideover.dev/problems/change-refused',
        title: 'The draft cannot be submitted: every reason is listed.',
        status: 422,
        code: 'CHANGE_REFUSED',
        detail: e.message,
        instance: res.locals.requestId ? `urn:request:${res.locals.requestId}` : undefined,
        errors: e.refusals.map((r) => ({ pointer: '', detail: `${r.reason}: ${r.message}` })),
        refusals: e.refusals,
      }),
    );
}

/**
 * Publication: drafts (policy-author), changes with maker–checker approval (policy-approver), rollback,
 * and the audit chain's policy events (audit). Routes only translate HTTP; PolicyPublication decides.
 */
export function publicationRoutes(deps: { publication: PolicyPublication; audit: AuditStore; bodyLimit: number; yamlLimit?: number }): Router {
  const r = Router();
  const p = deps.publication;
  const author = requireRole('policy-author');
  const approver = requireRole('policy-approver');
  const reader = requireRole('policy-author', 'policy-approver', 'policy-admin');
  const yaml = yamlBody(deps.yamlLimit ?? 4_000_000);

  r.get('/v1/policy-drafts', reader, async (_req, res) => {
    res.json({ drafts: await p.list() });
  });
  r.put('/v1/policy-drafts/:policyId', author, ...yaml, async (req, res) => {
    res.json(await p.save(req.params.policyId as string, { policy: req.body as string }, keyOf(res)));
  });
  r.put('/v1/policy-drafts/:policyId/tests', author, ...yaml, async (req, res) => {
    res.json(await p.save(req.params.policyId as string, { tests: req.body as string }, keyOf(res)));
  });
  r.get('/v1/policy-drafts/:policyId', reader, async (req, res) => {
    res.json(await p.get(req.params.policyId as string));
  });
  r.delete('/v1/policy-drafts/:policyId', author, async (req, res) => {
    await p.discard(req.params.policyId as string);
    res.status(204).end();
  });
  r.post('/v1/policy-drafts/:policyId/try', requireRole('policy-author', 'policy-approver'), ...jsonBody(deps.bodyLimit), async (req, res) => {
    const app = checkInput<RestructuringApplication>('application', req.body, 'The application does not match the schema.');
    res.json(await p.try(req.params.policyId as string, app, languageOf(req)));
  });
  r.post('/v1/policy-drafts/:policyId/submit', author, async (req, res) => {
    try {
      res.status(201).json(await p.submit(req.params.policyId as string, keyOf(res)));
    } catch (e) {
      if (e instanceof SubmitRefused) return sendRefused(res, e);
      throw e;
    }
  });

  r.get('/v1/policy-changes', reader, async (req, res) => {
    const status = req.query.status;
    if (status !== undefined && (typeof status !== 'string' || !STATUSES.has(status)))
      throw new TideoverError('INVALID_BODY', 'status must be PENDING, APPROVED or REJECTED.', [{ pointer: '/query/status', message: 'status must be PENDING, APPROVED or REJECTED' }]);
    res.json({ changes: await p.changes(status as ChangeStatus | undefined) });
  });
  r.get('/v1/policy-changes/:id', reader, async (req, res) => {
    res.json(await p.change(req.params.id as string));
  });
  r.post('/v1/policy-changes/:id/approve', approver, ...jsonBody(deps.bodyLimit), async (req, res) => {
    const b = checkInput<{ comment?: string }>('policyApproval', req.body, 'Send {comment?: "…"}.');
    res.json(await p.approve(req.params.id as string, keyOf(res), b.comment));
  });
  r.post('/v1/policy-changes/:id/reject', approver, ...jsonBody(deps.bodyLimit), async (req, res) => {
    const b = checkInput<{ reason: string }>('policyRejection', req.body, 'Send {reason: "…"}: a rejection needs a reason.');
    res.json(await p.reject(req.params.id as string, keyOf(res), b.reason));
  });
  r.post('/v1/policies/:policyId/rollback', author, ...jsonBody(deps.bodyLimit), async (req, res) => {
    const b = checkInput<{ toVersion: string }>('policyRollback', req.body, 'Send {toVersion: "<published version>"}.');
    try {
      res.status(201).json(await p.rollback(req.params.policyId as string, b.toVersion, keyOf(res)));
    } catch (e) {
      if (e instanceof SubmitRefused) return sendRefused(res, e);
      throw e;
    }
  });

  r.get('/v1/audit/events', requireRole('audit'), async (req, res) => {
    const type = req.query.type;
    if (type !== undefined && (typeof type !== 'string' || !/^[A-Z][A-Z0-9_]{0,63}$/.test(type)))
      return sendProblem(res, 'INVALID_BODY', 'type must be an event type such as POLICY_PUBLISHED.', [{ pointer: '/query/type', message: 'type must be upper-case letters, digits and _' }]);
    res.json({ events: await listEvents(deps.audit, type ? [type] : [...EVENT_TYPES]) });
  });
  return r;
}
