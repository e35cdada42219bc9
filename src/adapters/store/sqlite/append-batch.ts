// The write half of the SQLite driver, shared by the service's writer thread and the in-process path.
import Database from 'better-sqlite3';
import type { AppendResult, ChainLink } from '../../../ports/audit-store.js';
import { planBatch, type BatchLookup } from '../chain/plan-batch.js';
import type { Settled } from '../chain/group-commit.js';
import type { PreparedAppend } from '../driver.js';

/** Opens a connection with the trail's settings: WAL, and synchronous=FULL so a committed append survives power loss. */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Appends batches in one IMMEDIATE transaction each: the write lock is taken before the head is read, so no other process can fork the chain. */
export class SqliteAppender {
  private readonly stmt;
  private readonly writeBatch;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      head: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
      setHead: db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1'),
      idExists: db.prepare('SELECT 1 FROM audit_records WHERE decision_id = ?').pluck(),
      bodyByKey: db.prepare('SELECT body FROM audit_records WHERE idempotency_key = ?').pluck(),
      insertRecord: db.prepare(
        `INSERT INTO audit_records (seq, decision_id, decided_at, application_id, borrower_id_hash, idempotency_key, body)
         VALUES (@seq, @decisionId, @decidedAt, @applicationId, @borrowerIdHash, @idempotencyKey, @body)`,
      ),
      insertOutcome: db.prepare('INSERT INTO audit_outcomes (decision_id, option_type, outcome) VALUES (?, ?, ?)'),
      insertSnapshot: db.prepare('INSERT OR IGNORE INTO policy_snapshots (sha256, policy_id, version, source) VALUES (?, ?, ?, ?)'),
      probe: db.prepare("INSERT INTO audit_records (seq, decision_id, decided_at, application_id, borrower_id_hash, body) VALUES (-1, 'ping', '', '', '', '')"),
    };
    this.writeBatch = db.transaction((items: PreparedAppend[]) => {
      const plan = planBatch(items, this.stmt.head.get() as ChainLink, this.lookup(items));
      for (const row of plan.rows) {
        const { outcomes, ...columns } = row;
        this.stmt.insertRecord.run(columns);
        for (const o of outcomes) this.stmt.insertOutcome.run(row.decisionId, o.option, o.decision);
      }
      for (const s of plan.snapshots) this.stmt.insertSnapshot.run(s.sha256, s.policyId, s.version, s.source);
      if (plan.rows.length > 0) this.stmt.setHead.run(plan.head.seq, plan.head.hash);
      return plan.results;
    });
  }

  private lookup(items: PreparedAppend[]): BatchLookup {
    const found: BatchLookup = { byKey: new Map(), ids: new Set() };
    for (const { record } of items) {
      const key = record.idempotencyKey;
      if (key !== undefined && !found.byKey.has(key)) {
        const body = this.stmt.bodyByKey.get(key) as string | undefined;
        if (body !== undefined) found.byKey.set(key, JSON.parse(body));
      }
      if (this.stmt.idExists.get(record.decisionId) !== undefined) found.ids.add(record.decisionId);
    }
    return found;
  }

  write(items: PreparedAppend[]): Settled<AppendResult>[] {
    return this.writeBatch.immediate(items);
  }

  /** Writes a row into the trail's own table and rolls it back: proves the file, the write lock and the schema. */
  probe(): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.stmt.probe.run();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }
}
