import { TideoverError } from '../core/errors.js';
import type { CompiledScreeningPolicy } from '../core/screening/model.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { JobQueue, ScreeningChunkJob } from '../ports/job-queue.js';
import type { ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../ports/screening-store.js';
import { appendEvent } from './audit-events.js';
import type { BookInput } from './screening-service.js';
import { storedResult, type Screener } from './screening-run.js';
import { ScreeningTally, type ScreeningCounts } from './screening-tally.js';

/**
 * Screening across processes and machines: the coordinator cuts the book into chunks by input position and
 * queues them; `tideover worker` processes take chunks, screen them and commit each chunk's results with
 * its counts in one transaction keyed by (run, loan) and (run, chunk). A chunk retried after its worker died
 * rewrites the same rows, so the run's counts are exact: no loan missed, none counted twice.
 */

/** Screens one chunk and commits its results and counts together. */
export async function screenChunk(job: ScreeningChunkJob, screener: Screener, store: ScreeningStore): Promise<void> {
  const tally = new ScreeningTally();
  const results: StoredScreeningResult[] = [];
  for (const raw of job.records) {
    const out = await screener.screen(raw);
    if (out.result) {
      tally.add(out.result, out.policy);
      results.push(storedResult(out.result));
    } else tally.addInvalid(out.invalid);
  }
  await store.completeChunk(job.runId, job.chunk, results, tally.counts);
}

export interface CoordinatorDeps {
  store: ScreeningStore;
  queue: JobQueue;
  audit: AuditStore;
  clock: Clock;
  ids: IdGenerator;
  versions: { tideover: string; jsonRulesEngine: string };
  /** The screening policies the workers run (the same policy folder everywhere), for the audit record's snapshot. */
  policies: readonly CompiledScreeningPolicy[];
  chunkSize?: number;
}

/** Creates the run and queues its chunks; the answer says how many chunks to wait for. */
export async function submitRun(deps: CoordinatorDeps, input: BookInput, callerKeyId: string | null): Promise<{ run: StoredScreeningRun; chunks: number }> {
  const size = deps.chunkSize ?? 1000;
  const run: StoredScreeningRun = { id: deps.ids.next(), status: 'RUNNING', createdAt: deps.clock.now(), startedAt: deps.clock.now(), callerKeyId, format: input.format, inputSha256: input.sha256, inputBytes: input.bytes, bytesDone: 0, counts: new ScreeningTally().counts };
  await deps.store.createRun(run);
  let chunk = 0;
  let records: ScreeningChunkJob['records'] = [];
  for await (const r of input.records()) {
    records.push(r);
    if (records.length >= size) {
      await deps.queue.send({ runId: run.id, chunk: chunk++, records });
      records = [];
    }
  }
  if (records.length) await deps.queue.send({ runId: run.id, chunk: chunk++, records });
  await input.dispose();
  return { run, chunks: chunk };
}

/**
 * Waits until every chunk is committed, then closes the run: counts merged from the chunks (tiers read back
 * from the store), one SCREENING_RUN record in the audit chain, status SUCCEEDED.
 */
export async function awaitRun(deps: CoordinatorDeps, run: StoredScreeningRun, chunks: number, o: { pollMs?: number; timeoutMs?: number; onProgress?: (done: number, counts: ScreeningCounts) => void } = {}): Promise<{ run: StoredScreeningRun; tally: ScreeningTally }> {
  const pollMs = o.pollMs ?? 500;
  // Time is counted in polls, not read from a clock: the run fails after timeoutMs of polling.
  const maxPolls = Math.ceil((o.timeoutMs ?? 24 * 3600_000) / pollMs);
  let done: unknown[] = [];
  for (let poll = 0; ; poll++) {
    done = await deps.store.chunkCounts(run.id);
    const tally = merged(done);
    o.onProgress?.(done.length, tally.counts);
    if (done.length >= chunks) break;
    if (poll >= maxPolls) {
      await deps.store.updateRun({ ...run, status: 'FAILED', finishedAt: deps.clock.now(), error: `${chunks - done.length} of ${chunks} chunks not done in time`, counts: tally.counts });
      throw new TideoverError('TIMEOUT', `screening run ${run.id}: ${chunks - done.length} of ${chunks} chunks not done in time`);
    }
    await new Promise((ok) => setTimeout(ok, pollMs));
  }
  const tally = merged(done);
  const c = tally.counts;
  const stored = await deps.store.countByTier(run.id);
  for (const t of Object.keys(c.byTier) as (keyof typeof c.byTier)[]) c.byTier[t] = stored[t] ?? 0;
  c.screened = Object.values(stored).reduce((a, b) => a + b, 0);
  const used = deps.policies.filter((p) => c.policies[`${p.id}@${p.version}`] === p.sha256);
  const main = used[0] ?? deps.policies[0];
  if (!main) throw new TideoverError('NO_POLICY', 'no screening policy to record the run under');
  const event = await appendEvent(deps.audit, {
    id: deps.ids.next(),
    type: 'SCREENING_RUN',
    at: deps.clock.now(),
    callerKeyId: run.callerKeyId,
    data: { runId: run.id, chunks, policies: Object.entries(c.policies).map(([k, sha256]) => ({ id: k.split('@')[0], version: k.split('@')[1], sha256 })), input: { sha256: run.inputSha256, bytes: run.inputBytes, format: run.format }, counts: { read: c.read, screened: c.screened, invalid: c.invalid, offers: c.offers, byTier: c.byTier } },
    policy: { id: main.id, version: main.version, sha256: main.sha256, source: main.source },
    versions: deps.versions,
  });
  const finished: StoredScreeningRun = { ...run, status: 'SUCCEEDED', finishedAt: deps.clock.now(), bytesDone: run.inputBytes, counts: c, auditSeq: event.seq };
  await deps.store.updateRun(finished);
  return { run: finished, tally };
}

function merged(chunks: unknown[]): ScreeningTally {
  const tally = new ScreeningTally();
  for (const c of chunks) tally.merge(c as ScreeningCounts);
  return tally;
}
