// OpenAPI entries of the screening routes (routes/screenings.ts): book screening runs and the outreach queue.
import type { Op } from './openapi.js';

const ref = (title: string) => ({ $ref: `#/components/schemas/${title}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } };
const q = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });

const RUN = {
  type: 'object',
  description: 'A screening run: status, progress and the summary (counts per tier, top reasons, invalid records with line and field, policies used).',
  required: ['id', 'status', 'createdAt', 'format', 'inputSha256', 'inputBytes', 'progress', 'summary'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    callerKeyId: { type: ['string', 'null'] },
    format: { type: 'string', enum: ['ndjson', 'csv'] },
    inputSha256: { type: 'string' },
    inputBytes: { type: 'integer' },
    auditSeq: { type: 'integer', description: 'Sequence number of the run’s SCREENING_RUN record in the audit chain (once SUCCEEDED).' },
    error: { type: 'string' },
    attempts: { type: 'integer', minimum: 1, description: '1 when accepted; one more each time the run is resumed after the instance screening it died (it is then screened again from the start of its spooled book).' },
    resumedAt: { type: 'string', format: 'date-time', description: 'When the run was last resumed by an instance that claimed it.' },
    progress: { type: 'object', properties: { bytesDone: { type: 'integer' }, inputBytes: { type: 'integer' }, fraction: { type: 'number' }, records: { type: 'integer' } } },
    summary: { type: 'object' },
  },
};
const RESULT = {
  type: 'object',
  description: 'One loan screened: {loanId, borrowerId, asOf, policyVersion, tier, points, reasons (ranked by points then code, en/zh text and the actual values), contactBy?, offer?}.',
  required: ['loanId', 'asOf', 'policyVersion', 'tier', 'points', 'reasons'],
  properties: {
    loanId: { type: 'string' },
    borrowerId: { type: 'string' },
    asOf: { type: 'string', format: 'date' },
    policyVersion: { type: 'string' },
    tier: { type: 'string', enum: ['EXCLUDED', 'LOW', 'WATCH', 'HIGH', 'CRITICAL'] },
    points: { type: ['integer', 'null'] },
    reasons: { type: 'array', items: { type: 'object' } },
    contactBy: { type: 'string', format: 'date' },
    offer: { type: 'object', description: 'HIGH and CRITICAL: each plan option’s decision, plan summary and documents still needed (docs/screening.md).' },
  },
};

export const SCREENING_ROUTES: Record<string, Record<string, Op>> = {
  '/v1/screenings': {
    post: {
      summary: 'Screen a loan book: LoanSnapshot records as NDJSON (application/x-ndjson) or CSV (text/csv, same field names, signals as signals.<name>). The body is streamed to a spool file; the answer is 202 and the run goes on in the background. Bad records are counted and named by line and field, never fatal.',
      roles: ['screen'],
      bodyContent: {
        'application/x-ndjson': { schema: ref('LoanSnapshot') },
        'text/csv': { schema: { type: 'string', description: 'Header row of LoanSnapshot field names, then one loan a row.' } },
      },
      ok: { status: 202, description: 'Accepted; Location names the run.', content: json(RUN) },
      errors: [400, 401, 403, 413, 415, 422, 429],
    },
  },
  '/v1/screenings/{id}': {
    get: { summary: 'A screening run: status, progress and summary.', roles: ['screen'], parameters: [idParam], ok: { status: 200, description: 'The run.', content: json(RUN) }, errors: [401, 403, 404, 429] },
  },
  '/v1/screenings/{id}/results': {
    get: {
      summary: 'The run’s results in loanId order, one JSON line per loan, streamed.',
      roles: ['screen'],
      parameters: [idParam, q('tier', 'Comma-separated tiers to keep, e.g. HIGH,CRITICAL.')],
      ok: { status: 200, description: 'NDJSON of screening results.', content: { 'application/x-ndjson': { schema: RESULT } } },
      errors: [400, 401, 403, 404, 429],
    },
  },
  '/v1/outreach': {
    get: {
      summary: 'Loans to contact by dueBy, earliest contactBy first (then loanId), each from its latest finished run, with the reasons and the offer: what a contact centre pulls each morning.',
      roles: ['screen'],
      parameters: [{ name: 'dueBy', in: 'query', required: true, schema: { type: 'string', format: 'date' } }, q('limit', 'Page size, 1 to 10000 (default 1000).', { type: 'integer', minimum: 1, maximum: 10000 }), q('cursor', 'nextCursor of the previous page.')],
      ok: { status: 200, description: '{dueBy, loans: [...], nextCursor?}; each loan is its result with `runId` and `message` ({en, zh}: the texts of its top 4 reasons).', content: json({ type: 'object', required: ['dueBy', 'loans'], properties: { dueBy: { type: 'string', format: 'date' }, loans: { type: 'array', items: RESULT }, nextCursor: { type: 'string' } } }) },
      errors: [400, 401, 403, 429],
    },
  },
};
