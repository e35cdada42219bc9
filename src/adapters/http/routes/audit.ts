import { Router, type Request } from 'express';
import { TideoverError, type FieldProblem } from '../../../core/errors.js';
import { isValidIsoDate } from '../../../core/money/dates.js';
import type { EvaluatorFactory } from '../../../ports/evaluator.js';
import type { DecisionService } from '../../../app/decision-service.js';
import { replayDecision } from '../../../app/replay.js';
import { AuditStoreError, type AuditRecord, type AuditStore, type DecisionQuery } from '../../../ports/audit-store.js';
import { requireRole } from '../auth.js';

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const OPTIONS = new Set(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION']);
const DECISIONS = new Set(['APPROVE', 'COUNTEROFFER', 'REFER', 'DECLINE', 'PENDING_DOCUMENTS', 'NONE', 'RESTRICT_NEW_DRAWS', 'FREEZE']);

function str(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new TideoverError('INVALID_BODY', `query parameter ${name} must be given once`, [{ pointer: `/query/${name}`, message: `${name} must be a single value` }]);
  return v;
}

function checkQuery(req: Request, allowed: string[]): FieldProblem[] {
  return Object.keys(req.query)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ pointer: `/query/${k}`, message: `unknown query parameter ${k.slice(0, 64)}; use ${allowed.join(', ')}` }));
}

function range(req: Request, problems: FieldProblem[]): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const k of ['from', 'to'] as const) {
    const v = str(req, k);
    if (v === undefined) continue;
    if (!DATE_OR_TIME.test(v) || !isValidIsoDate(v.slice(0, 10)) || Number.isNaN(Date.parse(v))) problems.push({ pointer: `/query/${k}`, message: `${k} must be a date YYYY-MM-DD or a date-time with offset` });
    else out[k] = v;
  }
  return out;
}

/** Public view of a record: everything but the idempotency request hash. */
function view(r: AuditRecord) {
  const { requestHash: _omit, ...rest } = r;
  return rest;
}

async function store<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuditStoreError && e.code === 'invalid') throw new TideoverError('INVALID_BODY', e.message, [{ pointer: '/query', message: e.message }]);
    if (e instanceof TideoverError) throw e;
    throw new TideoverError('AUDIT_UNAVAILABLE', 'The audit trail cannot be read right now.');
  }
}

/** Reading the trail (role audit): one decision, filtered pages, NDJSON export, chain verification, replay. */
export function auditRoutes(deps: { audit: AuditStore; service: DecisionService; signingKey: Buffer; makeEvaluator: () => EvaluatorFactory }): Router {
  const r = Router();
  const audit = requireRole('audit');

  r.get('/v1/decisions/export', audit, async (req, res) => {
    const problems = checkQuery(req, ['from', 'to']);
    const span = range(req, problems);
    if (problems.length) throw new TideoverError('INVALID_BODY', 'Invalid query.', problems);
    const iterator = deps.audit.export(span)[Symbol.asyncIterator]();
    const first = await store(() => iterator.next());
    res.status(200).type('application/x-ndjson');
    for (let item = first; !item.done; item = await iterator.next()) {
      if (!res.write(`${JSON.stringify(view(item.value))}\n`)) await new Promise((ok) => res.once('drain', ok));
      if (res.destroyed) break;
    }
    res.end();
  });

  r.get('/v1/decisions', audit, async (req, res) => {
    const problems = checkQuery(req, ['applicationId', 'borrowerId', 'from', 'to', 'option', 'decision', 'limit', 'cursor']);
    const span = range(req, problems);
    const q: DecisionQuery = { limit: 50, ...span };
    const take = (name: string, ok: (v: string) => boolean, message: string, set: (v: string) => void) => {
      const v = str(req, name);
      if (v === undefined) return;
      if (ok(v)) set(v);
      else problems.push({ pointer: `/query/${name}`, message });
    };
    take('applicationId', (v) => ID.test(v), 'applicationId must be 1 to 64 id characters', (v) => (q.applicationId = v));
    take('borrowerId', (v) => ID.test(v), 'borrowerId must be 1 to 64 id characters', (v) => (q.borrowerIdHash = deps.service.borrowerHash(v)));
    take('option', (v) => OPTIONS.has(v), `option must be one of ${[...OPTIONS].join(', ')}`, (v) => (q.option = v));
    take('decision', (v) => DECISIONS.has(v), `decision must be one of ${[...DECISIONS].join(', ')}`, (v) => (q.decision = v));
    take('limit', (v) => /^([1-9]\d{0,2}|1000)$/.test(v), 'limit must be a whole number from 1 to 1000', (v) => (q.limit = Number(v)));
    take('cursor', (v) => v.length <= 200, 'cursor is too long', (v) => (q.cursor = v));
    if (problems.length) throw new TideoverError('INVALID_BODY', 'Invalid query.', problems);
    const page = await store(() => deps.audit.list(q));
    res.json({ records: page.records.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });

  r.get('/v1/decisions/:id', audit, async (req, res) => {
    const id = String(req.params.id);
    if (!ID.test(id)) throw new TideoverError('NOT_FOUND', 'No such decision.');
    const problems = checkQuery(req, ['explain']);
    const explain = str(req, 'explain') ?? 'recorded';
    if (explain !== 'recorded' && explain !== 'full') problems.push({ pointer: '/query/explain', message: 'explain must be recorded (as hashed in the chain) or full (rule trees rebuilt)' });
    if (problems.length) throw new TideoverError('INVALID_BODY', 'Invalid query.', problems);
    const record = await store(() => deps.audit.get(id));
    if (!record) throw new TideoverError('NOT_FOUND', `No decision ${id}.`);
    // `recorded` is the record exactly as hashed; `full` rebuilds the explanation's rule trees from the
    // recorded facts under the recorded policy (the hash still covers the recorded form).
    res.json(explain === 'full' ? { ...view(record), decision: await store(() => deps.service.recorded.full(record)) } : view(record));
  });

  r.post('/v1/decisions/:id/replay', audit, async (req, res) => {
    const id = String(req.params.id);
    if (!ID.test(id)) throw new TideoverError('NOT_FOUND', 'No such decision.');
    res.json(await store(() => replayDecision(deps.audit, id, deps.makeEvaluator())));
  });

  r.get('/v1/audit/verify', audit, async (_req, res) => {
    res.json(await store(() => deps.audit.verify(deps.signingKey)));
  });
  return r;
}
