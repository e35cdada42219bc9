import application from '../../../schemas/application.schema.json' with { type: 'json' };
import auditRecord from '../../../schemas/audit-record.schema.json' with { type: 'json' };
import recordedApplication from '../../../schemas/recorded-application.schema.json' with { type: 'json' };
import recordedDecision from '../../../schemas/recorded-decision.schema.json' with { type: 'json' };
import common from '../../../schemas/common.schema.json' with { type: 'json' };
import decision from '../../../schemas/decision.schema.json' with { type: 'json' };
import problem from '../../../schemas/problem.schema.json' with { type: 'json' };
import scheduleRequest from '../../../schemas/schedule-request.schema.json' with { type: 'json' };
import scheduleResponse from '../../../schemas/schedule-response.schema.json' with { type: 'json' };
import simulationRequest from '../../../schemas/simulation-request.schema.json' with { type: 'json' };
import policyValidationRequest from '../../../schemas/policy-validation-request.schema.json' with { type: 'json' };
import policyDraft from '../../../schemas/policy-draft.schema.json' with { type: 'json' };
import policyChange from '../../../schemas/policy-change.schema.json' with { type: 'json' };
import policyApproval from '../../../schemas/policy-approval.schema.json' with { type: 'json' };
import policyRejection from '../../../schemas/policy-rejection.schema.json' with { type: 'json' };
import policyRollback from '../../../schemas/policy-rollback.schema.json' with { type: 'json' };
import auditEvent from '../../../schemas/audit-event.schema.json' with { type: 'json' };
import { PUBLICATION_ROUTES } from './openapi-publication.js';
import { SCREENING_ROUTES } from './openapi-screening.js';
import { ARRANGEMENT_ROUTES } from './openapi-arrangements.js';
import loanSnapshot from '../../../schemas/loan-snapshot.schema.json' with { type: 'json' };
import arrangementRequest from '../../../schemas/arrangement-request.schema.json' with { type: 'json' };
import paymentReport from '../../../schemas/payment-report.schema.json' with { type: 'json' };
import arrangement from '../../../schemas/arrangement.schema.json' with { type: 'json' };
import type { Role } from './auth.js';
import { componentSchemas } from './openapi-schemas.js';

/** The schema files, each embedded once under components.schemas by its title (its $defs beside it); refs are rewritten to point there. */
const FILES: Record<string, { title: string; $defs?: Record<string, unknown> }> = {
  'common.schema.json': common,
  'application.schema.json': application,
  'decision.schema.json': decision,
  'problem.schema.json': problem,
  'schedule-request.schema.json': scheduleRequest,
  'schedule-response.schema.json': scheduleResponse,
  'audit-record.schema.json': auditRecord,
  'recorded-application.schema.json': recordedApplication,
  'recorded-decision.schema.json': recordedDecision,
  'simulation-request.schema.json': simulationRequest,
  'policy-validation-request.schema.json': policyValidationRequest,
  'policy-draft.schema.json': policyDraft,
  'policy-change.schema.json': policyChange,
  'policy-approval.schema.json': policyApproval,
  'policy-rejection.schema.json': policyRejection,
  'policy-rollback.schema.json': policyRollback,
  'audit-event.schema.json': auditEvent,
  'loan-snapshot.schema.json': loanSnapshot,
  'arrangement-request.schema.json': arrangementRequest,
  'payment-report.schema.json': paymentReport,
  'arrangement.schema.json': arrangement,
};

const ref = (title: string) => ({ $ref: `#/components/schemas/${title}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: PROBLEM_TEXT[s] ?? 'Problem', content: { 'application/problem+json': { schema: ref('Problem') } } }]));
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: every invalid field is listed with its JSON pointer.',
  401: 'No valid bearer token.',
  403: 'The key lacks the role.',
  404: 'Not found.',
  413: 'Body larger than BODY_LIMIT_BYTES.',
  415: 'Not application/json.',
  422: 'Unprocessable: no policy applies, idempotency conflict, or the policy is invalid.',
  429: 'Rate limited; see Retry-After.',
  503: 'The audit trail cannot record or read, or the request timed out.',
};

export interface Op {
  summary: string;
  roles?: Role[];
  body?: unknown;
  /** A non-JSON request body (content type → media type object). */
  bodyContent?: Record<string, unknown>;
  ok: { status: number; description: string; content?: Record<string, unknown> };
  errors: number[];
  parameters?: unknown[];
}

const q = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } };

const DIFF_SIDE = {
  description: 'A loaded version (`<id>@<version>`) or policy YAML text.',
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['version'], properties: { version: { type: 'string' } } },
    { type: 'object', additionalProperties: false, required: ['policy'], properties: { policy: { type: 'string' } } },
  ],
};

/** Every route the app serves; a test checks the app and this table agree both ways. */
export const ROUTES: Record<string, Record<string, Op>> = {
  '/healthz': { get: { summary: 'Liveness.', ok: { status: 200, description: 'Alive.', content: json({ type: 'object' }) }, errors: [] } },
  '/readyz': { get: { summary: 'Ready when policies are loaded and the audit store can write.', ok: { status: 200, description: 'Ready.', content: json({ type: 'object' }) }, errors: [503] } },
  '/metrics': { get: { summary: 'Prometheus metrics.', ok: { status: 200, description: 'Metrics in the Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } }, errors: [] } },
  '/openapi.json': { get: { summary: 'This document.', ok: { status: 200, description: 'OpenAPI 3.1.', content: json({ type: 'object' }) }, errors: [] } },
  '/v1/policies/{policyId}/versions/{version}': {
    get: {
      summary: 'One published version with its policy YAML and test YAML, who authored, submitted and approved it: what an author starts a draft from and a reviewer reads.',
      roles: ['policy-author', 'policy-approver', 'policy-admin', 'audit'],
      parameters: [
        { name: 'policyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' } },
        { name: 'version', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } },
      ],
      ok: { status: 200, description: 'The published version.', content: json({ type: 'object', required: ['policyId', 'version', 'sha256', 'policy'], properties: { policyId: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string' }, policy: { type: 'string' }, tests: { type: ['string', 'null'] }, origin: { type: 'string' }, author: { type: 'string' }, approvedBy: { type: 'string' }, approvedAt: { type: 'string' } } }) },
      errors: [400, 401, 403, 404, 429],
    },
  },
  '/v1/policies/diff': {
    post: {
      summary: 'The semantic diff between two policies (as `tideover policy diff`), each a loaded version or YAML text: metadata, parameters with the rules that read them, rules, reason codes, defaults, documents.',
      roles: ['policy-author', 'policy-approver', 'policy-admin'],
      body: { type: 'object', required: ['baseline', 'candidate'], properties: { baseline: DIFF_SIDE, candidate: DIFF_SIDE } },
      ok: { status: 200, description: 'The diff.', content: json({ type: 'object' }) },
      errors: [400, 401, 403, 413, 415, 429],
    },
  },
  '/v1/schemas/policy.json': {
    get: { summary: 'The policy JSON Schema the service validates policies with (fact names, operators and outcomes as enums with descriptions), for editors: a yaml-language-server modeline can point here.', ok: { status: 200, description: 'JSON Schema 2020-12.', content: { 'application/schema+json': { schema: { type: 'object' } } } }, errors: [] },
  },
  '/v1/decisions': {
    post: {
      summary: 'Decide every restructuring option for one application, with plans and the rule-by-rule explanation. Answered only after the audit record is durable.',
      roles: ['decide'],
      body: ref('RestructuringApplication'),
      ok: { status: 200, description: 'The decision (also recorded in the audit trail).', content: json(ref('DecisionResult')) },
      errors: [400, 401, 403, 413, 415, 422, 429, 503],
      parameters: [
        { name: 'Idempotency-Key', in: 'header', required: false, description: 'Retries with the same key and body return the original decision (header Idempotent-Replayed: true); a different body is 422.', schema: { type: 'string', maxLength: 128 } },
        { name: 'Accept-Language', in: 'header', required: false, description: 'en (default) or zh for reason texts.', schema: { type: 'string' } },
        { name: 'Tideover-Policy-Version', in: 'header', required: false, description: 'policy-admin only: decide with <version> or <policyId>@<version> instead of the effective one.', schema: { type: 'string' } },
        q('explain', 'fired (default): the rules that fired, each with its condition tree and actual values; full: every rule evaluated, fired or not; none: no rule trees (reasons, facts and fired rule ids stay). Whatever is answered, the audit record keeps the facts and fired rules, from which GET /v1/decisions/{id}?explain=full rebuilds every rule tree.', { type: 'string', enum: ['fired', 'full', 'none'], default: 'fired' }),
      ],
    },
    get: {
      summary: 'Audit trail: decisions by filter, oldest first, with cursor pagination.',
      roles: ['audit'],
      ok: { status: 200, description: 'A page of audit records.', content: json({ type: 'object', required: ['records'], properties: { records: { type: 'array', items: ref('AuditRecord') }, nextCursor: { type: 'string' } } }) },
      errors: [400, 401, 403, 429, 503],
      parameters: [
        q('applicationId', 'Application id.'),
        q('borrowerId', 'Borrower id (matched through its keyed hash).'),
        q('from', 'Inclusive lower bound on decidedAt (date or date-time with offset).'),
        q('to', 'Exclusive upper bound on decidedAt.'),
        q('option', 'Option (with decision: an outcome of that option).'),
        q('decision', 'Decision or account action.'),
        q('limit', '1 to 1000, default 50.', { type: 'string', pattern: '^[0-9]+$' }),
        q('cursor', 'nextCursor of the previous page.'),
      ],
    },
  },
  '/v1/decisions/export': {
    get: {
      summary: 'Audit trail export as NDJSON, one record a line, oldest first.',
      roles: ['audit'],
      ok: { status: 200, description: 'NDJSON stream of AuditRecord.', content: { 'application/x-ndjson': { schema: ref('AuditRecord') } } },
      errors: [400, 401, 403, 429, 503],
      parameters: [q('from', 'Inclusive lower bound on decidedAt.'), q('to', 'Exclusive upper bound on decidedAt.')],
    },
  },
  '/v1/decisions/{id}': {
    get: {
      summary: 'One recorded decision.',
      roles: ['audit'],
      parameters: [
        idParam,
        q('explain', 'recorded (default): the record exactly as hashed in the chain, the explanation without its rule trees; full: the rule trees rebuilt from the recorded facts under the recorded policy, so `decision` is the decision as answered with explain=full (409 AUDIT_RECORD_INCONSISTENT if they do not give the recorded fired rules).', { type: 'string', enum: ['recorded', 'full'] }),
      ],
      ok: { status: 200, description: 'The audit record.', content: json(ref('AuditRecord')) },
      errors: [400, 401, 403, 404, 409, 429, 503],
    },
  },
  '/v1/decisions/{id}/replay': {
    post: {
      summary: 'Re-evaluate a recorded application under the recorded policy snapshot and time; report differences field by field.',
      roles: ['audit'],
      parameters: [idParam],
      ok: { status: 200, description: 'Replay result.', content: json({ type: 'object', required: ['identical', 'differences'], properties: { decisionId: { type: 'string' }, identical: { type: 'boolean' }, differences: { type: 'array', items: { type: 'object' } } } }) },
      errors: [401, 403, 404, 422, 429, 503],
    },
  },
  '/v1/audit/verify': {
    get: {
      summary: 'Walk the hash chain.',
      roles: ['audit'],
      ok: { status: 200, description: 'Verification result.', content: json({ type: 'object', required: ['ok', 'records'], properties: { ok: { type: 'boolean' }, records: { type: 'integer' }, firstBrokenId: { type: 'string' }, reason: { type: 'string' } } }) },
      errors: [401, 403, 429, 503],
    },
  },
  '/v1/schedules': {
    post: {
      summary: 'A repayment schedule to the cent (equal installment or equal principal, optional interest-only grace).',
      roles: ['decide'],
      body: ref('ScheduleRequest'),
      ok: { status: 200, description: 'The schedule.', content: json(ref('ScheduleResponse')) },
      errors: [400, 401, 403, 413, 415, 429],
    },
  },
  '/v1/policies/status': {
    get: { summary: 'The serving policy set and the outcome of the last reload (with located problems when it failed).', roles: ['policy-admin'], ok: { status: 200, description: 'Status.', content: json({ type: 'object' }) }, errors: [401, 403, 429] },
  },
  '/v1/policies/reload': {
    post: {
      summary: 'Validate the policy files and run their tests, then swap the whole set atomically; a failing set leaves the old one serving.',
      roles: ['policy-admin'],
      ok: { status: 200, description: 'Reloaded.', content: json({ type: 'object' }) },
      errors: [401, 403, 422, 429],
    },
  },
  '/v1/policies/validate': {
    post: {
      summary: 'Validate policy YAML (and optionally its test YAML) as `tideover policy check` would: located errors plus warnings.',
      roles: ['policy-admin', 'policy-author', 'policy-approver'],
      body: ref('PolicyValidationRequest'),
      ok: { status: 200, description: 'Validation result: {valid, errors[], warnings[]} each with line and column.', content: json({ type: 'object' }) },
      errors: [400, 401, 403, 413, 415, 429],
    },
  },
  '/v1/policies/shadow': {
    get: { summary: 'How often the configured challenger (SHADOW_POLICY) decides differently from the champion, and how.', roles: ['policy-admin'], ok: { status: 200, description: 'Shadow report.', content: json({ type: 'object' }) }, errors: [401, 403, 429] },
  },
  '/v1/simulations': {
    post: {
      summary: 'Impact simulation: decide the same applications under a baseline and a candidate policy; counts, transition matrix and, per changed application, the rules that made the difference.',
      roles: ['policy-admin'],
      body: ref('SimulationRequest'),
      ok: { status: 200, description: 'Simulation report.', content: json({ type: 'object' }) },
      errors: [400, 401, 403, 413, 415, 422, 429],
    },
  },
  '/v1/policies': { get: { summary: 'Serving policy versions: each published version with who authored, submitted and approved it (approvedBy repository-review for files imported from POLICY_DIR).', roles: ['decide', 'audit', 'policy-admin', 'policy-author', 'policy-approver'], ok: { status: 200, description: 'Serving policies.', content: json({ type: 'object' }) }, errors: [401, 403, 429] } },
  ...PUBLICATION_ROUTES,
  ...SCREENING_ROUTES,
  ...ARRANGEMENT_ROUTES,
};

/** OpenAPI 3.1 built from the schema files (never a second description of the same shapes) and the route table. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const schemas = componentSchemas(FILES);
  const paths: Record<string, unknown> = {};
  for (const [path, ops] of Object.entries(ROUTES)) {
    paths[path] = Object.fromEntries(
      Object.entries(ops).map(([method, op]) => [
        method,
        {
          operationId: `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
          summary: op.summary,
          description: op.roles ? `Role: ${op.roles.join(' or ')}.` : 'Open: no token needed.',
          tags: [op.roles ? (op.roles.includes('audit') && op.roles.length === 1 ? 'audit' : 'decisions') : 'operations'],
          ...(op.roles ? {} : { security: [] }),
          ...(op.parameters ? { parameters: op.parameters } : {}),
          ...(op.body ? { requestBody: { required: true, content: json(op.body) } } : op.bodyContent ? { requestBody: { required: true, content: op.bodyContent } } : {}),
          responses: { [String(op.ok.status)]: { description: op.ok.description, ...(op.ok.content ? { content: op.ok.content } : {}) }, ...problems(...op.errors) },
        },
      ]),
    );
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tideover',
      version,
      description: 'Policy-as-code decisions for loan restructuring and credit hardship programs. Money and rates are decimal strings; errors are RFC 9457 problem+json.',
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: 'http://127.0.0.1:3000' }],
    security: [{ bearer: [] }],
    tags: [
      { name: 'decisions', description: 'Decisions and schedules.' },
      { name: 'audit', description: 'The tamper-evident audit trail.' },
      { name: 'operations', description: 'Health, readiness, metrics, this document.' },
    ],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key token from API_KEYS_FILE.' } }, schemas },
  };
}
