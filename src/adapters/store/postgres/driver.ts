// Shared audit store on PostgreSQL: several service instances append to ONE chain. Each batch locks the single
// audit_head row, so batches from different instances are serialised and always link to the latest record.
import pg from 'pg';
import type { AuditStore, ChainLink, PolicySnapshot, PurgeCheckpoint } from '../../../ports/audit-store.js';
import { AuditStoreError } from '../../../ports/audit-store.js';
import type { StoredRow } from '../chain/records.js';
import { ChainedAuditStore } from '../chain/audit-store.js';
import { migrate } from './migrations.js';
import { inTransaction } from './transaction.js';
import { planBatch, type BatchLookup } from '../chain/plan-batch.js';
import type { PreparedAppend, RowFilter, StoreDriver, StoreOptions } from '../driver.js';

interface RawRow {
  seq: string;
  decision_id: string;
  decided_at: Date;
  application_id: string;
  borrower_id_hash: string;
  idempotency_key: string | null;
  body: string;
  outcomes: [string, string][];
}

interface RawCheckpoint {
  last_seq: string;
  purged_before: string;
  last_hash: string;
  count: string;
  at: string;
  signature: string;
}

class PostgresDriver implements StoreDriver {
  readonly kind = 'postgres' as const;

  /** `s` is the already validated, quoted schema name. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly schemaName: string,
    private readonly s: string,
  ) {}

  async appendBatch(items: PreparedAppend[]) {
    const s = this.s;
    // synchronous_commit overrides a server default of off: the promise must not resolve before the WAL is flushed.
    // lock_timeout turns an instance stuck while holding the head into a failed batch (503) instead of a hang.
    return inTransaction(this.pool, async (c) => {
      const head = await c.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${s}.audit_head WHERE id = 1 FOR UPDATE`);
      const headRow = head.rows[0];
      if (!headRow) throw new Error('audit_head row is missing');
      const plan = planBatch(items, { seq: Number(headRow.seq), hash: headRow.hash }, await this.lookup(c, items));
      if (plan.rows.length === 0) return plan.results;
      const col = <K extends keyof StoredRow>(k: K) => plan.rows.map((r) => r[k]);
      await c.query(
        `INSERT INTO ${s}.audit_records (seq, decision_id, decided_at, application_id, borrower_id_hash, idempotency_key, body)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[])`,
        [col('seq'), col('decisionId'), col('decidedAt'), col('applicationId'), col('borrowerIdHash'), col('idempotencyKey'), col('body')],
      );
      const outcomes = plan.rows.flatMap((r) => r.outcomes.map((o) => [r.decisionId, o.option, o.decision]));
      if (outcomes.length > 0) {
        await c.query(
          `INSERT INTO ${s}.audit_outcomes (decision_id, option_type, outcome) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
          [0, 1, 2].map((i) => outcomes.map((o) => o[i])),
        );
      }
      const snaps = plan.snapshots;
      await c.query(
        `INSERT INTO ${s}.policy_snapshots (sha256, policy_id, version, source)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (sha256) DO NOTHING`,
        [snaps.map((p) => p.sha256), snaps.map((p) => p.policyId), snaps.map((p) => p.version), snaps.map((p) => p.source)],
      );
      await c.query(`UPDATE ${s}.audit_head SET seq = $1, hash = $2 WHERE id = 1`, [plan.head.seq, plan.head.hash]);
      return plan.results;
    }, "BEGIN; SET LOCAL synchronous_commit = on; SET LOCAL lock_timeout = '10s'");
  }

  private async lookup(c: pg.PoolClient, items: PreparedAppend[]): Promise<BatchLookup> {
    const keys = items.flatMap(({ record }) => (record.idempotencyKey === undefined ? [] : [record.idempotencyKey]));
    const ids = items.map(({ record }) => record.decisionId);
    const { rows } = await c.query<{ decision_id: string; idempotency_key: string | null; body: string }>(
      `SELECT decision_id, idempotency_key, body FROM ${this.s}.audit_records
       WHERE decision_id = ANY($1::text[]) OR idempotency_key = ANY($2::text[])`,
      [ids, keys],
    );
    const found: BatchLookup = { byKey: new Map(), ids: new Set() };
    for (const row of rows) {
      found.ids.add(row.decision_id);
      if (row.idempotency_key !== null) found.byKey.set(row.idempotency_key, JSON.parse(row.body));
    }
    return found;
  }

  async bodyById(decisionId: string) {
    const { rows } = await this.pool.query<{ body: string }>(`SELECT body FROM ${this.s}.audit_records WHERE decision_id = $1`, [decisionId]);
    return rows[0]?.body;
  }

  async bodyByIdempotencyKey(key: string) {
    const { rows } = await this.pool.query<{ body: string }>(`SELECT body FROM ${this.s}.audit_records WHERE idempotency_key = $1`, [key]);
    return rows[0]?.body;
  }

  async bodies(filter: RowFilter, afterSeq: number, limit: number) {
    const params: (string | number)[] = [afterSeq];
    const p = (value: string | number) => `$${params.push(value)}`;
    const where = ['r.seq > $1'];
    if (filter.applicationId !== undefined) where.push(`r.application_id = ${p(filter.applicationId)}`);
    if (filter.borrowerIdHash !== undefined) where.push(`r.borrower_id_hash = ${p(filter.borrowerIdHash)}`);
    if (filter.from !== undefined) where.push(`r.decided_at >= ${p(filter.from)}::timestamptz`);
    if (filter.to !== undefined) where.push(`r.decided_at < ${p(filter.to)}::timestamptz`);
    if (filter.option !== undefined || filter.decision !== undefined) {
      const outcome = ['o.decision_id = r.decision_id'];
      if (filter.option !== undefined) outcome.push(`o.option_type = ${p(filter.option)}`);
      if (filter.decision !== undefined) outcome.push(`o.outcome = ${p(filter.decision)}`);
      where.push(`EXISTS (SELECT 1 FROM ${this.s}.audit_outcomes o WHERE ${outcome.join(' AND ')})`);
    }
    const sql = `SELECT r.seq, r.body FROM ${this.s}.audit_records r WHERE ${where.join(' AND ')} ORDER BY r.seq LIMIT ${p(limit)}`;
    const { rows } = await this.pool.query<{ seq: string; body: string }>(sql, params);
    return rows.map((r) => ({ seq: Number(r.seq), body: r.body }));
  }

  async rows(afterSeq: number, uptoSeq: number, limit: number): Promise<StoredRow[]> {
    const { rows } = await this.pool.query<RawRow>(
      `SELECT r.seq, r.decision_id, r.decided_at, r.application_id, r.borrower_id_hash, r.idempotency_key, r.body,
         coalesce((SELECT json_agg(json_build_array(o.option_type, o.outcome)) FROM ${this.s}.audit_outcomes o
                   WHERE o.decision_id = r.decision_id), '[]'::json) AS outcomes
       FROM ${this.s}.audit_records r WHERE r.seq > $1 AND r.seq <= $2 ORDER BY r.seq LIMIT $3`,
      [afterSeq, uptoSeq, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      decisionId: r.decision_id,
      decidedAt: r.decided_at.toISOString(),
      applicationId: r.application_id,
      borrowerIdHash: r.borrower_id_hash,
      idempotencyKey: r.idempotency_key,
      outcomes: r.outcomes.map(([option, decision]) => ({ option, decision })),
      body: r.body,
    }));
  }

  async policySnapshot(sha256: string): Promise<PolicySnapshot | undefined> {
    const { rows } = await this.pool.query<{ sha256: string; policy_id: string; version: string; source: string }>(
      `SELECT sha256, policy_id, version, source FROM ${this.s}.policy_snapshots WHERE sha256 = $1`,
      [sha256],
    );
    const row = rows[0];
    return row && { sha256: row.sha256, policyId: row.policy_id, version: row.version, source: row.source };
  }

  async head(): Promise<ChainLink> {
    const { rows } = await this.pool.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.s}.audit_head WHERE id = 1`);
    const row = rows[0];
    if (!row) throw new Error('audit_head row is missing');
    return { seq: Number(row.seq), hash: row.hash };
  }

  async latestCheckpoint(): Promise<PurgeCheckpoint | undefined> {
    const { rows } = await this.pool.query<RawCheckpoint>(`SELECT * FROM ${this.s}.audit_checkpoints ORDER BY last_seq DESC LIMIT 1`);
    const row = rows[0];
    return row && toCheckpoint(row);
  }

  async purgeBoundary(before: string) {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT coalesce((SELECT min(seq) FROM ${this.s}.audit_records WHERE decided_at >= $1::timestamptz) - 1,
                       (SELECT max(seq) FROM ${this.s}.audit_records), 0) AS n`,
      [before],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async deletePrefix(checkpoint: PurgeCheckpoint, anchorSeq: number) {
    const s = this.s;
    return inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tideover.audit.purge:${this.schemaName}`]);
      const latest = await c.query<{ last_seq: string }>(`SELECT max(last_seq) AS last_seq FROM ${s}.audit_checkpoints`);
      if (Number(latest.rows[0]?.last_seq ?? 0) !== anchorSeq) {
        throw new AuditStoreError('conflict', 'another purge ran concurrently');
      }
      const seq = checkpoint.lastSeq;
      await c.query(
        `DELETE FROM ${s}.audit_outcomes WHERE decision_id IN (SELECT decision_id FROM ${s}.audit_records WHERE seq <= $1)`,
        [seq],
      );
      const deleted = await c.query(`DELETE FROM ${s}.audit_records WHERE seq <= $1`, [seq]);
      await c.query(
        `INSERT INTO ${s}.audit_checkpoints (last_seq, purged_before, last_hash, count, at, signature) VALUES ($1, $2, $3, $4, $5, $6)`,
        [seq, checkpoint.purgedBefore, checkpoint.lastHash, checkpoint.count, checkpoint.at, checkpoint.signature],
      );
      return deleted.rowCount ?? 0;
    });
  }

  async ping() {
    // A rolled-back row in the trail's own table proves connectivity, schema and write permission (not a
    // read-only replica). Keys derive from the backend pid so pings from several instances never wait on each other.
    const rollback = new Error('ping rollback');
    try {
      await inTransaction(this.pool, async (c) => {
        await c.query(
          `INSERT INTO ${this.s}.audit_records (seq, decision_id, decided_at, application_id, borrower_id_hash, body)
           SELECT -pg_backend_pid(), 'ping:' || pg_backend_pid(), now(), '', '', ''`,
        );
        throw rollback;
      });
    } catch (err) {
      if (err !== rollback) throw err;
    }
  }

  async close() {
    await this.pool.end();
  }
}

function toCheckpoint(row: RawCheckpoint): PurgeCheckpoint {
  return {
    purgedBefore: row.purged_before,
    lastSeq: Number(row.last_seq),
    lastHash: row.last_hash,
    count: Number(row.count),
    at: row.at,
    signature: row.signature,
  };
}

/** Splits `?schema=name` (default public) off the URL; the rest goes to pg unchanged. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`AUDIT_URL schema must be a plain identifier (letters, digits, _), got "${schema}"`);
  }
  return { connectionString: parsed.toString(), schema };
}

export async function openPostgresStore(url: string, options: StoreOptions = {}): Promise<AuditStore> {
  const { connectionString, schema } = parsePostgresUrl(url);
  // The timeouts bound every call, so a vanished server yields errors rather than requests that never answer.
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    connectionTimeoutMillis: 5000,
    query_timeout: 30_000,
    keepAlive: true,
    application_name: 'tideover-audit',
  });
  // Idle clients dropped by the server emit here; the next query reports the failure to its caller instead.
  pool.on('error', () => undefined);
  const quoted = `"${schema}"`;
  try {
    await migrate(pool, schema, quoted);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return new ChainedAuditStore(new PostgresDriver(pool, schema, quoted), options);
}
