import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { awaitRun, submitRun } from '../../app/screening-distributed.js';
import type { CompiledScreeningPolicy, Tier } from '../../core/screening/model.js';
import { decisionIds } from '../decision-ids.js';
import { openPgBossQueue } from '../queue/pg-boss-queue.js';
import type { BookFormat } from '../screening/snapshot-reader.js';
import { spoolBook } from '../screening/spool.js';
import { openAuditStore } from '../store/open.js';
import { openScreeningStore } from '../store/open-screening-store.js';
import { formatScreeningSummary, screeningProgress } from './screen-summary.js';

/**
 * `tideover screen --workers N` on PostgreSQL: this process queues the book's chunks and starts N local
 * `tideover worker` processes (workers started elsewhere against the same AUDIT_URL join in), waits for
 * the run, then writes the results from the store and prints the summary.
 */
export async function screenWithWorkers(o: { loans: string; out: string; format: BookFormat; workers: number; tiers?: Set<Tier>; policyDir: string; policies: CompiledScreeningPolicy[]; versions: { tideover: string; jsonRulesEngine: string } }, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const url = process.env.AUDIT_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) return err('tideover screen: --workers needs AUDIT_URL=postgres://… (workers share the run through PostgreSQL)'), 2;
  const started = performance.now();
  const store = await openScreeningStore(url);
  const audit = await openAuditStore(url, { now: () => new Date() });
  const queue = await openPgBossQueue(url);
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < o.workers; i++)
      children.push(spawn(process.execPath, [process.argv[1]!, 'worker', '--policies', o.policyDir], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env }));
    const deps = { store, queue, audit, clock: { now: () => new Date().toISOString() }, ids: decisionIds, versions: o.versions, policies: o.policies };
    const input = await spoolBook(o.loans === '-' ? process.stdin : createReadStream(o.loans), o.format, Number.MAX_SAFE_INTEGER);
    const { run, chunks } = await submitRun(deps, input, null);
    const bar = screeningProgress(input.bytes);
    const { tally } = await awaitRun(deps, run, chunks, { pollMs: 200, onProgress: (_done, c) => bar.update(c.read, (input.bytes * _done) / Math.max(chunks, 1)) });
    bar.done();
    const toStdout = o.out === '-';
    const sink: Writable = toStdout ? process.stdout : createWriteStream(o.out);
    let written = 0;
    let after: string | undefined;
    for (;;) {
      const page = await store.results(run.id, { limit: 1000, ...(o.tiers ? { tiers: [...o.tiers] } : {}), ...(after !== undefined ? { afterLoanId: after } : {}) });
      for (const r of page) {
        written++;
        if (!sink.write(`${r.body}\n`)) await new Promise<void>((ok) => sink.once('drain', ok));
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.loanId;
    }
    if (!toStdout) {
      sink.end();
      await finished(sink);
    }
    (toStdout ? err : out)(formatScreeningSummary(tally, (performance.now() - started) / 1000, written) + `\n  run ${run.id}: ${chunks} chunks, ${o.workers} local worker(s)`);
    return 0;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((ok) => c.once('exit', ok)) : undefined)));
    await queue.stop();
    await store.close();
    await audit.close();
  }
}
