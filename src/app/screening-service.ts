import type { ScheduleBuilder } from '../core/money/schedule-api.js';
import { TideoverError } from '../core/errors.js';
import type { CompiledScreeningPolicy } from '../core/screening/model.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { ScreeningStore, SpoolRef, StoredScreeningResult, StoredScreeningRun } from '../ports/screening-store.js';
import type { PolicySet } from './policy-set.js';
import { checkScreeningPolicies, type ScreeningSource } from './screening-policies.js';
import { BookUnreadable, claimStaleRuns, LeaseLost, recordRunOnce, RunLease, StoreUnavailable, throughStore, type LeaseTiming } from './screening-lease.js';
import { Screener, storedResult, type RawRecord, type ScreeningResult } from './screening-run.js';
import { ScreeningTally, type ScreeningCounts } from './screening-tally.js';

/** A book received whole (spooled by the adapter), readable as records as many times as needed. */
export interface BookInput {
  format: 'ndjson' | 'csv';
  sha256: string;
  bytes: number;
  records(): AsyncIterable<RawRecord>;
  /** Bytes of the input read so far by the current `records()`. */
  bytesRead(): number;
  /** Removes the spooled book. */
  dispose(): Promise<void>;
  /** Makes the spooled book durable under the run's name, so whoever resumes the run can read it again. */
  keep?(runId: string): Promise<SpoolRef>;
}

/** Where books accepted over HTTP are kept until their run has finished. */
export interface BookSpool {
  /** The run's spooled book, read from the start; BookUnreadable when this instance cannot read it. */
  reopen(run: StoredScreeningRun): Promise<BookInput>;
  /** Whether this instance sees the run's spooled book. */
  has(run: StoredScreeningRun): Promise<boolean>;
  /** Removes the run's spooled book, when this instance can see it. */
  remove(run: StoredScreeningRun): Promise<void>;
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
  /** Reopens the books of runs this instance resumes. */
  spool?: BookSpool;
  /** Owner lease of each run: 30 s unless set. */
  lease?: LeaseTiming;
  /** This instance's name as the owner of its runs (unique per process). */
  owner?: string;
}

export interface ScreeningRunView extends Omit<StoredScreeningRun, 'counts' | 'bytesDone' | 'spool' | 'eventId'> {
  progress: { bytesDone: number; inputBytes: number; fraction: number; records: number };
  summary: ScreeningCounts & { topReasons: { code: string; loans: number }[] };
}

const TOP_REASONS = 10;

/**
 * Screening runs: a book is accepted (202), screened in the background record by record with results
 * written in batches keyed by (run, loan), and finished by one SCREENING_RUN record in the audit chain —
 * durable before the run reads SUCCEEDED. Tier counts of a finished run are read back from the store.
 * Each run has an owner lease (screening-lease.ts): a run whose owner died is claimed by another instance,
 * or by the same one restarted, and screened again from the start of its spooled book.
 */
export class ScreeningService {
  private readonly running = new Map<string, { job: Promise<void>; lease: RunLease }>();
  private stopping = false;
  /** This instance as the owner of the runs it screens. */
  readonly owner: string;
  private readonly timing: LeaseTiming;

  constructor(private readonly deps: ScreeningServiceDeps) {
    this.owner = deps.owner ?? deps.ids.next();
    this.timing = deps.lease ?? { leaseMs: 30_000 };
  }

  async start(input: BookInput, callerKeyId: string | null): Promise<ScreeningRunView> {
    let policies: CompiledScreeningPolicy[];
    let run: StoredScreeningRun;
    const tally = new ScreeningTally();
    const id = this.deps.ids.next();
    const lease = new RunLease(this.deps.store, id, this.owner, this.deps.clock, this.timing);
    try {
      policies = await this.screeningPolicies();
      // The book is durable under the run's name before the run exists, so a claimed run always finds it.
      const spool = input.keep ? await input.keep(id) : undefined;
      run = { id, status: 'QUEUED', createdAt: this.deps.clock.now(), callerKeyId, format: input.format, inputSha256: input.sha256, inputBytes: input.bytes, bytesDone: 0, counts: tally.counts, attempts: 1, ...(spool ? { spool } : {}) };
      await this.deps.store.createRun(run, lease.now());
    } catch (e) {
      await input.dispose();
      throw e;
    }
    const accepted = view(run, tally.counts);
    this.launch(run, lease, async () => ({ input, policies }));
    return accepted;
  }

  /**
   * Claims the runs whose owner stopped heartbeating and screens each again from the start of its book
   * (results are keyed by (run, loan), so the rerun rewrites the same rows). Called at start and on a timer.
   */
  async recover(): Promise<string[]> {
    if (this.stopping) return [];
    const claimed = await claimStaleRuns(this.deps.store, this.owner, this.deps.clock, this.timing.leaseMs, async (id, orphaned) => {
      if (this.running.has(id)) return false;
      if (orphaned || !this.deps.spool) return true;
      // A book this instance cannot see is left a while for its own host, restarted, to resume.
      const run = await this.deps.store.getRun(id);
      return run !== undefined && (run.eventId !== undefined || !run.spool || this.deps.spool.has(run));
    });
    for (const run of claimed) {
      if (this.stopping) {
        await this.deps.store.releaseLease(run.id, this.owner);
        continue;
      }
      run.attempts = (run.attempts ?? 1) + 1;
      run.resumedAt = this.deps.clock.now();
      delete run.error;
      this.launch(run, new RunLease(this.deps.store, run.id, this.owner, this.deps.clock, this.timing), async () => {
        const policies = await this.screeningPolicies();
        // Every result stored and the counts final: only the SCREENING_RUN record may be missing.
        if (run.eventId !== undefined) return { policies };
        if (!run.spool || !this.deps.spool) throw new BookUnreadable("The run's book was not kept when it was accepted, so it cannot be screened again: resubmit the book.");
        return { policies, input: await this.deps.spool.reopen(run) };
      });
    }
    return this.stopping ? [] : claimed.map((r) => r.id);
  }

  /** Waits for the runs in progress (tests). */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.job));
  }

  /** Shutdown: runs in progress stop at their next record and are handed back, claimable at once; their books stay. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const r of this.running.values()) r.lease.stop();
    await this.drain();
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

  private launch(run: StoredScreeningRun, lease: RunLease, open: () => Promise<{ input?: BookInput; policies: CompiledScreeningPolicy[] }>): void {
    lease.beat();
    if (this.stopping) lease.stop(); // accepted while shutting down: handed back at once
    const job = this.process(run, lease, open)
      .catch((e) => this.deps.onError?.(run.id, e))
      .finally(() => {
        void lease.end();
        this.running.delete(run.id);
      });
    this.running.set(run.id, { job, lease });
  }

  private async screeningPolicies(): Promise<CompiledScreeningPolicy[]> {
    const { policies, problems } = checkScreeningPolicies((await this.deps.policySource()).screening);
    if (!policies.length) throw new TideoverError('NO_POLICY', `No screening policy passes its tests: ${problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ') || 'none is loaded'}.`);
    return policies;
  }

  /** Screens the book unless every result is stored already, records the run once, and closes it. */
  private async process(run: StoredScreeningRun, lease: RunLease, open: () => Promise<{ input?: BookInput; policies: CompiledScreeningPolicy[] }>): Promise<void> {
    let input: BookInput | undefined;
    const removeBook = async () => (input ? input.dispose() : run.spool ? this.deps.spool?.remove(run) : undefined);
    try {
      const found = await open();
      input = found.input;
      if (run.eventId === undefined) await this.screen(run, input!, found.policies, lease);
      run.auditSeq = (await throughStore(run.id, () => recordRunOnce(this.deps, run, found.policies))).seq;
      run.bytesDone = run.inputBytes;
      run.status = 'SUCCEEDED';
      run.finishedAt = this.deps.clock.now();
      if (!(await lease.finish(run))) return; // claimed meanwhile: the new owner finds the record by its id
      await removeBook();
    } catch (e) {
      // Handed back or claimed: the book stays for whoever screens the run next.
      if (e instanceof LeaseLost) return e.stopping ? lease.release() : undefined;
      // The store or the audit trail failed, not the run: handed back (claimable at once, by this instance
      // too) and screened again later, its book kept. Only an unreadable book, no policy or bad data fail it.
      if (e instanceof StoreUnavailable) {
        await lease.release();
        throw e;
      }
      run.status = 'FAILED';
      run.error = (e as Error).message;
      run.finishedAt = this.deps.clock.now();
      if (await lease.finish(run).catch(() => false)) await removeBook();
      throw e;
    }
  }

  private async screen(run: StoredScreeningRun, input: BookInput, policies: CompiledScreeningPolicy[], lease: RunLease): Promise<void> {
    const { store } = this.deps;
    const batchSize = this.deps.batchSize ?? 500;
    const tally = new ScreeningTally();
    run.counts = tally.counts;
    run.status = 'RUNNING';
    run.startedAt ??= this.deps.clock.now();
    run.bytesDone = 0;
    await lease.update(run);
    const screener = new Screener({ screeningPolicies: policies, decisionPolicies: this.deps.decisionPolicies, ...(this.deps.schedules ? { schedules: this.deps.schedules } : {}) });
    let batch: StoredScreeningResult[] = [];
    const flush = async () => {
      // Written only while the run is still ours (checked with the write): a claimed run stops here.
      await lease.putResults(batch);
      batch = [];
      run.bytesDone = input.bytesRead();
      await lease.update(run);
    };
    await screener.run(input.records(), {
      result: async (r) => {
        lease.check();
        batch.push(storedResult(r));
        if (batch.length >= batchSize) await flush();
      },
      invalid: () => {},
    }, undefined, tally);
    await flush();
    const stored = await throughStore(run.id, () => store.countByTier(run.id));
    const c = tally.counts;
    // A loan id twice in one book is stored once: the run's counts are what the store holds.
    for (const t of Object.keys(c.byTier) as (keyof typeof c.byTier)[]) c.byTier[t] = stored[t] ?? 0;
    c.screened = Object.values(stored).reduce((a, b) => a + b, 0);
    // Final counts and the record's id saved before the record is written: one record whatever dies when.
    run.eventId = this.deps.ids.next();
    await lease.update(run);
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
  const { counts: _c, bytesDone, spool: _s, eventId: _e, ...rest } = run;
  const tally = new ScreeningTally();
  tally.merge(counts);
  return {
    ...rest,
    progress: { bytesDone, inputBytes: run.inputBytes, fraction: run.inputBytes ? Math.min(1, Math.round((bytesDone / run.inputBytes) * 1000) / 1000) : 1, records: counts.read },
    summary: { ...tally.counts, topReasons: tally.topReasons(TOP_REASONS) },
  };
}
