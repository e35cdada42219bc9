import type { CompiledScreeningPolicy } from '../core/screening/model.js';
import type { AuditEvent } from '../generated/audit-event.js';
import { TideoverError } from '../core/errors.js';
import { AuditStoreError, type AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { ScreeningLease, ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../ports/screening-store.js';
import { appendEvent, eventOf } from './audit-events.js';
import type { ScreeningCounts } from './screening-tally.js';

/**
 * Owner leases of screening runs accepted over HTTP. The instance screening a run refreshes its heartbeat
 * in the screening store at every results flush and on a timer; a run in QUEUED or RUNNING whose heartbeat
 * is older than the lease period has lost its owner (killed, crashed, redeployed) and another instance (or
 * the same one restarted) claims it with one conditional UPDATE and screens it again from its spooled book.
 * Every write of the run by its owner is conditional on still holding the lease, so an owner that was only
 * paused and finds its run claimed stops instead of racing the new owner.
 */

/** The run is no longer this instance's: claimed by another, or handed back because this one is stopping. */
export class LeaseLost extends Error {
  constructor(
    runId: string,
    readonly stopping: boolean,
  ) {
    super(stopping ? `screening run ${runId} handed back: this instance is stopping` : `screening run ${runId} was claimed by another instance`);
    this.name = 'LeaseLost';
  }
}

/** The spooled book of a run cannot be read by this instance; the message says why and to resubmit. */
export class BookUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BookUnreadable';
  }
}

/**
 * The screening store or the audit trail failed (unreachable, timed out, closed, busy) while the run was being
 * screened or recorded: nothing is wrong with the run, so it is handed back to be resumed later, not FAILED.
 */
export class StoreUnavailable extends Error {
  constructor(
    readonly runId: string,
    cause: unknown,
  ) {
    super(`screening run ${runId} handed back, to be resumed later: the store failed (${(cause as Error)?.message ?? String(cause)})`, { cause });
    this.name = 'StoreUnavailable';
  }
}

/**
 * Runs a store or audit call of a run: a failure of the store itself becomes StoreUnavailable; our own errors
 * (LeaseLost, BookUnreadable, TideoverError) and an input the audit trail refuses (a data error) pass as they are.
 */
export async function throughStore<T>(runId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LeaseLost || e instanceof BookUnreadable || e instanceof StoreUnavailable || e instanceof TideoverError) throw e;
    if (e instanceof AuditStoreError && (e.code === 'invalid' || e.code === 'conflict')) throw e;
    throw new StoreUnavailable(runId, e);
  }
}

export interface LeaseTiming {
  /** A heartbeat older than this lets another instance claim the run. */
  leaseMs: number;
  /** How often the owner refreshes its heartbeat between flushes (a third of the lease by default). */
  heartbeatMs?: number;
}

/** The lease one instance holds on one run while it screens it. */
export class RunLease {
  private lost = false;
  private stopping = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The heartbeat query in flight, if any: awaited before the lease is handed back or the run finished. */
  private beating: Promise<void> | undefined;

  constructor(
    private readonly store: ScreeningStore,
    readonly runId: string,
    readonly owner: string,
    private readonly clock: Clock,
    private readonly timing: LeaseTiming,
  ) {}

  /** The lease as of now: the owner and a fresh heartbeat. */
  now(): ScreeningLease {
    return { owner: this.owner, atMs: Date.parse(this.clock.now()) };
  }

  /** Starts the heartbeat timer (it never keeps the process alive on its own). */
  beat(): this {
    const every = this.timing.heartbeatMs ?? Math.max(100, Math.floor(this.timing.leaseMs / 3));
    this.timer = setInterval(() => {
      if (this.beating) return; // the last one has not come back yet
      this.beating = this.store
        .heartbeat(this.runId, this.now())
        .then(
          (held) => void (held || (this.lost = true)),
          () => undefined, // the store is down for a moment: the next flush fails loudly, or a later beat succeeds
        )
        .finally(() => (this.beating = undefined));
    }, every);
    this.timer.unref();
    return this;
  }

  /** Asks the owner to hand the run back at its next step. */
  stop(): void {
    this.stopping = true;
  }

  /** Throws LeaseLost when the run is no longer ours or we are stopping; called at every step of the run. */
  check(): void {
    if (this.stopping || this.lost) throw new LeaseLost(this.runId, this.stopping && !this.lost);
  }

  /** Writes the run while still holding it (its heartbeat refreshed); LeaseLost otherwise. */
  async update(run: StoredScreeningRun): Promise<void> {
    this.check();
    if (!(await throughStore(this.runId, () => this.store.updateRun(run, this.now())))) {
      this.lost = true;
      throw new LeaseLost(this.runId, false);
    }
  }

  /** Writes a batch of the run's results while still holding it, in the same transaction as the check; LeaseLost otherwise. */
  async putResults(results: StoredScreeningResult[]): Promise<void> {
    this.check();
    if (!(await throughStore(this.runId, () => this.store.putResults(this.runId, results, this.owner)))) {
      this.lost = true;
      throw new LeaseLost(this.runId, false);
    }
  }

  /** The last write of a run that ends here (SUCCEEDED or FAILED): made even when stopping, never after a claim. */
  async finish(run: StoredScreeningRun): Promise<boolean> {
    await this.end();
    return !this.lost && throughStore(this.runId, () => this.store.updateRun(run, this.now()));
  }

  /**
   * Stops the heartbeat; a run handed back (on shutdown, or when the store failed) is made claimable at once.
   * A heartbeat still in flight is waited for first: committed after the hand-back, it would make the lease
   * fresh again and the run wait a whole lease.
   */
  async release(): Promise<void> {
    await this.end();
    if (!this.lost) await this.store.releaseLease(this.runId, this.owner).catch(() => undefined);
  }

  /** Stops the heartbeat timer; resolves once a heartbeat in flight has come back. */
  end(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.beating ?? Promise.resolve();
  }
}

/**
 * A run whose book this instance cannot see is left this many leases for an instance that can (its own host
 * restarted, in a rolling deploy) before it is claimed here and failed.
 */
export const UNREADABLE_GRACE_LEASES = 10;

/**
 * Runs whose owner stopped heartbeating, taken over by `owner`: at most one instance gets each. `mayClaim`
 * says whether to take one now; `orphaned` is true once the heartbeat is UNREADABLE_GRACE_LEASES leases old.
 */
export async function claimStaleRuns(store: ScreeningStore, owner: string, clock: Clock, leaseMs: number, mayClaim: (runId: string, orphaned: boolean) => Promise<boolean>): Promise<StoredScreeningRun[]> {
  const nowMs = Date.parse(clock.now());
  const staleBefore = nowMs - leaseMs;
  const stale = await store.staleRuns(staleBefore, 100);
  const orphaned = new Set(stale.length ? await store.staleRuns(nowMs - leaseMs * UNREADABLE_GRACE_LEASES, 100) : []);
  const claimed: StoredScreeningRun[] = [];
  for (const id of stale) {
    if (!(await mayClaim(id, orphaned.has(id)))) continue;
    const run = await store.claimRun(id, { owner, atMs: nowMs }, staleBefore);
    if (run) claimed.push(run);
  }
  return claimed;
}

/**
 * The run's SCREENING_RUN record, written once: its id was saved with the run's final counts before it is
 * appended, so an instance finishing the run after a crash finds the record instead of writing a second.
 */
export async function recordRunOnce(deps: { audit: AuditStore; clock: Clock; versions: { tideover: string; jsonRulesEngine: string } }, run: StoredScreeningRun, policies: CompiledScreeningPolicy[]): Promise<AuditEvent> {
  const { audit } = deps;
  const id = run.eventId!;
  const recorded = await audit.get(id);
  if (recorded) return eventOf(recorded)!;
  const c = run.counts as ScreeningCounts;
  const used = policies.filter((p) => c.policies[`${p.id}@${p.version}`] !== undefined);
  const main = used[0] ?? policies[0]!;
  try {
    return await appendEvent(audit, {
      id,
      type: 'SCREENING_RUN',
      at: deps.clock.now(),
      callerKeyId: run.callerKeyId,
      data: { runId: run.id, policies: used.map((p) => ({ id: p.id, version: p.version, sha256: p.sha256 })), input: { sha256: run.inputSha256, bytes: run.inputBytes, format: run.format }, counts: { read: c.read, screened: c.screened, invalid: c.invalid, offers: c.offers, byTier: c.byTier } },
      policy: { id: main.id, version: main.version, sha256: main.sha256, source: main.source },
      versions: deps.versions,
    });
  } catch (e) {
    // A paused former owner may have written it a moment ago: the id is taken and the record is there.
    const again = await audit.get(id).catch(() => undefined);
    if (again) return eventOf(again)!;
    throw e;
  }
}
