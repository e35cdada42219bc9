import { createHmac } from 'node:crypto';
import type { RestructuringApplication } from '../generated/application.js';
import type { DecisionResult } from '../generated/decision.js';
import { decide } from '../core/decide/decide.js';
import { TideoverError } from '../core/errors.js';
import type { Language } from '../core/explain/reasons.js';
import type { ScheduleBuilder } from '../core/money/schedule-api.js';
import type { AuditRecord, AuditStore } from '../ports/audit-store.js';
import { recordedForm } from '../core/explain/recorded.js';
import { recordableApplication, recordableDecision } from '../core/forbearance/redact.js';
import type { Clock } from '../ports/clock.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { IdGenerator } from '../ports/ids.js';
import { NotJsonError, type CanonicalForm } from '../core/canonical-json.js';
import { answerForm } from './decision-answer.js';
import type { PolicySet } from './policy-set.js';
import { RecordedDecisions } from './recorded-decisions.js';
import { throughAuditStore } from './store-errors.js';
import type { ShadowStats } from './shadow-stats.js';


export interface DecisionServiceDeps {
  policies: () => PolicySet;
  audit: AuditStore;
  /** Compiles a policy read back from a snapshot, to rebuild the explanation of a recorded decision. */
  makeEvaluator: EvaluatorFactory;
  /** Schedule arithmetic (MONEY): exact integer cents by default. */
  schedules?: ScheduleBuilder;
  clock: Clock;
  ids: IdGenerator;
  /** Secret for the keyed hash of borrower ids: the trail can be searched by borrower without holding the id. */
  borrowerKey: Buffer;
  versions: { tideover: string; jsonRulesEngine: string };
  /** Challenger version evaluated beside the champion and recorded, never returned. */
  shadow?: { id?: string; version: string; stats: ShadowStats };
  onDecision?: (d: DecisionResult, ms: { audit: number }) => void;
}

export interface DecideRequest {
  application: RestructuringApplication;
  callerKeyId: string | null;
  language: Language;
  idempotencyKey?: string;
  /** sha256 of the request body, to tell a retry from a different request under the same key. */
  requestHash?: string;
  pin?: { id?: string; version: string };
  /**
   * Asked right before the record is written: false when the caller was already answered (the request
   * timed out), and then nothing is recorded. Once it says true, the answer waits for the record.
   */
  admit?: () => boolean;
  /**
   * The rules the decision's explanation lists (decide()'s `rules`): `fired` when the caller is shown no
   * other (the answer's default); every rule by default. The record is the same either way.
   */
  rules?: 'all' | 'fired';
}

export interface DecideResponse {
  decision: DecisionResult;
  replayed: boolean;
  /** The decision without its rule trees in canonical JSON (answerForm): the answer is written from it. */
  form: CanonicalForm;
}

function outcomes(d: DecisionResult) {
  return [...d.options.map((o) => ({ option: o.option, decision: o.decision })), { option: 'ACCOUNT_ACTION', decision: d.accountAction.action }];
}

/** The decision encoded for its answer and record (answerForm); a value JSON cannot carry is refused as input, as the store would refuse it. */
function encoded(decision: DecisionResult): CanonicalForm {
  try {
    return answerForm(decision);
  } catch (e) {
    if (e instanceof NotJsonError) throw new TideoverError('INVALID_BODY', e.message);
    throw e;
  }
}

/** How far ahead of the server clock an application's receivedAt may be (clock skew between systems). */
export const FUTURE_RECEIPT_MS = 5 * 60_000;

/** Decide, then record; the decision is returned only once its audit record is durable. */
export class DecisionService {
  /** Recorded decisions made whole again (the trail keeps them without their rule trees). */
  readonly recorded: RecordedDecisions;

  constructor(private readonly deps: DecisionServiceDeps) {
    this.recorded = new RecordedDecisions({ audit: deps.audit, policies: deps.policies, makeEvaluator: deps.makeEvaluator });
  }

  borrowerHash(borrowerId: string): string {
    return createHmac('sha256', this.deps.borrowerKey).update(borrowerId).digest('hex');
  }

  /**
   * A retry gets the original decision, explanation rebuilt, exactly as first answered: the answer is written
   * from the canonical text of the decision, which the trail holds.
   */
  private async fromExisting(record: AuditRecord, requestHash: string | undefined): Promise<DecideResponse> {
    if (requestHash !== undefined && record.requestHash !== undefined && record.requestHash !== requestHash)
      throw new TideoverError('IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was already used with a different request body');
    // Rebuilding reads the policy snapshot: a store failure is a 503 like any other; a refused record says why.
    const decision = await this.writable(() => this.recorded.full(record));
    return { decision, replayed: true, form: encoded(decision) };
  }

  private prepare?: (application: RestructuringApplication) => Promise<RestructuringApplication>;

  /** Completes each application before it is decided (the arrangements on record fill loan.priorRestructurings). */
  prepareWith(fn: (application: RestructuringApplication) => Promise<RestructuringApplication>): void {
    this.prepare = fn;
  }

  async decide(given: DecideRequest): Promise<DecideResponse> {
    const { audit } = this.deps;
    if (given.idempotencyKey) {
      const existing = await this.writable(() => audit.findByIdempotencyKey(given.idempotencyKey!));
      if (existing) return this.fromExisting(existing, given.requestHash);
    }
    // The record keeps the completed application, so a replay sees what the decision saw.
    const prepare = this.prepare;
    const req = prepare ? { ...given, application: await this.writable(() => prepare(given.application)) } : given;
    const now = this.deps.clock.now();
    // The receipt date picks the policy version: one from the future would reach a version not yet in
    // effect. Pinning (policy-admin) is the way to try a future version.
    if (!req.pin && Date.parse(req.application.receivedAt) - Date.parse(now) > FUTURE_RECEIPT_MS)
      throw new TideoverError('INVALID_BODY', `receivedAt is more than ${FUTURE_RECEIPT_MS / 60_000} minutes after the server's clock (${now}).`, [
        { pointer: '/receivedAt', message: `/receivedAt ${req.application.receivedAt} is in the future; at most ${FUTURE_RECEIPT_MS / 60_000} minutes ahead of the server clock is accepted` },
      ]);
    const set = this.deps.policies();
    const chosen = set.select(req.application, req.pin);
    const decisionId = this.deps.ids.next();
    const decision = await decide({ application: req.application, policy: chosen.policy, evaluator: chosen.evaluator, now, decisionId, language: req.language, selectedBy: chosen.selectedBy, schedules: this.deps.schedules, rules: req.rules ?? 'all' });
    let challenger: DecisionResult | undefined;
    const shadow = this.deps.shadow && set.versions.find((v) => v.policy.version === this.deps.shadow!.version && (!this.deps.shadow!.id || v.policy.id === this.deps.shadow!.id));
    if (shadow && shadow.policy.sha256 !== chosen.policy.sha256)
      challenger = await decide({ application: req.application, policy: shadow.policy, evaluator: shadow.evaluator, now, decisionId, language: req.language, selectedBy: 'shadow challenger', schedules: this.deps.schedules, rules: 'fired' });
    if (req.admit && !req.admit()) throw new TideoverError('TIMEOUT', 'The request timed out before its decision was recorded; nothing was recorded.');
    // Encoded once for the answer and the record alike, unless the record must leave something out.
    const form = encoded(decision);
    const recordable = recordableDecision(decision, req.application);
    const started = process.hrtime.bigint();
    const { record, existing } = await this.writable(() =>
      audit.append(
        {
          decisionId,
          decidedAt: now,
          applicationId: req.application.applicationId,
          borrowerIdHash: this.borrowerHash(req.application.borrower.borrowerId),
          callerKeyId: req.callerKeyId,
          policy: { id: chosen.policy.id, version: chosen.policy.version, sha256: chosen.policy.sha256 },
          versions: this.deps.versions,
          // Vulnerability details without consent stay out of the trail (only presence is kept; replay holds).
          application: recordableApplication(req.application),
          decision: recordable === decision ? form.value : recordedForm(recordable),
          outcomes: outcomes(decision),
          ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey, requestHash: req.requestHash } : {}),
          ...(challenger ? { challenger: recordedForm(recordableDecision(challenger, req.application)) } : {}),
        },
        { sha256: chosen.policy.sha256, policyId: chosen.policy.id, version: chosen.policy.version, source: chosen.policy.source },
      ),
    );
    if (existing) return this.fromExisting(record, req.requestHash);
    if (challenger) this.deps.shadow!.stats.record(decision, challenger);
    this.deps.onDecision?.(decision, { audit: Number(process.hrtime.bigint() - started) / 1e6 });
    return { decision, replayed: false, form };
  }

  /** Any store failure becomes AUDIT_UNAVAILABLE (503): never a decision without its record. Our own errors pass. */
  private writable<T>(fn: () => Promise<T>): Promise<T> {
    return throughAuditStore(fn);
  }
}
