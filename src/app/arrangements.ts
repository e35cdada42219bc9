import type { PriorRestructuring, RestructuringApplication } from '../generated/application.js';
import type { Arrangement } from '../generated/arrangement.js';
import type { ArrangementRequest } from '../generated/arrangement-request.js';
import type { PaymentReport } from '../generated/payment-report.js';
import type { RecordedDecision } from '../core/explain/recorded.js';
import { arrangementHistory, arrangementStatus, type ArrangementTerms, type StatusOn } from '../core/arrangements/status.js';
import { TideoverError } from '../core/errors.js';
import { formatCents, parseMoney } from '../core/money/decimal.js';
import { dateOf, isValidIsoDate } from '../core/money/dates.js';
import type { ArrangementRecord, ArrangementStore } from '../ports/arrangement-store.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import { appendEvent } from './audit-events.js';
import { policyFromSnapshot } from './snapshots.js';

/** A date query parameter (`asOf`, `from`, `to`): absent, or a real YYYY-MM-DD; anything else is INVALID_BODY naming it. */
export function dateParam(name: string, v: unknown, required = false): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && isValidIsoDate(v)) return v;
  throw new TideoverError('INVALID_BODY', `query parameter ${name} must be a date YYYY-MM-DD`, [{ pointer: `/query/${name}`, message: required ? `${name} is required, once, as a date YYYY-MM-DD` : `${name} must be a date YYYY-MM-DD` }]);
}

/** The audit event each status transition of an arrangement is recorded as. */
export const ARRANGEMENT_EVENT = 'ARRANGEMENT_STATUS';

export interface ArrangementServiceDeps {
  store: ArrangementStore;
  audit: AuditStore;
  clock: Clock;
  ids: IdGenerator;
  versions: { tideover: string; jsonRulesEngine: string };
}

const PLAN_OPTIONS = new Set(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN']);

function termsOf(a: ArrangementRecord): ArrangementTerms {
  return {
    acceptedOn: dateOf(a.acceptedAt),
    schedule: a.schedule.map((s) => ({ dueDate: s.dueDate, amount: parseMoney(s.amount) })),
    ...(a.observationPeriodEnd ? { observationPeriodEnd: a.observationPeriodEnd } : {}),
    rules: a.rules,
  };
}

const paymentsOf = (a: ArrangementRecord) => a.payments.map((p) => ({ dueDate: p.dueDate, paidOn: p.paidOn, amount: parseMoney(p.amount) }));

/** Accepted offers tracked to cure (docs/forbearance.md): accept, report payments, derive the status, feed later decisions. */
export class ArrangementService {
  constructor(private readonly deps: ArrangementServiceDeps) {}

  private today(): string {
    return this.deps.clock.now().slice(0, 10);
  }

  /** Turns a granted plan option of a recorded decision into an arrangement in TRIAL; accepting it again returns the same one. */
  async accept(req: ArrangementRequest, callerKeyId: string | null): Promise<Arrangement> {
    const record = await this.deps.audit.get(req.decisionId);
    if (!record || record.application === null) throw new TideoverError('NOT_FOUND', `No decision ${req.decisionId} in the audit trail.`);
    const decision = record.decision as RecordedDecision;
    const app = record.application as RestructuringApplication;
    const offered = decision.options.find((o) => o.option === req.option);
    if (!PLAN_OPTIONS.has(req.option) || !offered || (offered.decision !== 'APPROVE' && offered.decision !== 'COUNTEROFFER') || !offered.plan)
      throw new TideoverError('INVALID_BODY', 'Only an approved or counter-offered plan can be accepted.', [
        { pointer: '/option', message: `/option ${req.option} of decision ${req.decisionId} is ${offered?.decision ?? 'not decided'}, not an offered plan` },
      ]);
    if (dateOf(req.acceptedAt) < dateOf(decision.decidedAt))
      throw new TideoverError('INVALID_BODY', 'An offer cannot be accepted before it was made.', [{ pointer: '/acceptedAt', message: `/acceptedAt is before the decision (${decision.decidedAt})` }]);
    // The judging parameters are the deciding policy's (1.0.0 has none: the defaults).
    const rules = (await policyFromSnapshot(this.deps.audit, record.policy.sha256, req.decisionId)).forbearance.arrangement;
    const created = await this.deps.store.create({
      arrangementId: this.deps.ids.next(),
      loanId: app.loan.loanId,
      decisionId: req.decisionId,
      option: req.option,
      decision: offered.decision,
      acceptedAt: req.acceptedAt,
      createdAt: this.deps.clock.now(),
      schedule: offered.plan.schedule.map((r) => ({ dueDate: r.dueDate!, amount: r.payment })),
      ...(decision.observationPeriodEnd ? { observationPeriodEnd: decision.observationPeriodEnd } : {}),
      ...(req.option === 'GRACE_PERIOD' ? { graceMonths: offered.plan.graceMonths } : {}),
      rules,
      vulnerable: app.vulnerability !== undefined,
      hardshipReason: app.borrower.hardship.reason,
      payments: [],
      recordedStatus: '',
    });
    return this.sync(created, callerKeyId, record.policy.sha256);
  }

  async reportPayment(arrangementId: string, p: PaymentReport, callerKeyId: string | null): Promise<Arrangement> {
    const a = await this.deps.store.get(arrangementId);
    if (!a) throw new TideoverError('NOT_FOUND', `No arrangement ${arrangementId}.`);
    if (!a.schedule.some((s) => s.dueDate === p.dueDate))
      throw new TideoverError('INVALID_BODY', 'The payment names no scheduled payment of this arrangement.', [{ pointer: '/dueDate', message: `/dueDate ${p.dueDate} is not a due date of arrangement ${arrangementId}` }]);
    if (p.paidOn > this.today()) throw new TideoverError('INVALID_BODY', 'A payment cannot be reported before it is made.', [{ pointer: '/paidOn', message: `/paidOn ${p.paidOn} is in the future` }]);
    const updated = await this.deps.store.addPayment(arrangementId, { ...p, amount: formatCents(parseMoney(p.amount)), reportedAt: this.deps.clock.now() });
    if (!updated) throw new TideoverError('NOT_FOUND', `No arrangement ${arrangementId}.`);
    return this.sync(updated, callerKeyId);
  }

  /** The arrangement with its status on `asOf` (default today); a status reached by today enters the audit chain first. */
  async get(arrangementId: string, asOf?: string, callerKeyId: string | null = null): Promise<Arrangement> {
    const a = await this.deps.store.get(arrangementId);
    if (!a) throw new TideoverError('NOT_FOUND', `No arrangement ${arrangementId}.`);
    const synced = await this.syncRecord(a, callerKeyId);
    return this.view(synced, asOf ?? this.today());
  }

  async listByLoan(loanId: string, asOf?: string): Promise<Arrangement[]> {
    const day = asOf ?? this.today();
    return (await this.deps.store.listByLoan(loanId)).map((a) => this.view(a, day));
  }

  /**
   * The application with `loan.priorRestructurings` completed from the arrangements on record for its
   * loan, each as it stood on the receipt date; an entry the caller gave with the same id wins.
   */
  async withPriorRestructurings(app: RestructuringApplication): Promise<RestructuringApplication> {
    const on = dateOf(app.receivedAt);
    const known = (await this.deps.store.listByLoan(app.loan.loanId)).filter((a) => dateOf(a.acceptedAt) <= on);
    if (known.length === 0) return app;
    const given = app.loan.priorRestructurings;
    const ids = new Set(given.map((g) => g.id).filter((id) => id !== undefined));
    const added: PriorRestructuring[] = known
      .filter((a) => !ids.has(a.arrangementId))
      .map((a) => {
        const s = arrangementStatus(termsOf(a), paymentsOf(a), on);
        const status = s.status === 'BROKEN' ? 'BROKEN' : s.status === 'COMPLETED' ? 'COMPLETED' : 'ACTIVE';
        return { id: a.arrangementId, type: a.option, effectiveDate: dateOf(a.acceptedAt), status, ...(s.brokenDate ? { brokenDate: s.brokenDate } : {}), ...(a.graceMonths !== undefined ? { graceMonths: a.graceMonths } : {}) };
      });
    if (added.length === 0) return app;
    return { ...app, loan: { ...app.loan, priorRestructurings: [...given, ...added] } };
  }

  private async sync(a: ArrangementRecord, callerKeyId: string | null, sha256?: string): Promise<Arrangement> {
    return this.view(await this.syncRecord(a, callerKeyId, sha256), this.today());
  }

  /**
   * Records in the audit chain each status the arrangement entered since the one last recorded, up to
   * today (never a future date: a GET for a later asOf derives, but does not record).
   */
  private async syncRecord(a: ArrangementRecord, callerKeyId: string | null, sha256?: string): Promise<ArrangementRecord> {
    const today = this.today();
    const history = arrangementHistory(termsOf(a), paymentsOf(a), today);
    const last = history.map((h) => h.status as string).lastIndexOf(a.recordedStatus);
    const fresh = last >= 0 ? history.slice(last + 1) : a.recordedStatus === '' ? history : history.slice(-1);
    if (fresh.length === 0) return a;
    const policy = await this.policyOf(a, sha256);
    for (const h of fresh) await this.record(a, h, callerKeyId, policy);
    const status = fresh.at(-1)!.status;
    await this.deps.store.setRecordedStatus(a.arrangementId, status);
    return { ...a, recordedStatus: status };
  }

  private async policyOf(a: ArrangementRecord, sha256?: string) {
    const sha = sha256 ?? (await this.deps.audit.get(a.decisionId))?.policy.sha256;
    const snapshot = sha ? await this.deps.audit.policySnapshot(sha) : undefined;
    if (!snapshot) throw new TideoverError('AUDIT_UNAVAILABLE', `The policy snapshot of decision ${a.decisionId} cannot be read.`);
    return { id: snapshot.policyId, version: snapshot.version, sha256: snapshot.sha256, source: snapshot.source };
  }

  private async record(a: ArrangementRecord, h: StatusOn, callerKeyId: string | null, policy: { id: string; version: string; sha256: string; source: string }) {
    await appendEvent(this.deps.audit, {
      id: this.deps.ids.next(),
      type: ARRANGEMENT_EVENT,
      at: this.deps.clock.now(),
      callerKeyId,
      data: { arrangementId: a.arrangementId, loanId: a.loanId, decisionId: a.decisionId, option: a.option, status: h.status, since: h.since, ...(h.brokenDate ? { brokenDate: h.brokenDate } : {}) },
      policy,
      versions: this.deps.versions,
    });
  }

  private view(a: ArrangementRecord, asOf: string): Arrangement {
    const terms = termsOf(a);
    const pays = paymentsOf(a);
    const s = arrangementStatus(terms, pays, asOf);
    const paid = (due: string) => pays.filter((p) => p.dueDate === due && p.paidOn <= asOf).reduce((sum, p) => sum + p.amount, 0n);
    return {
      arrangementId: a.arrangementId,
      loanId: a.loanId,
      decisionId: a.decisionId,
      option: a.option,
      decision: a.decision as Arrangement['decision'],
      acceptedAt: a.acceptedAt,
      asOf,
      status: s.status,
      since: s.since,
      ...(s.brokenDate ? { brokenDate: s.brokenDate } : {}),
      ...(a.observationPeriodEnd ? { observationPeriodEnd: a.observationPeriodEnd } : {}),
      schedule: a.schedule.map((r) => ({ dueDate: r.dueDate, amount: r.amount, paid: formatCents(paid(r.dueDate)) })),
      payments: a.payments,
      history: arrangementHistory(terms, pays, asOf),
    };
  }
}

/** The arrangement service, wired so every later decision sees the arrangements on record for its loan. */
export function attachArrangements(decisions: { prepareWith(fn: (a: RestructuringApplication) => Promise<RestructuringApplication>): void }, deps: ArrangementServiceDeps): ArrangementService {
  const service = new ArrangementService(deps);
  decisions.prepareWith((a) => service.withPriorRestructurings(a));
  return service;
}
