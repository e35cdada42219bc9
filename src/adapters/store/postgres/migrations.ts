// The audit schema on PostgreSQL, versioned; applied once per schema at start.
import type pg from 'pg';
import { GENESIS } from '../chain/records.js';
import { inTransaction } from './transaction.js';

const migrations = (s: string): { version: number; sql: string }[] => [
  {
    version: 1,
    sql: `
      CREATE TABLE ${s}.audit_records (
        seq bigint PRIMARY KEY,
        decision_id text NOT NULL UNIQUE,
        decided_at timestamptz NOT NULL,
        application_id text NOT NULL,
        borrower_id_hash text NOT NULL,
        idempotency_key text,
        body text NOT NULL
      );
      CREATE UNIQUE INDEX audit_records_idempotency_key ON ${s}.audit_records (idempotency_key);
      CREATE INDEX audit_records_application ON ${s}.audit_records (application_id, seq);
      CREATE INDEX audit_records_borrower ON ${s}.audit_records (borrower_id_hash, seq);
      CREATE INDEX audit_records_decided_at ON ${s}.audit_records (decided_at, seq);
      CREATE TABLE ${s}.audit_outcomes (decision_id text NOT NULL, option_type text NOT NULL, outcome text NOT NULL);
      CREATE INDEX audit_outcomes_decision ON ${s}.audit_outcomes (decision_id);
      CREATE INDEX audit_outcomes_filter ON ${s}.audit_outcomes (option_type, outcome, decision_id);
      CREATE TABLE ${s}.audit_head (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL);
      INSERT INTO ${s}.audit_head (id, seq, hash) VALUES (1, ${GENESIS.seq}, '${GENESIS.hash}');
      CREATE TABLE ${s}.audit_checkpoints (
        last_seq bigint PRIMARY KEY, purged_before text NOT NULL, last_hash text NOT NULL,
        count bigint NOT NULL, at text NOT NULL, signature text NOT NULL
      );
      CREATE TABLE ${s}.policy_snapshots (
        sha256 text PRIMARY KEY, policy_id text NOT NULL, version text NOT NULL, source text NOT NULL
      );
    `,
  },
];

export async function migrate(pool: pg.Pool, schemaName: string, s: string): Promise<void> {
  await inTransaction(pool, async (c) => {
    // Instances starting together queue here instead of racing on CREATE TABLE.
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tideover.audit.migrate:${schemaName}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await c.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const applied = new Set(rows.map((r) => r.version));
    for (const m of migrations(s)) {
      if (applied.has(m.version)) continue;
      await c.query(m.sql);
      await c.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [m.version]);
    }
  });
}
