import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { awaitRun, submitRun, type CoordinatorDeps } from '../../src/app/screening-distributed.js';
import { prepareScreening } from '../../src/app/screening-policies.js';
import { Screener, type ScreeningResult } from '../../src/app/screening-run.js';
import { decisionIds } from '../../src/adapters/decision-ids.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { openPgBossQueue } from '../../src/adapters/queue/pg-boss-queue.js';
import { readBook } from '../../src/adapters/screening/snapshot-reader.js';
import { spoolBook } from '../../src/adapters/screening/spool.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { openScreeningStore } from '../../src/adapters/store/open-screening-store.js';
import { CLI } from '../helpers/cli.js';
import { ROOT } from '../helpers/app.js';
import { PG_URL, freshSchema } from '../helpers/postgres.js';

const { schema, url, drop } = freshSchema('screening_workers');
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await drop();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'worker'], {
    cwd: ROOT,
    env: { ...process.env, AUDIT_URL: url, POLICY_DIR: join(ROOT, 'policies'), SCREENING_CHUNK_EXPIRE_SECONDS: '4', SCREENING_SUPERVISE_SECONDS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('screening with worker processes on PostgreSQL', () => {
  it('three workers, one killed with SIGKILL mid-run: the results equal a single-process run, every loan once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-workers-'));
    const bookFile = join(dir, 'book.ndjson');
    const gen = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', '4000', '--seed', '99', '--invalid', '4'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    writeFileSync(bookFile, gen.stdout);

    // The reference: the same book screened in this process.
    const setup = await prepareScreening(await loadPolicyFiles([join(ROOT, 'policies')]), evaluatorFactory('compiled'), new Date().toISOString());
    const screener = new Screener({ screeningPolicies: setup.screeningPolicies, decisionPolicies: () => setup.decisionPolicies });
    const expected = new Map<string, ScreeningResult>();
    const single = await screener.run(readBook(Readable.from([gen.stdout]), 'ndjson'), { result: (r) => void expected.set(r.loanId, r), invalid: () => {} });

    const store = await openScreeningStore(url);
    const audit = await openAuditStore(url, { now: () => new Date() });
    const queue = await openPgBossQueue(url, { expireInSeconds: 4, superviseSeconds: 1 });
    try {
      const deps: CoordinatorDeps = { store, queue, audit, clock: { now: () => new Date().toISOString() }, ids: decisionIds, versions: { tideover: 'test', jsonRulesEngine: '7.3.1' }, policies: setup.screeningPolicies, chunkSize: 250 };
      const workers = [startWorker(), startWorker(), startWorker()];
      const { run, chunks } = await submitRun(deps, await spoolBook(createReadStream(bookFile), 'ndjson', 1 << 30), 'test');
      expect(chunks).toBe(16);

      // Killed while it holds a chunk (it says so on stderr as it takes one), so that chunk must be retried.
      let killed = false;
      let stderr = '';
      workers[0]!.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!killed && / taken /.test(stderr)) {
          killed = true;
          workers[0]!.kill('SIGKILL');
        }
      });
      const finished = await awaitRun(deps, run, chunks, { pollMs: 100, timeoutMs: 150_000 });
      expect(killed).toBe(true);
      expect(workers[0]!.signalCode ?? 'SIGKILL').toBe('SIGKILL');

      expect(finished.run.status).toBe('SUCCEEDED');
      expect(finished.tally.counts).toMatchObject({ read: single.counts.read, screened: single.counts.screened, invalid: single.counts.invalid, offers: single.counts.offers, byTier: single.counts.byTier });
      const got = new Map<string, ScreeningResult>();
      let after: string | undefined;
      for (;;) {
        const page = await store.results(run.id, { limit: 1000, ...(after ? { afterLoanId: after } : {}) });
        for (const r of page) got.set(r.loanId, JSON.parse(r.body) as ScreeningResult);
        if (page.length < 1000) break;
        after = page[page.length - 1]!.loanId;
      }
      expect(got.size).toBe(expected.size);
      for (const [loanId, r] of expected) expect(got.get(loanId), loanId).toEqual(r);
      // The chunk the killed worker held was expired by pg-boss and taken again by another worker.
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      const retried = await c.query(`SELECT count(*)::int AS n FROM "${schema}_pgboss".job WHERE name = 'screening-chunks' AND retry_count > 0`).finally(() => c.end());
      expect(retried.rows[0].n).toBeGreaterThanOrEqual(1);
      const events = (await audit.list({ applicationId: 'event:SCREENING_RUN', limit: 10 })).records;
      expect(events.map((e) => (e.decision as { data: { runId: string } }).data.runId)).toEqual([run.id]);
    } finally {
      for (const w of children) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
      await queue.stop();
      await store.close();
      await audit.close();
    }
  }, 200_000);
});
