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
  createRun(run: StoredScreeningRun): Promise<void>;
  /** Replaces the run's row: status, progress, counts. */
  updateRun(run: StoredScreeningRun): Promise<void>;
  getRun(id: string): Promise<StoredScreeningRun | undefined>;
  /** Writes results keyed by (run, loanId): a result written twice (a retried chunk) is stored once. */
  putResults(runId: string, results: StoredScreeningResult[]): Promise<void>;
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
