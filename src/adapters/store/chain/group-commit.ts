// Group commit: appends that arrive while a transaction is being prepared or is in flight share the next one,
// so one fsync (SQLite) or one round of head locking (Postgres) serves many callers.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

interface Waiter<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: Error) => void;
}

export interface GroupCommitStats {
  commits: number;
  failedCommits: number;
  largestBatch: number;
}

export class GroupCommit<T, R> {
  private queue: Waiter<T, R>[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;
  readonly stats: GroupCommitStats = { commits: 0, failedCommits: 0, largestBatch: 0 };

  /**
   * `write` runs one transaction for the whole batch and settles each item; if it throws, nothing was
   * committed and every item rejects with `failure(err)`.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<Settled<R>[]>,
    private readonly failure: (err: unknown) => Error,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far has been settled. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      if (!this.running) this.start();
      await this.running;
    }
  }

  // setImmediate lets every append issued in the current tick (e.g. a burst of requests) join the batch.
  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running && this.queue.length > 0) this.start();
    });
  }

  private start(): void {
    this.running = this.flushAll().finally(() => {
      this.running = undefined;
      // Items queued after the loop saw an empty queue but before this callback would otherwise wait forever.
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) await this.flush(this.queue.splice(0, this.maxBatch));
  }

  private async flush(batch: Waiter<T, R>[]): Promise<void> {
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    let results: Settled<R>[];
    try {
      results = await this.write(batch.map((w) => w.item));
    } catch (err) {
      this.stats.failedCommits++;
      const error = this.failure(err);
      for (const w of batch) w.reject(error);
      return;
    }
    this.stats.commits++;
    batch.forEach((w, i) => {
      const result = results[i];
      if (!result) w.reject(new Error('group commit: driver returned too few results'));
      else if (result.ok) w.resolve(result.value);
      else w.reject(result.error);
    });
  }
}
