import type { RestructuringApplication } from '../generated/application.js';
import type { LoanSnapshot } from '../generated/loan-snapshot.js';
import { decidePlanOptions } from '../core/decide/decide.js';
import type { ScheduleBuilder } from '../core/money/schedule-api.js';
import type { CompiledScreeningPolicy, Screening, Tier } from '../core/screening/model.js';
import { documentsNeeded, offerOfPlans, type Offer } from '../core/screening/offer.js';
import { preApplication } from '../core/screening/pre-application.js';
import { screeningValidators } from '../core/screening/schemas.js';
import { screenLoan } from '../core/screening/screen.js';
import { ajvProblems } from '../core/validation/messages.js';
import type { StoredScreeningResult } from '../ports/screening-store.js';
import type { PolicySet } from './policy-set.js';
import { ScreeningTally } from './screening-tally.js';

/** One record of a book as a reader yields it: a parsed value, or the errors that kept it from being one. */
export interface RawRecord {
  line: number;
  value?: unknown;
  errors?: FieldError[];
}

export interface FieldError {
  /** JSON pointer of the field (`/signals/utilisation`), empty for the record as a whole. */
  field: string;
  message: string;
}

export interface InvalidRecord {
  line: number;
  loanId?: string;
  errors: FieldError[];
}

/** What screening says about one loan: `{loanId, asOf, policyVersion, tier, points, reasons, contactBy?, offer?}`. */
export interface ScreeningResult extends Screening {
  offer?: Offer;
  /** Why no offer could be computed for a HIGH or CRITICAL loan (the screening itself stands). */
  offerError?: string;
}

export type Screened = { result: ScreeningResult; policy: CompiledScreeningPolicy; invalid?: undefined } | { invalid: InvalidRecord; result?: undefined; policy?: undefined };

export interface ScreenerDeps {
  /** Every loaded screening policy version; each snapshot is screened by the one effective on its asOf. */
  screeningPolicies: readonly CompiledScreeningPolicy[];
  /** The decision policies that compute proactive offers; none means results carry no offers. */
  decisionPolicies?: () => PolicySet;
  schedules?: ScheduleBuilder;
}

const OFFER_TIERS: ReadonlySet<Tier> = new Set(['HIGH', 'CRITICAL']);

/** The screening policy effective on a date: latest effectiveFrom on or before it, not past effectiveTo; ties go to the higher version. */
export function selectScreeningPolicy(policies: readonly CompiledScreeningPolicy[], asOf: string): CompiledScreeningPolicy | undefined {
  let best: CompiledScreeningPolicy | undefined;
  for (const p of policies) {
    const m = p.metadata;
    if (m.effectiveFrom > asOf || (m.effectiveTo !== undefined && asOf > m.effectiveTo)) continue;
    if (!best || m.effectiveFrom > best.metadata.effectiveFrom || (m.effectiveFrom === best.metadata.effectiveFrom && p.version.localeCompare(best.version, undefined, { numeric: true }) > 0)) best = p;
  }
  return best;
}

/** A result as the screening store keeps it: keyed by loan, indexed by tier and contact date, the JSON whole. */
export function storedResult(r: ScreeningResult): StoredScreeningResult {
  return { loanId: r.loanId, tier: r.tier, contactBy: r.contactBy ?? null, body: JSON.stringify(r) };
}

/** A record screening cannot use, with its line, its loanId when it has one, and why. */
function invalidRecord(raw: RawRecord, errors: FieldError[]): Screened {
  const value = raw.value as { loanId?: unknown } | undefined;
  const loanId = typeof value?.loanId === 'string' ? value.loanId : undefined;
  return { invalid: { line: raw.line, ...(loanId !== undefined ? { loanId } : {}), errors } };
}

/** Screens book records one at a time: validation, the points table, and the offer for HIGH and CRITICAL. */
export class Screener {
  constructor(private readonly deps: ScreenerDeps) {}

  async screen(raw: RawRecord): Promise<Screened> {
    return this.screenRecord(raw);
  }

  /**
   * What screen() answers, synchronously for a loan that gets no offer (~90 % of a book): an await costs
   * a turn of the microtask queue and a promise, and run() awaits only what is one.
   */
  private screenRecord(raw: RawRecord): Screened | Promise<Screened> {
    if (raw.errors) return invalidRecord(raw, raw.errors);
    if (!screeningValidators.loanSnapshot(raw.value)) return invalidRecord(raw, ajvProblems(screeningValidators.loanSnapshot.errors).map((p) => ({ field: p.pointer, message: p.message })));
    const s = raw.value as LoanSnapshot;
    const policy = selectScreeningPolicy(this.deps.screeningPolicies, s.asOf);
    if (!policy) return invalidRecord(raw, [{ field: '/asOf', message: `no screening policy is effective on ${s.asOf}` }]);
    const result: ScreeningResult = screenLoan(s, policy);
    if (OFFER_TIERS.has(result.tier) && this.deps.decisionPolicies) return this.withOffer(s, result, this.deps.decisionPolicies).then(() => ({ result, policy }));
    return { result, policy };
  }

  /** Attaches the proactive offer to a HIGH or CRITICAL result, or why none could be computed. */
  private async withOffer(s: LoanSnapshot, result: ScreeningResult, decisionPolicies: () => PolicySet): Promise<void> {
    try {
      const application = preApplication(s, result);
      const chosen = decisionPolicies().select(application);
      // What the pre-application lacks (what deciding it as it stands would list), then one decision:
      // what the borrower would be offered once they send it, decided with it on file (verified). Only
      // the plan options are decided, without texts or schedules the offer does not show (decidePlanOptions).
      const needed = documentsNeeded(chosen.policy, application);
      const docs = needed.all;
      const app = docs.length ? { ...application, documents: docs.map((type) => ({ type, receivedAt: application.receivedAt, verified: true })) as RestructuringApplication['documents'] } : application;
      const withDocs = await decidePlanOptions({ application: app, policy: chosen.policy, evaluator: chosen.evaluator, now: app.receivedAt, decisionId: `screening-${s.loanId}`, language: 'en', selectedBy: chosen.selectedBy, schedules: this.deps.schedules });
      result.offer = offerOfPlans(chosen.policy.version, withDocs, needed.byOption);
    } catch (e) {
      result.offerError = (e as Error).message;
    }
  }

  /**
   * Screens a whole book in order, handing each result and invalid record to `sink` as it goes (never
   * holding the book), and returns the run's counts. A bad record never stops the run.
   */
  async run(records: AsyncIterable<RawRecord>, sink: { result(r: ScreeningResult): void | Promise<void>; invalid(i: InvalidRecord): void | Promise<void> }, onProgress?: (t: ScreeningTally) => void, tally = new ScreeningTally()): Promise<ScreeningTally> {
    for await (const raw of records) {
      const screened = this.screenRecord(raw);
      const out = screened instanceof Promise ? await screened : screened;
      if (out.result) {
        tally.add(out.result, out.policy);
        const written = sink.result(out.result);
        if (written) await written;
      } else {
        tally.addInvalid(out.invalid);
        const written = sink.invalid(out.invalid);
        if (written) await written;
      }
      onProgress?.(tally);
    }
    return tally;
  }
}
