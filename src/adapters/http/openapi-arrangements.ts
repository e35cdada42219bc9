// OpenAPI entries of the arrangement routes (routes/arrangements.ts) and the outcome report (routes/outcome-report.ts).
import type { Op } from './openapi.js';

const ref = (title: string) => ({ $ref: `#/components/schemas/${title}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } };
const date = (name: string, description: string, required = false) => ({ name, in: 'query', required, description, schema: { type: 'string', format: 'date' } });

const rate = { type: ['string', 'null'], description: '4-decimal ratio; null when there is nothing to divide by.' };
const count = { type: 'integer' };
const ROW = {
  type: 'object',
  description: 'One vulnerability × hardship reason × option segment.',
  properties: {
    vulnerability: { type: 'string', enum: ['PRESENT', 'ABSENT'] },
    hardshipReason: { type: 'string' },
    option: { type: 'string' },
    decided: count,
    approved: count,
    counteroffered: count,
    referred: count,
    declined: count,
    pendingDocuments: count,
    approvalRate: rate,
    arrangements: count,
    kept: count,
    broken: count,
    cured: count,
    keptRate: rate,
    brokenRate: rate,
    curedRate: rate,
  },
};

export const ARRANGEMENT_ROUTES: Record<string, Record<string, Op>> = {
  '/v1/arrangements': {
    post: {
      summary: 'The borrower accepted an APPROVE or COUNTEROFFER plan option of a recorded decision: it becomes an arrangement in TRIAL holding that schedule (accepting again returns the same one). The TRIAL status is recorded in the audit chain.',
      roles: ['decide'],
      body: ref('ArrangementRequest'),
      ok: { status: 201, description: 'The arrangement; Location names it.', content: json(ref('Arrangement')) },
      errors: [400, 401, 403, 404, 413, 415, 429, 503],
    },
    get: {
      summary: 'The arrangements on record for a loan, each with its status on asOf (default today).',
      roles: ['decide'],
      parameters: [{ name: 'loanId', in: 'query', required: true, schema: { type: 'string' } }, date('asOf', 'Derive each status on this date (default today).')],
      ok: { status: 200, description: '{arrangements: [...]}', content: json({ type: 'object', required: ['arrangements'], properties: { arrangements: { type: 'array', items: ref('Arrangement') } } }) },
      errors: [400, 401, 403, 429],
    },
  },
  '/v1/arrangements/{id}': {
    get: {
      summary: 'An arrangement with its status on asOf (default today), derived from its schedule and the payments reported; a status reached by today is first recorded in the audit chain.',
      roles: ['decide'],
      parameters: [idParam, date('asOf', 'Derive the status on this date (default today).')],
      ok: { status: 200, description: 'The arrangement.', content: json(ref('Arrangement')) },
      errors: [400, 401, 403, 404, 429, 503],
    },
  },
  '/v1/arrangements/{id}/payments': {
    post: {
      summary: 'A payment toward one scheduled payment (part payments add up). Each status it brings about is recorded in the audit chain.',
      roles: ['decide'],
      parameters: [idParam],
      body: ref('PaymentReport'),
      ok: { status: 200, description: 'The arrangement with its status today.', content: json(ref('Arrangement')) },
      errors: [400, 401, 403, 404, 413, 415, 429, 503],
    },
  },
  '/v1/reports/outcomes': {
    get: {
      summary: 'Outcome monitoring: decisions made and arrangements accepted from..to, counts and rates (approved, kept, broken, cured) by vulnerability present/absent, hardship reason and option. JSON, or CSV with Accept: text/csv or format=csv.',
      roles: ['audit'],
      parameters: [date('from', 'First day (inclusive).', true), date('to', 'Last day (inclusive).', true), { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'] } }],
      ok: {
        status: 200,
        description: 'The report.',
        content: {
          ...json({ type: 'object', required: ['from', 'to', 'statusAsOf', 'rows'], properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' }, statusAsOf: { type: 'string', format: 'date' }, rows: { type: 'array', items: ROW } } }),
          'text/csv': { schema: { type: 'string', description: 'Header row of the row fields, then one row per segment.' } },
        },
      },
      errors: [400, 401, 403, 429, 503],
    },
  },
};
