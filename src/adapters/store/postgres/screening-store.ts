// Screening runs and results in the audit trail's PostgreSQL schema, shared by every instance and worker:
// results are keyed by (run, loan), so a chunk retried after a worker died writes each loan once.
import pg from 'pg';
import type { OutreachRow, ScreeningLease, ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../../../ports/screening-store.js';
import { openPoolWithTables } from './open-pool.js';

/** A run that may still be screened, so may be claimed once its heartbeat is stale. */
const OPEN = `status IN ('QUEUED', 'RUNNING')`;

// A schema made before runs had an owner gets the lease columns. Only when they are missing, looked up in
// information_schema first: ALTER TABLE takes an ACCESS EXCLUSIVE lock even when IF NOT EXISTS makes it do
// nothing, so running it on every start would queue each instance's start, and every query of the table
// after it, behind any long read in progress. `s` is the quoted schema name (a plain identifier).
const schemaSql = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}.screening_runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, finished_at TEXT, body TEXT NOT NULL, lease_owner TEXT, heartbeat_ms BIGINT);
DO $lease$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${s.slice(1, -1)}' AND table_name = 'screening_runs' AND column_name = 'lease_owner') THEN
    ALTER TABLE ${s}.screening_runs ADD COLUMN IF NOT EXISTS lease_owner TEXT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${s.slice(1, -1)}' AND table_name = 'screening_runs' AND column_name = 'heartbeat_ms') THEN
    ALTER TABLE ${s}.screening_runs ADD COLUMN IF NOT EXISTS heartbeat_ms BIGINT;
  END IF;
END $lease$;
CREATE TABLE IF NOT EXISTS ${s}.screening_results (
  run_id TEXT NOT NULL,
  loan_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  contact_by TEXT,
  body TEXT NOT NULL,
  PRIMARY KEY (run_id, loan_id)
);
CREATE INDEX IF NOT EXISTS screening_results_loan ON ${s}.screening_results (loan_id);
CREATE TABLE IF NOT EXISTS ${s}.screening_chunks (run_id TEXT NOT NULL, chunk INTEGER NOT NULL, counts TEXT NOT NULL, PRIMARY KEY (run_id, chunk));
CREATE INDEX IF NOT EXISTS screening_results_contact ON ${s}.screening_results (contact_by) WHERE contact_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS screening_runs_open ON ${s}.screening_runs (heartbeat_ms) WHERE ${OPEN};
`;

class PostgresScreeningStore implements ScreeningStore {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  async createRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.s}.screening_runs (id, status, finished_at, body, lease_owner, heartbeat_ms) VALUES ($1, $2, $3, $4, $5, $6)`, [run.id, run.status, run.finishedAt ?? null, JSON.stringify(run), lease?.owner ?? null, lease?.atMs ?? null]);
  }

  async updateRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<boolean> {
    const values = [run.status, run.finishedAt ?? null, JSON.stringify(run), run.id];
    const r = lease
      ? await this.pool.query(`UPDATE ${this.s}.screening_runs SET status = $1, finished_at = $2, body = $3, heartbeat_ms = $5 WHERE id = $4 AND lease_owner = $6`, [...values, lease.atMs, lease.owner])
      : await this.pool.query(`UPDATE ${this.s}.screening_runs SET status = $1, finished_at = $2, body = $3 WHERE id = $4`, values);
    return r.rowCount === 1;
  }

  async heartbeat(runId: string, lease: ScreeningLease): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.s}.screening_runs SET heartbeat_ms = $1 WHERE id = $2 AND lease_owner = $3 AND ${OPEN}`, [lease.atMs, runId, lease.owner]);
    return r.rowCount === 1;
  }

  async releaseLease(runId: string, owner: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.screening_runs SET heartbeat_ms = 0 WHERE id = $1 AND lease_owner = $2 AND ${OPEN}`, [runId, owner]);
  }

  async staleRuns(staleBeforeMs: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.s}.screening_runs WHERE ${OPEN} AND lease_owner IS NOT NULL AND heartbeat_ms < $1 ORDER BY id LIMIT $2`, [staleBeforeMs, limit]);
    return rows.map((r) => r.id);
  }

  async claimRun(runId: string, lease: ScreeningLease, staleBeforeMs: number): Promise<StoredScreeningRun | undefined> {
    // A second claimer blocks on the row lock, then re-reads the row: the heartbeat is fresh, nothing matches.
    const { rows } = await this.pool.query<{ body: string }>(
      `UPDATE ${this.s}.screening_runs SET lease_owner = $1, heartbeat_ms = $2 WHERE id = $3 AND ${OPEN} AND lease_owner IS NOT NULL AND heartbeat_ms < $4 RETURNING body`,
      [lease.owner, lease.atMs, runId, staleBeforeMs],
    );
    return rows[0] ? (JSON.parse(rows[0].body) as StoredScreeningRun) : undefined;
  }

  async getRun(id: string): Promise<StoredScreeningRun | undefined> {
    const { rows } = await this.pool.query<{ body: string }>(`SELECT body FROM ${this.s}.screening_runs WHERE id = $1`, [id]);
    return rows[0] ? (JSON.parse(rows[0].body) as StoredScreeningRun) : undefined;
  }

  async putResults(runId: string, results: StoredScreeningResult[], owner?: string, q: Pick<pg.PoolClient, 'query'> = this.pool): Promise<boolean> {
    const rows = [results.map((r) => r.loanId), results.map((r) => r.tier), results.map((r) => r.contactBy), results.map((r) => r.body)];
    if (owner === undefined) {
      if (!results.length) return true;
      // One statement per batch: unnest keeps the parameter count at five whatever the batch size.
      await q.query(
        `INSERT INTO ${this.s}.screening_results (run_id, loan_id, tier, contact_by, body)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (run_id, loan_id) DO UPDATE SET tier = excluded.tier, contact_by = excluded.contact_by, body = excluded.body`,
        [runId, ...rows],
      );
      return true;
    }
    // The lease check and the rows in one statement: the run's row is share-locked while the rows are written,
    // so a claim (an UPDATE of that row) waits for the write to commit, and a write after a claim finds
    // lease_owner changed and writes nothing.
    const { rows: held } = await q.query<{ held: boolean }>(
      `WITH lease AS (SELECT 1 FROM ${this.s}.screening_runs WHERE id = $1 AND lease_owner = $6 FOR SHARE),
       written AS (
         INSERT INTO ${this.s}.screening_results (run_id, loan_id, tier, contact_by, body)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WHERE EXISTS (SELECT 1 FROM lease)
         ON CONFLICT (run_id, loan_id) DO UPDATE SET tier = excluded.tier, contact_by = excluded.contact_by, body = excluded.body)
       SELECT EXISTS (SELECT 1 FROM lease) AS held`,
      [runId, ...rows, owner],
    );
    return held[0]?.held === true;
  }

  async completeChunk(runId: string, chunk: number, results: StoredScreeningResult[], counts: unknown): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await this.putResults(runId, results, undefined, c);
      await c.query(`INSERT INTO ${this.s}.screening_chunks (run_id, chunk, counts) VALUES ($1, $2, $3) ON CONFLICT (run_id, chunk) DO UPDATE SET counts = excluded.counts`, [runId, chunk, JSON.stringify(counts)]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async chunkCounts(runId: string): Promise<unknown[]> {
    const { rows } = await this.pool.query<{ counts: string }>(`SELECT counts FROM ${this.s}.screening_chunks WHERE run_id = $1 ORDER BY chunk`, [runId]);
    return rows.map((r) => JSON.parse(r.counts) as unknown);
  }

  async countByTier(runId: string): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ tier: string; n: string }>(`SELECT tier, COUNT(*) AS n FROM ${this.s}.screening_results WHERE run_id = $1 GROUP BY tier`, [runId]);
    return Object.fromEntries(rows.map((r) => [r.tier, Number(r.n)]));
  }

  async results(runId: string, o: { tiers?: string[]; afterLoanId?: string; limit: number }): Promise<StoredScreeningResult[]> {
    const { rows } = await this.pool.query<StoredScreeningResult>(
      `SELECT loan_id AS "loanId", tier, contact_by AS "contactBy", body FROM ${this.s}.screening_results
       WHERE run_id = $1 AND loan_id > $2 AND ($3::text[] IS NULL OR tier = ANY($3)) ORDER BY loan_id COLLATE "C" LIMIT $4`,
      [runId, o.afterLoanId ?? '', o.tiers?.length ? o.tiers : null, o.limit],
    );
    return rows;
  }

  async outreach(dueBy: string, o: { after?: { contactBy: string; loanId: string }; limit: number }): Promise<(StoredScreeningResult & OutreachRow)[]> {
    const a = o.after ?? { contactBy: '', loanId: '' };
    const { rows } = await this.pool.query<StoredScreeningResult & OutreachRow>(
      `SELECT r.run_id AS "runId", r.loan_id AS "loanId", r.tier, r.contact_by AS "contactBy", r.body
       FROM ${this.s}.screening_results r JOIN ${this.s}.screening_runs s ON s.id = r.run_id
       WHERE r.contact_by IS NOT NULL AND r.contact_by <= $1 AND s.status = 'SUCCEEDED'
         AND (r.contact_by > $2 OR (r.contact_by = $2 AND r.loan_id COLLATE "C" > $3))
         AND s.finished_at = (SELECT MAX(s2.finished_at) FROM ${this.s}.screening_results r2 JOIN ${this.s}.screening_runs s2 ON s2.id = r2.run_id
                              WHERE r2.loan_id = r.loan_id AND s2.status = 'SUCCEEDED')
       ORDER BY r.contact_by, r.loan_id COLLATE "C" LIMIT $4`,
      [dueBy, a.contactBy, a.loanId, o.limit],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openPostgresScreeningStore(url: string): Promise<ScreeningStore> {
  const { pool, s } = await openPoolWithTables(url, 'screening', { max: 4, queryTimeoutMs: 60_000 }, schemaSql);
  return new PostgresScreeningStore(pool, s);
}
