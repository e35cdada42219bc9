// Screening runs and results in the audit trail's SQLite file: a second connection beside the chain's
// writer thread, as policy publication does (results are many but written in batches, one transaction each).
import type Database from 'better-sqlite3';
import { openSqliteFile } from './open-file.js';
import type { OutreachRow, ScreeningLease, ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../../../ports/screening-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS screening_runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, finished_at TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS screening_results (
  run_id TEXT NOT NULL,
  loan_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  contact_by TEXT,
  body TEXT NOT NULL,
  PRIMARY KEY (run_id, loan_id)
);
CREATE INDEX IF NOT EXISTS screening_results_loan ON screening_results (loan_id);
CREATE TABLE IF NOT EXISTS screening_chunks (run_id TEXT NOT NULL, chunk INTEGER NOT NULL, counts TEXT NOT NULL, PRIMARY KEY (run_id, chunk));
CREATE INDEX IF NOT EXISTS screening_results_contact ON screening_results (contact_by) WHERE contact_by IS NOT NULL;
`;

const OPEN = `status IN ('QUEUED', 'RUNNING')`;

/**
 * The owner lease of a run (owner, heartbeat in ms), added to a file made before runs had one; under the
 * write lock, so processes opening the file together add each column once.
 */
function addLeaseColumns(db: Database.Database): void {
  db.transaction(() => {
    const columns = new Set((db.prepare('PRAGMA table_info(screening_runs)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('lease_owner')) db.exec('ALTER TABLE screening_runs ADD COLUMN lease_owner TEXT');
    if (!columns.has('heartbeat_ms')) db.exec('ALTER TABLE screening_runs ADD COLUMN heartbeat_ms INTEGER');
    db.exec(`CREATE INDEX IF NOT EXISTS screening_runs_open ON screening_runs (heartbeat_ms) WHERE ${OPEN}`);
  }).immediate();
}

class SqliteScreeningStore implements ScreeningStore {
  readonly kind = 'sqlite' as const;
  private readonly put: Database.Statement;
  private readonly held: Database.Statement;
  constructor(private readonly db: Database.Database) {
    this.held = db.prepare('SELECT 1 FROM screening_runs WHERE id = ? AND lease_owner = ?').pluck();
    this.put = db.prepare('INSERT INTO screening_results (run_id, loan_id, tier, contact_by, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, loan_id) DO UPDATE SET tier = excluded.tier, contact_by = excluded.contact_by, body = excluded.body');
  }

  async createRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<void> {
    this.db.prepare('INSERT INTO screening_runs (id, status, finished_at, body, lease_owner, heartbeat_ms) VALUES (?, ?, ?, ?, ?, ?)').run(run.id, run.status, run.finishedAt ?? null, JSON.stringify(run), lease?.owner ?? null, lease?.atMs ?? null);
  }

  async updateRun(run: StoredScreeningRun, lease?: ScreeningLease): Promise<boolean> {
    if (!lease) return this.db.prepare('UPDATE screening_runs SET status = ?, finished_at = ?, body = ? WHERE id = ?').run(run.status, run.finishedAt ?? null, JSON.stringify(run), run.id).changes === 1;
    return this.db.prepare('UPDATE screening_runs SET status = ?, finished_at = ?, body = ?, heartbeat_ms = ? WHERE id = ? AND lease_owner = ?').run(run.status, run.finishedAt ?? null, JSON.stringify(run), lease.atMs, run.id, lease.owner).changes === 1;
  }

  async heartbeat(runId: string, lease: ScreeningLease): Promise<boolean> {
    return this.db.prepare(`UPDATE screening_runs SET heartbeat_ms = ? WHERE id = ? AND lease_owner = ? AND ${OPEN}`).run(lease.atMs, runId, lease.owner).changes === 1;
  }

  async releaseLease(runId: string, owner: string): Promise<void> {
    this.db.prepare(`UPDATE screening_runs SET heartbeat_ms = 0 WHERE id = ? AND lease_owner = ? AND ${OPEN}`).run(runId, owner);
  }

  async staleRuns(staleBeforeMs: number, limit: number): Promise<string[]> {
    return this.db.prepare(`SELECT id FROM screening_runs WHERE ${OPEN} AND lease_owner IS NOT NULL AND heartbeat_ms < ? ORDER BY id LIMIT ?`).pluck().all(staleBeforeMs, limit) as string[];
  }

  async claimRun(runId: string, lease: ScreeningLease, staleBeforeMs: number): Promise<StoredScreeningRun | undefined> {
    // One statement under SQLite's write lock: of two processes sharing the file, the second finds the heartbeat fresh.
    const body = this.db
      .prepare(`UPDATE screening_runs SET lease_owner = ?, heartbeat_ms = ? WHERE id = ? AND ${OPEN} AND lease_owner IS NOT NULL AND heartbeat_ms < ? RETURNING body`)
      .pluck()
      .get(lease.owner, lease.atMs, runId, staleBeforeMs) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as StoredScreeningRun);
  }

  async getRun(id: string): Promise<StoredScreeningRun | undefined> {
    const body = this.db.prepare('SELECT body FROM screening_runs WHERE id = ?').pluck().get(id) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as StoredScreeningRun);
  }

  async putResults(runId: string, results: StoredScreeningResult[], owner?: string): Promise<boolean> {
    // Under the write lock from the start (immediate): no claim commits between the lease check and the rows.
    return this.db
      .transaction(() => {
        if (owner !== undefined && this.held.get(runId, owner) === undefined) return false;
        for (const r of results) this.put.run(runId, r.loanId, r.tier, r.contactBy, r.body);
        return true;
      })
      .immediate();
  }

  async completeChunk(runId: string, chunk: number, results: StoredScreeningResult[], counts: unknown): Promise<void> {
    this.db.transaction(() => {
      for (const r of results) this.put.run(runId, r.loanId, r.tier, r.contactBy, r.body);
      this.db.prepare('INSERT INTO screening_chunks (run_id, chunk, counts) VALUES (?, ?, ?) ON CONFLICT (run_id, chunk) DO UPDATE SET counts = excluded.counts').run(runId, chunk, JSON.stringify(counts));
    })();
  }

  async chunkCounts(runId: string): Promise<unknown[]> {
    return (this.db.prepare('SELECT counts FROM screening_chunks WHERE run_id = ? ORDER BY chunk').pluck().all(runId) as string[]).map((c) => JSON.parse(c) as unknown);
  }

  async countByTier(runId: string): Promise<Record<string, number>> {
    const rows = this.db.prepare('SELECT tier, COUNT(*) AS n FROM screening_results WHERE run_id = ? GROUP BY tier').all(runId) as { tier: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.tier, r.n]));
  }

  async results(runId: string, o: { tiers?: string[]; afterLoanId?: string; limit: number }): Promise<StoredScreeningResult[]> {
    const tiers = o.tiers?.length ? ` AND tier IN (${o.tiers.map(() => '?').join(', ')})` : '';
    const sql = `SELECT loan_id AS loanId, tier, contact_by AS contactBy, body FROM screening_results WHERE run_id = ? AND loan_id > ?${tiers} ORDER BY loan_id LIMIT ?`;
    return this.db.prepare(sql).all(runId, o.afterLoanId ?? '', ...(o.tiers ?? []), o.limit) as StoredScreeningResult[];
  }

  async outreach(dueBy: string, o: { after?: { contactBy: string; loanId: string }; limit: number }): Promise<(StoredScreeningResult & OutreachRow)[]> {
    const sql = `
      SELECT r.run_id AS runId, r.loan_id AS loanId, r.tier, r.contact_by AS contactBy, r.body
      FROM screening_results r JOIN screening_runs s ON s.id = r.run_id
      WHERE r.contact_by IS NOT NULL AND r.contact_by <= ? AND s.status = 'SUCCEEDED'
        AND (r.contact_by > ? OR (r.contact_by = ? AND r.loan_id > ?))
        AND s.finished_at = (SELECT MAX(s2.finished_at) FROM screening_results r2 JOIN screening_runs s2 ON s2.id = r2.run_id
                             WHERE r2.loan_id = r.loan_id AND s2.status = 'SUCCEEDED')
      ORDER BY r.contact_by, r.loan_id LIMIT ?`;
    const a = o.after ?? { contactBy: '', loanId: '' };
    return this.db.prepare(sql).all(dueBy, a.contactBy, a.contactBy, a.loanId, o.limit) as (StoredScreeningResult & OutreachRow)[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export function openSqliteScreeningStore(file: string): ScreeningStore {
  const db = openSqliteFile(file, SCHEMA);
  try {
    addLeaseColumns(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteScreeningStore(db);
}
