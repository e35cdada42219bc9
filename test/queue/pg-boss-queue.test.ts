import { afterAll, describe, expect, it } from 'vitest';
import { openPgBossQueue } from '../../src/adapters/queue/pg-boss-queue.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { freshSchema } from '../helpers/postgres.js';

// The real pg-boss on the PostgreSQL of this machine and CI, in a fresh schema.
const { url, drop } = freshSchema('queue');
const queues: JobQueue[] = [];

afterAll(async () => {
  for (const q of queues) await q.stop().catch(() => undefined);
  await drop();
});

describe('the pg-boss job queue', () => {
  it('a worker that finishes a chunk takes the next at once instead of waiting out the polling interval', async () => {
    // A 20 s polling interval: were the worker to wait it out after each chunk, four chunks would take a minute.
    const queue = await openPgBossQueue(url, { pollingSeconds: 20 });
    queues.push(queue);
    for (let chunk = 0; chunk < 4; chunk++) await queue.send({ runId: 'run-1', chunk, records: [] });
    const done: number[] = [];
    const allDone = new Promise<void>((resolve) => {
      void queue.work(async (job) => {
        done.push(job.chunk);
        if (done.length === 4) resolve();
      });
    });
    const waited = await Promise.race([allDone.then(() => 'all four'), new Promise((r) => setTimeout(() => r('still waiting after 15 s'), 15_000))]);
    expect(waited).toBe('all four');
    expect([...done].sort()).toEqual([0, 1, 2, 3]);
  }, 30_000);
});
