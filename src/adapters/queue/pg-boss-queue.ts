// The job-queue port on pg-boss 10 (PostgreSQL): every worker process sharing the database takes chunks;
// a chunk whose worker died is expired by pg-boss's supervisor and retried by another worker.
import PgBoss from 'pg-boss';
import type { JobQueue, ScreeningChunkJob } from '../../ports/job-queue.js';
import { parsePostgresUrl } from '../store/postgres/driver.js';

const QUEUE = 'screening-chunks';

export interface PgBossOptions {
  /** A chunk not finished within this is taken to be lost with its worker and retried (default 300). */
  expireInSeconds?: number;
  /** How often pg-boss expires lost chunks (default 30). */
  superviseSeconds?: number;
  pollingSeconds?: number;
}

class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  constructor(
    private readonly boss: PgBoss,
    private readonly o: Required<PgBossOptions>,
  ) {}

  async send(job: ScreeningChunkJob): Promise<void> {
    await this.boss.send(QUEUE, job as unknown as object, { retryLimit: 50, retryDelay: 0, expireInSeconds: this.o.expireInSeconds });
  }

  async work(handler: (job: ScreeningChunkJob) => Promise<void>): Promise<void> {
    const self: { id?: string } = {};
    self.id = await this.boss.work<ScreeningChunkJob>(QUEUE, { batchSize: 1, pollingIntervalSeconds: this.o.pollingSeconds }, async ([job]) => {
      if (!job) return;
      await handler(job.data);
      // pg-boss waits out the polling interval after every job; a worker that just finished a chunk asks for the
      // next at once instead (a chunk takes ~50–100 ms: the wait had made each worker idle ~80 % of the time).
      // An empty fetch is not followed by a notification, so an idle queue is still polled at the interval.
      if (self.id !== undefined) this.boss.notifyWorker(self.id);
    });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** pg-boss in its own schema beside the audit trail's (`<schema>_pgboss`), created on first start. */
export async function openPgBossQueue(url: string, options: PgBossOptions = {}): Promise<JobQueue> {
  const { connectionString, schema } = parsePostgresUrl(url);
  const o = { expireInSeconds: options.expireInSeconds ?? 300, superviseSeconds: options.superviseSeconds ?? 30, pollingSeconds: options.pollingSeconds ?? 0.5 };
  const boss = new PgBoss({ connectionString, schema: `${schema}_pgboss`.slice(0, 63), max: 4, application_name: 'tideover-queue', maintenanceIntervalSeconds: o.superviseSeconds });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue(QUEUE);
  return new PgBossQueue(boss, o);
}
