// Reading the audit trail (role audit): the use cases behind GET /v1/decisions…, replay and verify.
import { TideoverError, type FieldProblem } from '../core/errors.js';
import { isDateOrInstant } from '../core/money/dates.js';
import type { AuditRecord, AuditStore, DecisionQuery, VerifyResult } from '../ports/audit-store.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { DecisionService } from './decision-service.js';
import { RECORDED_OPTIONS, RECORDED_OUTCOMES } from './recorded-outcomes.js';
import { replayDecision, type ReplayResult } from './replay.js';
import { throughAuditStore } from './store-errors.js';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A decision id as the trail can hold one; anything else is simply not found. */
export function isDecisionId(id: string): boolean {
  return ID.test(id);
}

const READ = { unavailable: 'The audit trail cannot be read right now.', pointer: '/query' };

export type PublicRecord = Omit<AuditRecord, 'requestHash'>;

/** Public view of a record: everything but the idempotency request hash. */
function view(r: AuditRecord): PublicRecord {
  const { requestHash: _omit, ...rest } = r;
  return rest;
}

/** Query parameters as given (one string each); `problems` collects every bad one, by JSON pointer. */
export type QueryParam = (name: string) => string | undefined;

/** The from/to bounds of a query: dates YYYY-MM-DD or date-times with offset. */
export function timeSpan(param: QueryParam, problems: FieldProblem[]): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  for (const k of ['from', 'to'] as const) {
    const v = param(k);
    if (v === undefined) continue;
    if (isDateOrInstant(v)) out[k] = v;
    else problems.push({ pointer: `/query/${k}`, message: `${k} must be a date YYYY-MM-DD or a date-time with offset` });
  }
  return out;
}

export class AuditReader {
  constructor(private readonly deps: { audit: AuditStore; decisions: DecisionService; makeEvaluator: () => EvaluatorFactory; signingKey: Buffer }) {}

  /** A page query from its parameters; borrowerId is searched by its keyed hash, never stored. */
  decisionQuery(param: QueryParam, problems: FieldProblem[]): DecisionQuery {
    const q: DecisionQuery = { limit: 50, ...timeSpan(param, problems) };
    const take = (name: string, ok: (v: string) => boolean, message: string, set: (v: string) => void) => {
      const v = param(name);
      if (v === undefined) return;
      if (ok(v)) set(v);
      else problems.push({ pointer: `/query/${name}`, message });
    };
    take('applicationId', (v) => ID.test(v), 'applicationId must be 1 to 64 id characters', (v) => (q.applicationId = v));
    take('borrowerId', (v) => ID.test(v), 'borrowerId must be 1 to 64 id characters', (v) => (q.borrowerIdHash = this.deps.decisions.borrowerHash(v)));
    take('option', (v) => RECORDED_OPTIONS.includes(v), `option must be one of ${RECORDED_OPTIONS.join(', ')}`, (v) => (q.option = v));
    take('decision', (v) => RECORDED_OUTCOMES.includes(v), `decision must be one of ${RECORDED_OUTCOMES.join(', ')}`, (v) => (q.decision = v));
    take('limit', (v) => /^([1-9]\d{0,2}|1000)$/.test(v), 'limit must be a whole number from 1 to 1000', (v) => (q.limit = Number(v)));
    take('cursor', (v) => v.length <= 200, 'cursor is too long', (v) => (q.cursor = v));
    return q;
  }

  async list(q: DecisionQuery): Promise<{ records: PublicRecord[]; nextCursor?: string }> {
    const page = await throughAuditStore(() => this.deps.audit.list(q), READ);
    return { records: page.records.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** The records in the span, oldest first; a store that cannot be read fails here, before anything is sent. */
  async export(span: { from?: string; to?: string }): Promise<AsyncIterable<PublicRecord>> {
    const iterator = this.deps.audit.export(span)[Symbol.asyncIterator]();
    const first = await throughAuditStore(() => iterator.next(), READ);
    return (async function* () {
      for (let item = first; !item.done; item = await iterator.next()) yield view(item.value);
    })();
  }

  /**
   * One record: `recorded` exactly as hashed; `full` with the explanation's rule trees rebuilt from the
   * recorded facts under the recorded policy (the hash still covers the recorded form).
   */
  async get(id: string, explain: 'recorded' | 'full'): Promise<PublicRecord> {
    if (!ID.test(id)) throw new TideoverError('NOT_FOUND', 'No such decision.');
    const record = await throughAuditStore(() => this.deps.audit.get(id), READ);
    if (!record) throw new TideoverError('NOT_FOUND', `No decision ${id}.`);
    return explain === 'full' ? { ...view(record), decision: await throughAuditStore(() => this.deps.decisions.recorded.full(record), READ) } : view(record);
  }

  async replay(id: string): Promise<ReplayResult> {
    if (!ID.test(id)) throw new TideoverError('NOT_FOUND', 'No such decision.');
    return throughAuditStore(() => replayDecision(this.deps.audit, id, this.deps.makeEvaluator()), READ);
  }

  async verify(): Promise<VerifyResult> {
    return throughAuditStore(() => this.deps.audit.verify(this.deps.signingKey), READ);
  }
}
