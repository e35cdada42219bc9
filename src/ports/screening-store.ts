// Port for screening runs and their results. Drivers live in src/adapters/store (the audit trail's database:
// SQLite by default, PostgreSQL when AUDIT_URL says so); nothing here may import them.

export type ScreeningRunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface StoredScreeningRun {
  id: string;
  status: ScreeningRunStatus;
  createdAt: string;
  callerKeyId: string | null;
  format: 'ndjson' | 'csv';
  /** sha256 of the input's bytes as received. */
  inputSha256: string;
  inputBytes: number;
  startedAt?: string;
  finishedAt?: string;
  /** Bytes of the input screened so far (progress). */
  bytesDone: number;
  /** The run's counts (ScreeningCounts), updated as it goes and exact once it has finished. */
  counts: unknown;
  /** Sequence number of the run's SCREENING_RUN record in the audit chain. */
  auditSeq?: number;
  error?: string;
  /** 1 when accepted, one more each time another instance (or a restart) resumes the run. */
  attempts?: number;
  /** When the run was last resumed after its owner stopped heartbeating. */
  resumedAt?: string;
  /** Where the book was spooled when accepted: the host, and the file's name in that host's spool folder. */
  spool?: SpoolRef;
  /**
   * Id of the run's SCREENING_RUN record, chosen once every result is stored and saved before the record is
   * appended, so an instance finishing the run after a crash finds the record instead of writing a second.
   */
  eventId?: string;
}

export interface SpoolRef {
  host: string;
  file: string;
}

/**
 * A run's owner lease: the instance screening it (`owner`) and its last heartbeat (`atMs`, ms since the
 * epoch). A run in QUEUED or RUNNING whose heartbeat is older than the lease period may be claimed.
 */
export interface ScreeningLease {
  owner: string;
  atMs: number;
}

/** One loan's result as stored: the result JSON with the columns it is searched by. */
export interface StoredScreeningResult {
  loanId: string;
  tier: string;
  contactBy: string | null;
  /** The ScreeningResult, as JSON text. */
  body: string;
}

export interface OutreachRow {
  runId: string;
  body: string;
}

export interface ScreeningStore {
  readonly kind: 'sqlite' | 'postgres';
  /** With a lease, the run is owned from the start and may be claimed once its heartbeat is stale. */
  createRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<void>;
  /**
   * Replaces the run's row: status, progress, counts. With a lease, only while `lease.owner` still holds the
   * run (its heartbeat refreshed to `lease.atMs`); false when another instance has claimed it.
   */
  updateRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<boolean>;
  /** Refreshes the owner's heartbeat; false when the run is no longer its own. */
  heartbeat(runId: string, lease: ScreeningLease): Promise<boolean>;
  /** Lets the run be claimed at once (its owner stops, e.g. on SIGTERM). */
  releaseLease(runId: string, owner: string): Promise<void>;
  /** Ids of leased runs in QUEUED or RUNNING whose heartbeat is older than `staleBeforeMs`, oldest id first. */
  staleRuns(staleBeforeMs: number, limit: number): Promise<string[]>;
  /**
   * Takes the run over when its lease is still stale: one conditional UPDATE, so of several instances
   * claiming the same run exactly one gets it (the others get undefined).
   */
  claimRun(runId: string, lease: ScreeningLease, staleBeforeMs: number): Promise<StoredScreeningRun | undefined>;
  getRun(id: string): Promise<StoredScreeningRun | undefined>;
  /**
   * Writes results keyed by (run, loanId): a result written twice (a retried chunk) is stored once. With an
   * `owner`, only while that owner still holds the run's lease, checked in the same transaction as the write
   * (a claim waits for it or is seen by it); false, and nothing written, when another instance has claimed it.
   */
  putResults(runId: string, results: StoredScreeningResult[], owner?: string): Promise<boolean>;
  /**
   * A chunk's results and its counts in one transaction: a chunk retried after its worker died writes the
   * same rows again and replaces its counts, so the run's totals stay exact.
   */
  completeChunk(runId: string, chunk: number, results: StoredScreeningResult[], counts: unknown): Promise<void>;
  /** Counts of the run's completed chunks. */
  chunkCounts(runId: string): Promise<unknown[]>;
  /** Loans per tier as stored: exact whatever was retried. */
  countByTier(runId: string): Promise<Record<string, number>>;
  /** A page of results in loanId order after `afterLoanId`, optionally of some tiers only. */
  results(runId: string, opts: { tiers?: string[]; afterLoanId?: string; limit: number }): Promise<StoredScreeningResult[]>;
  /**
   * Loans to contact by `dueBy`: each loan's result from its latest finished run, when it has a contact
   * date on or before `dueBy`; earliest contact date first, then loanId.
   */
  outreach(dueBy: string, opts: { after?: { contactBy: string; loanId: string }; limit: number }): Promise<(StoredScreeningResult & { runId: string })[]>;
  close(): Promise<void>;
}
