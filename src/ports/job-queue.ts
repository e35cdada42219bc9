// Port for the queue that hands screening chunks to workers: pg-boss on PostgreSQL (workers on any machine),
// an in-process queue for the SQLite default. Retries and expiry are the queue's job, not the caller's.

/** One chunk of a screening run: records read from the book, with their line numbers. */
export interface ScreeningChunkJob {
  runId: string;
  chunk: number;
  records: { line: number; value?: unknown; errors?: { field: string; message: string }[] }[];
}

export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  send(job: ScreeningChunkJob): Promise<void>;
  /** Takes chunks one at a time until stopped; a handler that throws (or a worker that dies) has its chunk retried. */
  work(handler: (job: ScreeningChunkJob) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
