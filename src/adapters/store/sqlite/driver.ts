// Embedded audit store (better-sqlite3). One file, WAL + synchronous=FULL so a resolved append survives power loss.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { AppendResult, AuditStore, ChainLink, PolicySnapshot, PurgeCheckpoint } from '../../../ports/audit-store.js';
import { AuditStoreError } from '../../../ports/audit-store.js';
import { GENESIS, type StoredRow } from '../chain/records.js';
import { ChainedAuditStore } from '../chain/audit-store.js';
import type { Settled } from '../chain/group-commit.js';
import type { PreparedAppend, RowFilter, StoreDriver, StoreOptions } from '../driver.js';
import { openDatabase, SqliteAppender } from './append-batch.js';
import { ThreadedAppender } from './writer-client.js';

/** Where appends run: in a writer thread for a file, in-process for ':memory:' (a thread cannot share it). */
interface Appends {
  append(items: PreparedAppend[]): Promise<Settled<AppendResult>[]>;
  /** Proves appends can be made (a rolled-back write where the appends are written). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_records (
        seq INTEGER PRIMARY KEY,
        decision_id TEXT NOT NULL UNIQUE,
        decided_at TEXT NOT NULL,
        application_id TEXT NOT NULL,
        borrower_id_hash TEXT NOT NULL,
        idempotency_key TEXT,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX audit_records_idempotency_key ON audit_records (idempotency_key);
      CREATE INDEX audit_records_application ON audit_records (application_id, seq);
      CREATE INDEX audit_records_borrower ON audit_records (borrower_id_hash, seq);
      CREATE INDEX audit_records_decided_at ON audit_records (decided_at, seq);
      CREATE TABLE audit_outcomes (decision_id TEXT NOT NULL, option_type TEXT NOT NULL, outcome TEXT NOT NULL);
      CREATE INDEX audit_outcomes_decision ON audit_outcomes (decision_id);
      CREATE INDEX audit_outcomes_filter ON audit_outcomes (option_type, outcome, decision_id);
      CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
      INSERT INTO audit_head (id, seq, hash) VALUES (1, ${GENESIS.seq}, '${GENESIS.hash}');
      CREATE TABLE audit_checkpoints (
        last_seq INTEGER PRIMARY KEY, purged_before TEXT NOT NULL, last_hash TEXT NOT NULL,
        count INTEGER NOT NULL, at TEXT NOT NULL, signature TEXT NOT NULL
      );
      CREATE TABLE policy_snapshots (
        sha256 TEXT PRIMARY KEY, policy_id TEXT NOT NULL, version TEXT NOT NULL, source TEXT NOT NULL
      );
    `,
  },
];

function migrate(db: Database.Database): void {
  // IMMEDIATE takes the write lock up front, so two processes opening a new file cannot both migrate.
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version);
    }
  }).immediate();
}

interface RawRow {
  seq: number;
  decision_id: string;
  decided_at: string;
  application_id: string;
  borrower_id_hash: string;
  idempotency_key: string | null;
  body: string;
  outcomes: string;
}

interface RawCheckpoint {
  last_seq: number;
  purged_before: string;
  last_hash: string;
  count: number;
  at: string;
  signature: string;
}

class SqliteDriver implements StoreDriver {
  readonly kind = 'sqlite' as const;
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    private readonly appends: Appends,
  ) {
    this.stmt = {
      head: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
      bodyById: db.prepare('SELECT body FROM audit_records WHERE decision_id = ?').pluck(),
      bodyByKey: db.prepare('SELECT body FROM audit_records WHERE idempotency_key = ?').pluck(),
      snapshot: db.prepare('SELECT sha256, policy_id, version, source FROM policy_snapshots WHERE sha256 = ?'),
      rows: db.prepare(
        `SELECT r.seq, r.decision_id, r.decided_at, r.application_id, r.borrower_id_hash, r.idempotency_key, r.body,
           (SELECT json_group_array(json_array(o.option_type, o.outcome)) FROM audit_outcomes o
             WHERE o.decision_id = r.decision_id) AS outcomes
         FROM audit_records r WHERE r.seq > ? AND r.seq <= ? ORDER BY r.seq LIMIT ?`,
      ),
      latestCheckpoint: db.prepare('SELECT * FROM audit_checkpoints ORDER BY last_seq DESC LIMIT 1'),
      boundary: db
        .prepare(
          `SELECT coalesce((SELECT min(seq) FROM audit_records WHERE decided_at >= ?) - 1,
                           (SELECT max(seq) FROM audit_records), 0)`,
        )
        .pluck(),
      deleteOutcomes: db.prepare(
        'DELETE FROM audit_outcomes WHERE decision_id IN (SELECT decision_id FROM audit_records WHERE seq <= ?)',
      ),
      deleteRecords: db.prepare('DELETE FROM audit_records WHERE seq <= ?'),
      insertCheckpoint: db.prepare(
        `INSERT INTO audit_checkpoints (last_seq, purged_before, last_hash, count, at, signature)
         VALUES (@lastSeq, @purgedBefore, @lastHash, @count, @at, @signature)`,
      ),
    };
  }

  appendBatch(items: PreparedAppend[]) {
    return this.appends.append(items);
  }

  async bodyById(decisionId: string) {
    return this.stmt.bodyById.get(decisionId) as string | undefined;
  }

  async bodyByIdempotencyKey(key: string) {
    return this.stmt.bodyByKey.get(key) as string | undefined;
  }

  async bodies(filter: RowFilter, afterSeq: number, limit: number) {
    const where = ['r.seq > ?'];
    const params: (string | number)[] = [afterSeq];
    const add = (sql: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    add('r.application_id = ?', filter.applicationId);
    add('r.borrower_id_hash = ?', filter.borrowerIdHash);
    add('r.decided_at >= ?', filter.from);
    add('r.decided_at < ?', filter.to);
    if (filter.option !== undefined || filter.decision !== undefined) {
      const outcome = ['o.decision_id = r.decision_id'];
      if (filter.option !== undefined) outcome.push('o.option_type = ?');
      if (filter.decision !== undefined) outcome.push('o.outcome = ?');
      where.push(`EXISTS (SELECT 1 FROM audit_outcomes o WHERE ${outcome.join(' AND ')})`);
      for (const v of [filter.option, filter.decision]) if (v !== undefined) params.push(v);
    }
    const sql = `SELECT r.seq, r.body FROM audit_records r WHERE ${where.join(' AND ')} ORDER BY r.seq LIMIT ?`;
    return this.db.prepare(sql).all(...params, limit) as { seq: number; body: string }[];
  }

  async rows(afterSeq: number, uptoSeq: number, limit: number): Promise<StoredRow[]> {
    return (this.stmt.rows.all(afterSeq, uptoSeq, limit) as RawRow[]).map((r) => ({
      seq: r.seq,
      decisionId: r.decision_id,
      decidedAt: r.decided_at,
      applicationId: r.application_id,
      borrowerIdHash: r.borrower_id_hash,
      idempotencyKey: r.idempotency_key,
      outcomes: (JSON.parse(r.outcomes) as [string, string][]).map(([option, decision]) => ({ option, decision })),
      body: r.body,
    }));
  }

  async policySnapshot(sha256: string): Promise<PolicySnapshot | undefined> {
    const row = this.stmt.snapshot.get(sha256) as
      | { sha256: string; policy_id: string; version: string; source: string }
      | undefined;
    return row && { sha256: row.sha256, policyId: row.policy_id, version: row.version, source: row.source };
  }

  async head() {
    return this.stmt.head.get() as ChainLink;
  }

  async latestCheckpoint(): Promise<PurgeCheckpoint | undefined> {
    const row = this.stmt.latestCheckpoint.get() as RawCheckpoint | undefined;
    return row && toCheckpoint(row);
  }

  async purgeBoundary(before: string) {
    return this.stmt.boundary.get(before) as number;
  }

  async deletePrefix(checkpoint: PurgeCheckpoint, anchorSeq: number) {
    return this.db
      .transaction(() => {
        const latest = this.stmt.latestCheckpoint.get() as RawCheckpoint | undefined;
        if ((latest?.last_seq ?? 0) !== anchorSeq) throw new AuditStoreError('conflict', 'another purge ran concurrently');
        this.stmt.deleteOutcomes.run(checkpoint.lastSeq);
        const { changes } = this.stmt.deleteRecords.run(checkpoint.lastSeq);
        this.stmt.insertCheckpoint.run(checkpoint);
        return changes;
      })
      .immediate();
  }

  ping() {
    return this.appends.ping();
  }

  async close() {
    await this.appends.close();
    this.db.close();
  }
}

function toCheckpoint(row: RawCheckpoint): PurgeCheckpoint {
  return {
    purgedBefore: row.purged_before,
    lastSeq: row.last_seq,
    lastHash: row.last_hash,
    count: row.count,
    at: row.at,
    signature: row.signature,
  };
}

/** `file` is a path (its folder is created) or ':memory:'. */
export async function openSqliteStore(file: string, options: StoreOptions = {}): Promise<AuditStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = openDatabase(file);
  try {
    migrate(db);
    const appends: Appends = file === ':memory:' ? inProcess(new SqliteAppender(db)) : new ThreadedAppender(file);
    return new ChainedAuditStore(new SqliteDriver(db, appends), options);
  } catch (err) {
    db.close();
    throw err;
  }
}

function inProcess(appender: SqliteAppender): Appends {
  return { append: async (items) => appender.write(items), ping: async () => appender.probe(), close: async () => undefined };
}
