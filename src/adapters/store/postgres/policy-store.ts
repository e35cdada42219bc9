// Policy publication in the audit trail's PostgreSQL schema. Every instance sharing the database sees the
// same drafts, changes and versions; a publication also NOTIFYs so the others refresh at once.
import pg from 'pg';
import {
  PolicyStoreError,
  type ChangeStatus,
  type PolicyStore,
  type PublishedVersion,
  type StoredChange,
  type StoredDraft,
} from '../../../ports/policy-store.js';
import { decidedChange, mergeDraft } from '../policy-rows.js';
import { parsePostgresUrl } from './driver.js';
import { openPoolWithTables } from './open-pool.js';

const schemaSql = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}.policy_drafts (policy_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.policy_changes (id TEXT PRIMARY KEY, status TEXT NOT NULL, submitted_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS policy_changes_status ON ${s}.policy_changes (status, submitted_at);
CREATE TABLE IF NOT EXISTS ${s}.policy_versions (
  seq BIGSERIAL PRIMARY KEY,
  policy_id TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (policy_id, version)
);
CREATE OR REPLACE FUNCTION ${s}.policy_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'published policy versions are immutable'; END $$;
DROP TRIGGER IF EXISTS policy_versions_immutable ON ${s}.policy_versions;
CREATE TRIGGER policy_versions_immutable BEFORE UPDATE OR DELETE ON ${s}.policy_versions
  FOR EACH ROW EXECUTE FUNCTION ${s}.policy_versions_immutable();
`;

type Q = Pick<pg.PoolClient, 'query'>;

class PostgresPolicyStore implements PolicyStore {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
    private readonly channel: string,
  ) {}

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  private async bodies<T>(sql: string, params: unknown[] = [], q: Q = this.pool): Promise<T[]> {
    return (await q.query<{ body: string }>(sql, params)).rows.map((r) => JSON.parse(r.body) as T);
  }

  async getDraft(policyId: string): Promise<StoredDraft | undefined> {
    return (await this.bodies<StoredDraft>(`SELECT body FROM ${this.s}.policy_drafts WHERE policy_id = $1`, [policyId]))[0];
  }

  listDrafts(): Promise<StoredDraft[]> {
    return this.bodies<StoredDraft>(`SELECT body FROM ${this.s}.policy_drafts ORDER BY policy_id`);
  }

  saveDraft(policyId: string, part: { policy?: string; tests?: string }, by: string, at: string): Promise<StoredDraft> {
    return this.tx(async (c) => {
      // The row lock (or, for a new draft, the insert's conflict) serialises two saves of one draft.
      await c.query(`INSERT INTO ${this.s}.policy_drafts (policy_id, body) VALUES ($1, '{}') ON CONFLICT DO NOTHING`, [policyId]);
      const [old] = await this.bodies<StoredDraft>(`SELECT body FROM ${this.s}.policy_drafts WHERE policy_id = $1 FOR UPDATE`, [policyId], c);
      const draft = mergeDraft(old?.policyId ? old : undefined, policyId, part, by, at);
      await c.query(`UPDATE ${this.s}.policy_drafts SET body = $2 WHERE policy_id = $1`, [policyId, JSON.stringify(draft)]);
      return draft;
    });
  }

  async deleteDraft(policyId: string): Promise<boolean> {
    return ((await this.pool.query(`DELETE FROM ${this.s}.policy_drafts WHERE policy_id = $1`, [policyId])).rowCount ?? 0) > 0;
  }

  async createChange(change: StoredChange): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.s}.policy_changes (id, status, submitted_at, body) VALUES ($1, $2, $3, $4)`, [change.id, change.status, change.submittedAt, JSON.stringify(change)]);
  }

  async getChange(id: string): Promise<StoredChange | undefined> {
    return (await this.bodies<StoredChange>(`SELECT body FROM ${this.s}.policy_changes WHERE id = $1`, [id]))[0];
  }

  listChanges(status?: ChangeStatus): Promise<StoredChange[]> {
    return status
      ? this.bodies<StoredChange>(`SELECT body FROM ${this.s}.policy_changes WHERE status = $1 ORDER BY submitted_at DESC, id`, [status])
      : this.bodies<StoredChange>(`SELECT body FROM ${this.s}.policy_changes ORDER BY submitted_at DESC, id`);
  }

  decideChange(id: string, outcome: Parameters<PolicyStore['decideChange']>[1], publish?: PublishedVersion): Promise<boolean> {
    return this.tx(async (c) => {
      const [change] = await this.bodies<StoredChange>(`SELECT body FROM ${this.s}.policy_changes WHERE id = $1 AND status = 'PENDING' FOR UPDATE`, [id], c);
      if (!change) return false;
      const decided = decidedChange(change, outcome);
      await c.query(`UPDATE ${this.s}.policy_changes SET status = $2, body = $3 WHERE id = $1`, [id, decided.status, JSON.stringify(decided)]);
      if (publish) await this.insertVersion(c, publish);
      return true;
    });
  }

  publish(version: PublishedVersion): Promise<void> {
    return this.tx((c) => this.insertVersion(c, version));
  }

  private async insertVersion(c: Q, v: PublishedVersion): Promise<void> {
    try {
      await c.query(`INSERT INTO ${this.s}.policy_versions (policy_id, version, sha256, body) VALUES ($1, $2, $3, $4)`, [v.policyId, v.version, v.sha256, JSON.stringify(v)]);
      await c.query('SELECT pg_notify($1, $2)', [this.channel, `${v.policyId}@${v.version}`]);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new PolicyStoreError('conflict', `${v.policyId}@${v.version} is already published; a published version never changes (publish a new version)`);
      throw e;
    }
  }

  async getPublished(policyId: string, version: string): Promise<PublishedVersion | undefined> {
    return (await this.bodies<PublishedVersion>(`SELECT body FROM ${this.s}.policy_versions WHERE policy_id = $1 AND version = $2`, [policyId, version]))[0];
  }

  listPublished(): Promise<PublishedVersion[]> {
    return this.bodies<PublishedVersion>(`SELECT body FROM ${this.s}.policy_versions ORDER BY seq`);
  }

  async revision(): Promise<number> {
    const r = await this.pool.query<{ n: string }>(`SELECT COALESCE(MAX(seq), 0)::text AS n FROM ${this.s}.policy_versions`);
    return Number(r.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The NOTIFY channel of a schema's publications (channel names are identifiers: at most 63 bytes). */
export function publicationChannel(schema: string): string {
  return `tideover_policies_${schema}`.slice(0, 63).toLowerCase();
}

export async function openPostgresPolicyStore(url: string): Promise<PolicyStore> {
  const { pool, s } = await openPoolWithTables(url, 'policy', { max: 2, queryTimeoutMs: 30_000 }, schemaSql);
  return new PostgresPolicyStore(pool, s, publicationChannel(parsePostgresUrl(url).schema));
}
