import type { Command } from 'commander';
import { evaluatorFactory, scheduleBuilder } from '../../app/evaluators.js';
import { screenChunk } from '../../app/screening-distributed.js';
import { prepareScreening } from '../../app/screening-policies.js';
import { Screener } from '../../app/screening-run.js';
import { formatProblem } from '../../core/policy/problem.js';
import { loadPolicyFiles } from '../policies/file-source.js';
import { openPgBossQueue } from '../queue/pg-boss-queue.js';
import { openScreeningStore } from '../store/open-screening-store.js';
import { exitWith } from './program.js';

/** Seconds from the environment, or the default; anything else stops the worker with the variable named. */
function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 86_400) throw new Error(`${name} must be a number of seconds from 1 to 86400, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * `tideover worker`: takes screening chunks from the PostgreSQL queue (AUDIT_URL) until SIGTERM or SIGINT,
 * screening each with the policies of POLICY_DIR (tested first) and committing its results and counts.
 */
export async function workerCommand(o: { policies?: string }, err: (s: string) => void): Promise<number> {
  const url = process.env.AUDIT_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(url)) return err('tideover worker: AUDIT_URL must be a postgres:// URL (workers share the run through PostgreSQL)'), 2;
  const setup = await prepareScreening(await loadPolicyFiles([o.policies ?? process.env.POLICY_DIR ?? 'policies']), evaluatorFactory(process.env.EVALUATOR), new Date().toISOString());
  if (!setup.ok) {
    for (const p of setup.problems.filter((x) => x.severity === 'error')) err(formatProblem(p));
    return err('tideover worker: the policies do not load or fail their tests'), 1;
  }
  const screener = new Screener({ screeningPolicies: setup.screeningPolicies, decisionPolicies: () => setup.decisionPolicies, schedules: scheduleBuilder(process.env.MONEY) });
  const store = await openScreeningStore(url);
  const queue = await openPgBossQueue(url, { expireInSeconds: seconds('SCREENING_CHUNK_EXPIRE_SECONDS', 300), superviseSeconds: seconds('SCREENING_SUPERVISE_SECONDS', 30) });
  // One line per chunk taken: an operator sees which process held a chunk when one dies.
  await queue.work((job) => {
    err(`tideover worker: chunk ${job.chunk} of run ${job.runId} taken (pid ${process.pid})`);
    return screenChunk(job, screener, store);
  });
  err(`tideover worker: taking screening chunks (pid ${process.pid})`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await queue.stop();
  await store.close();
  return 0;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take screening chunks from the PostgreSQL queue (AUDIT_URL) until SIGTERM; run as many as you like, on any machine')
    .option('--policies <dir>', 'policy folder (default: POLICY_DIR or ./policies); the same on every worker')
    .action(async (o: { policies?: string }) => {
      exitWith(await workerCommand(o, (s) => process.stderr.write(`${s}\n`)));
    });
}
