// Port for policy publication: drafts, changes awaiting approval and published versions. Drivers live in
// src/adapters/store (the same database as the audit trail, so every instance sharing it sees them).
import type { PolicyChange } from '../generated/policy-change.js';

export interface StoredDraft {
  policyId: string;
  policy: string;
  tests: string | null;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

export type ChangeStatus = PolicyChange['status'];

/** A change as stored: the answer's fields (schemas/policy-change.schema.json) with the YAML always kept. */
export type StoredChange = Omit<PolicyChange, 'diff' | 'impact' | 'policy' | 'tests'> & {
  diff: unknown;
  impact: unknown;
  policy: string;
  tests: string;
};

/** A published version: its content never changes once stored. */
export interface PublishedVersion {
  policyId: string;
  version: string;
  sha256: string;
  policy: string;
  tests: string | null;
  /** API: approved through a change; REPOSITORY: imported from POLICY_DIR, approved by the repository's review. */
  origin: 'API' | 'REPOSITORY';
  author: string;
  submittedBy: string;
  submittedAt: string;
  approvedBy: string;
  approvedAt: string;
  changeId?: string;
  comment?: string;
}

export interface PolicyStore {
  readonly kind: 'sqlite' | 'postgres';
  getDraft(policyId: string): Promise<StoredDraft | undefined>;
  listDrafts(): Promise<StoredDraft[]>;
  /** Creates or replaces the draft's policy and/or tests; the other part is kept. */
  saveDraft(policyId: string, part: { policy?: string; tests?: string }, by: string, at: string): Promise<StoredDraft>;
  deleteDraft(policyId: string): Promise<boolean>;

  createChange(change: StoredChange): Promise<void>;
  getChange(id: string): Promise<StoredChange | undefined>;
  /** Newest first. */
  listChanges(status?: ChangeStatus): Promise<StoredChange[]>;
  /**
   * Moves a PENDING change to APPROVED (publishing `publish` in the same transaction) or REJECTED.
   * Resolves false when the change was no longer pending; rejects with PolicyStoreError('conflict')
   * when the version is already published.
   */
  decideChange(id: string, outcome: { status: 'APPROVED' | 'REJECTED'; by: string; at: string; comment?: string; reason?: string }, publish?: PublishedVersion): Promise<boolean>;

  /** Stores a version for good; PolicyStoreError('conflict') when that version is already published. */
  publish(version: PublishedVersion): Promise<void>;
  getPublished(policyId: string, version: string): Promise<PublishedVersion | undefined>;
  /** Every published version, oldest first. */
  listPublished(): Promise<PublishedVersion[]>;
  /** Grows with every publication: instances poll it to learn that the published set changed. */
  revision(): Promise<number>;
  close(): Promise<void>;
}

export class PolicyStoreError extends Error {
  constructor(
    readonly code: 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'PolicyStoreError';
  }
}
