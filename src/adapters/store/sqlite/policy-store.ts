// Policy publication in the audit trail's SQLite file: a second connection, so drafts and versions sit
// beside the chain without going through its writer thread (they are few and small).
import type Database from 'better-sqlite3';
import { openSqliteFile } from './open-file.js';
import {
  PolicyStoreError,
  type ChangeStatus,
  type PolicyStore,
  type PublishedVersion,
  type StoredChange,
  type StoredDraft,
} from '../../../ports/policy-store.js';
import { decidedChange, mergeDraft } from '../policy-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS policy_drafts (policy_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policy_changes (id TEXT PRIMARY KEY, status TEXT NOT NULL, submitted_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS policy_changes_status ON policy_changes (status, submitted_at);
CREATE TABLE IF NOT EXISTS policy_versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  policy_id TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (policy_id, version)
);
CREATE TRIGGER IF NOT EXISTS policy_versions_no_update BEFORE UPDATE ON policy_versions
  BEGIN SELECT RAISE(ABORT, 'published policy versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS policy_versions_no_delete BEFORE DELETE ON policy_versions
  BEGIN SELECT RAISE(ABORT, 'published policy versions are immutable'); END;
`;

const isUnique = (e: unknown) => (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

class SqlitePolicyStore implements PolicyStore {
  readonly kind = 'sqlite' as const;
  constructor(private readonly db: Database.Database) {}

  async getDraft(policyId: string): Promise<StoredDraft | undefined> {
    const body = this.db.prepare('SELECT body FROM policy_drafts WHERE policy_id = ?').pluck().get(policyId) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as StoredDraft);
  }

  async listDrafts(): Promise<StoredDraft[]> {
    return (this.db.prepare('SELECT body FROM policy_drafts ORDER BY policy_id').pluck().all() as string[]).map((b) => JSON.parse(b) as StoredDraft);
  }

  async saveDraft(policyId: string, part: { policy?: string; tests?: string }, by: string, at: string): Promise<StoredDraft> {
    return this.db.transaction(() => {
      const body = this.db.prepare('SELECT body FROM policy_drafts WHERE policy_id = ?').pluck().get(policyId) as string | undefined;
      const old = body === undefined ? undefined : (JSON.parse(body) as StoredDraft);
      const draft = mergeDraft(old, policyId, part, by, at);
      this.db.prepare('INSERT INTO policy_drafts (policy_id, body) VALUES (?, ?) ON CONFLICT (policy_id) DO UPDATE SET body = excluded.body').run(policyId, JSON.stringify(draft));
      return draft;
    }).immediate();
  }

  async deleteDraft(policyId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM policy_drafts WHERE policy_id = ?').run(policyId).changes > 0;
  }

  async createChange(change: StoredChange): Promise<void> {
    this.db.prepare('INSERT INTO policy_changes (id, status, submitted_at, body) VALUES (?, ?, ?, ?)').run(change.id, change.status, change.submittedAt, JSON.stringify(change));
  }

  async getChange(id: string): Promise<StoredChange | undefined> {
    const body = this.db.prepare('SELECT body FROM policy_changes WHERE id = ?').pluck().get(id) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as StoredChange);
  }

  async listChanges(status?: ChangeStatus): Promise<StoredChange[]> {
    const rows = status
      ? this.db.prepare('SELECT body FROM policy_changes WHERE status = ? ORDER BY submitted_at DESC, id').pluck().all(status)
      : this.db.prepare('SELECT body FROM policy_changes ORDER BY submitted_at DESC, id').pluck().all();
    return (rows as string[]).map((b) => JSON.parse(b) as StoredChange);
  }

  async decideChange(id: string, outcome: Parameters<PolicyStore['decideChange']>[1], publish?: PublishedVersion): Promise<boolean> {
    return this.db.transaction(() => {
      const body = this.db.prepare("SELECT body FROM policy_changes WHERE id = ? AND status = 'PENDING'").pluck().get(id) as string | undefined;
      if (body === undefined) return false;
      const decided = decidedChange(JSON.parse(body) as StoredChange, outcome);
      this.db.prepare('UPDATE policy_changes SET status = ?, body = ? WHERE id = ?').run(decided.status, JSON.stringify(decided), id);
      if (publish) this.insertVersion(publish);
      return true;
    }).immediate();
  }

  async publish(version: PublishedVersion): Promise<void> {
    this.insertVersion(version);
  }

  private insertVersion(v: PublishedVersion): void {
    try {
      this.db.prepare('INSERT INTO policy_versions (policy_id, version, sha256, body) VALUES (?, ?, ?, ?)').run(v.policyId, v.version, v.sha256, JSON.stringify(v));
    } catch (e) {
      if (isUnique(e)) throw new PolicyStoreError('conflict', `${v.policyId}@${v.version} is already published; a published version never changes (publish a new version)`);
      throw e;
    }
  }

  async getPublished(policyId: string, version: string): Promise<PublishedVersion | undefined> {
    const body = this.db.prepare('SELECT body FROM policy_versions WHERE policy_id = ? AND version = ?').pluck().get(policyId, version) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as PublishedVersion);
  }

  async listPublished(): Promise<PublishedVersion[]> {
    return (this.db.prepare('SELECT body FROM policy_versions ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b) as PublishedVersion);
  }

  async revision(): Promise<number> {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM policy_versions').pluck().get() as number) ?? 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqlitePolicyStore(file: string): PolicyStore {
  return new SqlitePolicyStore(openSqliteFile(file, SCHEMA));
}
