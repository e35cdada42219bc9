// The job-queue port in one process, for the SQLite default: chunks run in order on this process's event
// loop; a chunk whose handler throws is tried again, up to three times.
import type { JobQueue, ScreeningChunkJob } from '../../ports/job-queue.js';

export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly pending: ScreeningChunkJob[] = [];
  private handler: ((job: ScreeningChunkJob) => Promise<void>) | undefined;
  private running = false;
  private stopped = false;

  /** `onFailed` hears of a chunk that failed three times; the run waiting for it is then failed by its caller. */
  constructor(private readonly onFailed: (job: ScreeningChunkJob, e: unknown) => void = () => {}) {}

  async send(job: ScreeningChunkJob): Promise<void> {
    this.pending.push(job);
    this.pump();
  }

  async work(handler: (job: ScreeningChunkJob) => Promise<void>): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  private pump(): void {
    if (this.running || !this.handler || this.stopped) return;
    this.running = true;
    void (async () => {
      while (this.pending.length && !this.stopped) {
        const job = this.pending.shift()!;
        for (let attempt = 1; ; attempt++) {
          try {
            await this.handler!(job);
            break;
          } catch (e) {
            if (attempt >= 3) {
              this.onFailed(job, e);
              break;
            }
          }
        }
      }
    })().finally(() => {
      this.running = false;
      if (this.pending.length && !this.stopped) this.pump();
    });
  }
}
