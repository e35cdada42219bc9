import type { ScheduleBuilder } from '../core/money/schedule-api.js';
import { TideoverError } from '../core/errors.js';
import { isValidIsoDate } from '../core/money/dates.js';
import { TIERS, type CompiledScreeningPolicy } from '../core/screening/model.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../ports/screening-store.js';
import { appendEvent } from './audit-events.js';
import type { PolicySet } from './policy-set.js';
import { checkScreeningPolicies, type ScreeningSource } from './screening-policies.js';
import { Screener, type RawRecord, type ScreeningResult } from './screening-run.js';
import { ScreeningTally, type ScreeningCounts } from './screening-tally.js';

/** A book received whole (spooled by the adapter), readable as records as many times as needed. */
export interface BookInput {
  format: 'ndjson' | 'csv';
  sha256: string;
  bytes: number;
  records(): AsyncIterable<RawRecord>;
  /** Bytes of the input read so far by the current `records()`. */
  bytesRead(): number;
  dispose(): Promise<void>;
}

export interface ScreeningServiceDeps {
  store: ScreeningStore;
  audit: AuditStore;
  /** Reads the policy folder: the screening policies in it are checked by their tests at each run. */
  policySource: () => Promise<Pick<ScreeningSource, 'screening'>>;
  decisionPolicies: () => PolicySet;
  schedules?: ScheduleBuilder;
  clock: Clock;
  ids: IdGenerator;
  versions: { tideover: string; jsonRulesEngine: string };
  /** Results written per transaction. */
  batchSize?: number;
  onError?: (runId: string, e: unknown) => void;
}

export interface ScreeningRunView extends Omit<StoredScreeningRun, 'counts' | 'bytesDone'> {
  progress: { bytesDone: number; inputBytes: number; fraction: number; records: number };
  summary: ScreeningCounts & { topReasons: { code: string; loans: number }[] };
}

const TOP_REASONS = 10;

/** `?tier=HIGH,critical` as tier names; an unknown one is a 400 naming the query parameter. */
export function tierFilter(q: unknown): string[] | undefined {
  if (q === undefined) return undefined;
  const names = String(q).split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const bad = names.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (bad.length || !names.length) throw new TideoverError('INVALID_BODY', `tier must be a comma-separated list of ${TIERS.join(', ')}.`, [{ pointer: '/query/tier', message: `unknown tier ${JSON.stringify(bad[0] ?? String(q)).slice(0, 80)}` }]);
  return names;
}

/** The outreach query: `dueBy` a date, `limit` 1..10000 (default 1000), an optional cursor. */
export function outreachQuery(q: Record<string, unknown>): { dueBy: string; limit: number; cursor?: string } {
  const dueBy = q.dueBy;
  if (typeof dueBy !== 'string' || !isValidIsoDate(dueBy)) throw new TideoverError('INVALID_BODY', 'dueBy must be a date YYYY-MM-DD.', [{ pointer: '/query/dueBy', message: `dueBy must be a date YYYY-MM-DD, got ${JSON.stringify(dueBy ?? null).slice(0, 40)}` }]);
  const raw = q.limit ?? '1000';
  const limit = Number(raw);
  if (typeof raw !== 'string' || !/^\d{1,5}$/.test(raw) || limit < 1 || limit > 10000) throw new TideoverError('INVALID_BODY', 'limit must be a whole number from 1 to 10000.', [{ pointer: '/query/limit', message: 'limit must be 1 to 10000' }]);
  return { dueBy, limit, ...(typeof q.cursor === 'string' ? { cursor: q.cursor } : {}) };
}

/**
 * Screening runs: a book is accepted (202), screened in the background record by record with results
 * written in batches keyed by (run, loan), and finished by one SCREENING_RUN record in the audit chain —
 * durable before the run reads SUCCEEDED. Tier counts of a finished run are read back from the store.
 */
export class ScreeningService {
  private readonly running = new Set<Promise<void>>();
  constructor(private readonly deps: ScreeningServiceDeps) {}

  async start(input: BookInput, callerKeyId: string | null): Promise<ScreeningRunView> {
    const found = await this.deps.policySource();
    const { policies, problems } = checkScreeningPolicies(found.screening);
    if (!policies.length) {
      await input.dispose();
      throw new TideoverError('NO_POLICY', `No screening policy passes its tests: ${problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ') || 'none is loaded'}.`);
    }
    const tally = new ScreeningTally();
    const run: StoredScreeningRun = { id: this.deps.ids.next(), status: 'QUEUED', createdAt: this.deps.clock.now(), callerKeyId, format: input.format, inputSha256: input.sha256, inputBytes: input.bytes, bytesDone: 0, counts: tally.counts };
    await this.deps.store.createRun(run);
    const accepted = view(run, tally.counts);
    const job = this.process(run, input, policies, tally)
      .catch((e) => this.deps.onError?.(run.id, e))
      .finally(() => this.running.delete(job));
    this.running.add(job);
    return accepted;
  }

  /** Waits for the runs in progress (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  async get(id: string): Promise<ScreeningRunView> {
    const run = await this.deps.store.getRun(id);
    if (!run) throw new TideoverError('NOT_FOUND', `No screening run ${id.slice(0, 100)}.`);
    return view(run, run.counts as ScreeningCounts);
  }

  /** A run's results in loanId order, page by page so a book of any size streams in flat memory. */
  async *results(id: string, tiers?: string[]): AsyncGenerator<string> {
    await this.get(id);
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.store.results(id, { ...(tiers ? { tiers } : {}), ...(after !== undefined ? { afterLoanId: after } : {}), limit: 1000 });
      for (const r of page) yield r.body;
      if (page.length < 1000) return;
      after = page[page.length - 1]!.loanId;
    }
  }

  /** Loans to contact by `dueBy`, earliest first, from each loan's latest finished run, with a cursor for the next page. */
  async outreach(dueBy: string, limit: number, cursor?: string): Promise<{ loans: OutreachLoan[]; nextCursor?: string }> {
    let after: { contactBy: string; loanId: string } | undefined;
    if (cursor !== undefined) {
      const [contactBy, loanId] = Buffer.from(cursor, 'base64url').toString('utf8').split('\n');
      if (!contactBy || loanId === undefined) throw new TideoverError('INVALID_BODY', 'The cursor is not one this service gave.', [{ pointer: '/cursor', message: 'cursor is not valid' }]);
      after = { contactBy, loanId };
    }
    const rows = await this.deps.store.outreach(dueBy, { ...(after ? { after } : {}), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      loans: page.map((r) => withMessage(r.runId, JSON.parse(r.body) as ScreeningResult)),
      ...(rows.length > limit && last ? { nextCursor: Buffer.from(`${last.contactBy}\n${last.loanId}`).toString('base64url') } : {}),
    };
  }

  private async process(run: StoredScreeningRun, input: BookInput, policies: CompiledScreeningPolicy[], tally: ScreeningTally): Promise<void> {
    const { store } = this.deps;
    const batchSize = this.deps.batchSize ?? 500;
    try {
      run.status = 'RUNNING';
      run.startedAt = this.deps.clock.now();
      await store.updateRun(run);
      const screener = new Screener({ screeningPolicies: policies, decisionPolicies: this.deps.decisionPolicies, ...(this.deps.schedules ? { schedules: this.deps.schedules } : {}) });
      let batch: StoredScreeningResult[] = [];
      const flush = async () => {
        await store.putResults(run.id, batch);
        batch = [];
        run.bytesDone = input.bytesRead();
        await store.updateRun(run);
      };
      await screener.run(input.records(), {
        result: async (r) => {
          batch.push({ loanId: r.loanId, tier: r.tier, contactBy: r.contactBy ?? null, body: JSON.stringify(r) });
          if (batch.length >= batchSize) await flush();
        },
        invalid: () => {},
      }, undefined, tally);
      await flush();
      const stored = await store.countByTier(run.id);
      const c = tally.counts;
      // A loan id twice in one book is stored once: the run's counts are what the store holds.
      for (const t of Object.keys(c.byTier) as (keyof typeof c.byTier)[]) c.byTier[t] = stored[t] ?? 0;
      c.screened = Object.values(stored).reduce((a, b) => a + b, 0);
      const used = policies.filter((p) => c.policies[`${p.id}@${p.version}`] !== undefined);
      const main = used[0] ?? policies[0]!;
      const event = await appendEvent(this.deps.audit, {
        id: this.deps.ids.next(),
        type: 'SCREENING_RUN',
        at: this.deps.clock.now(),
        callerKeyId: run.callerKeyId,
        data: { runId: run.id, policies: used.map((p) => ({ id: p.id, version: p.version, sha256: p.sha256 })), input: { sha256: run.inputSha256, bytes: run.inputBytes, format: run.format }, counts: { read: c.read, screened: c.screened, invalid: c.invalid, offers: c.offers, byTier: c.byTier } },
        policy: { id: main.id, version: main.version, sha256: main.sha256, source: main.source },
        versions: this.deps.versions,
      });
      run.auditSeq = event.seq;
      run.bytesDone = run.inputBytes;
      run.status = 'SUCCEEDED';
      run.finishedAt = this.deps.clock.now();
      await store.updateRun(run);
    } catch (e) {
      run.status = 'FAILED';
      run.error = (e as Error).message;
      run.finishedAt = this.deps.clock.now();
      await store.updateRun(run).catch(() => undefined);
      throw e;
    } finally {
      await input.dispose();
    }
  }
}

/** A loan to contact: its result, the run it came from, and the outreach message made of its top 4 reasons. */
export type OutreachLoan = ScreeningResult & { runId: string; message: { en: string; zh: string } };

const MESSAGE_REASONS = 4;

function withMessage(runId: string, r: ScreeningResult): OutreachLoan {
  const top = r.reasons.slice(0, MESSAGE_REASONS);
  return { runId, ...r, message: { en: top.map((x) => x.text.en).join(' '), zh: top.map((x) => x.text.zh).join('') } };
}

function view(run: StoredScreeningRun, counts: ScreeningCounts): ScreeningRunView {
  const { counts: _c, bytesDone, ...rest } = run;
  const tally = new ScreeningTally();
  tally.merge(counts);
  return {
    ...rest,
    progress: { bytesDone, inputBytes: run.inputBytes, fraction: run.inputBytes ? Math.min(1, Math.round((bytesDone / run.inputBytes) * 1000) / 1000) : 1, records: counts.read },
    summary: { ...tally.counts, topReasons: tally.topReasons(TOP_REASONS) },
  };
}
