// Port for the tamper-evident audit trail. Drivers live in src/adapters/store; nothing here may import them.
// The stored record is documented in schemas/audit-record.schema.json and the chain in docs/audit-hash-chain.md.

/**
 * Chain records that are not decisions (a policy published, a change rejected) carry an applicationId with
 * this prefix (`event:POLICY_PUBLISHED`). They are hashed and verified like every record; decision lists and
 * exports skip them unless the filter's applicationId names one.
 */
export const EVENT_APPLICATION_PREFIX = 'event:';

export interface AuditRecordInput {
  decisionId: string;
  /** ISO 8601 date-time with offset; filters and purge compare it as an instant. */
  decidedAt: string;
  applicationId: string;
  /** Keyed hash of the borrower id, computed by the caller so the trail never holds the raw id. */
  borrowerIdHash: string;
  callerKeyId: string | null;
  policy: { id: string; version: string; sha256: string };
  versions: { tideover: string; jsonRulesEngine: string };
  application: unknown;
  /** Full decision including its explanation. */
  decision: unknown;
  /** One entry per option decided; indexed for list filters. */
  outcomes: { option: string; decision: string }[];
  idempotencyKey?: string;
  requestHash?: string;
  /** Shadow (challenger) policy decision, recorded but never returned to the caller. */
  challenger?: unknown;
}

export interface AuditRecord extends AuditRecordInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface PolicySnapshot {
  sha256: string;
  policyId: string;
  version: string;
  /** Policy file text, kept so any recorded decision can be replayed against the exact policy. */
  source: string;
}

export interface AppendResult {
  record: AuditRecord;
  /** True when the idempotency key was already recorded; `record` is then the original and nothing was written. */
  existing: boolean;
}

export interface DecisionQuery {
  applicationId?: string;
  borrowerIdHash?: string;
  /** Inclusive lower bound on decidedAt (ISO date or date-time). */
  from?: string;
  /** Exclusive upper bound on decidedAt (ISO date or date-time). */
  to?: string;
  /** `option` and `decision` must match the same outcome entry. */
  option?: string;
  decision?: string;
  /** 1..1000. */
  limit: number;
  /** Opaque value from a previous page's nextCursor. */
  cursor?: string;
}

export interface DecisionPage {
  /** Ascending seq (oldest first). */
  records: AuditRecord[];
  nextCursor?: string;
}

export interface ChainLink {
  seq: number;
  hash: string;
}

/** Written by purge so the chain stays verifiable without the purged records. */
export interface PurgeCheckpoint {
  /** UTC instant; records decided before it were eligible. */
  purgedBefore: string;
  lastSeq: number;
  lastHash: string;
  /** Records removed by this purge. */
  count: number;
  at: string;
  /** Lowercase hex HMAC-SHA256(signingKey, RFC 8785 JSON of the other five fields). */
  signature: string;
}

export interface PurgeResult {
  purged: number;
  checkpoint?: PurgeCheckpoint;
}

export interface VerifyResult {
  ok: boolean;
  /** Records checked (purged ones are not counted). */
  records: number;
  firstBrokenId?: string;
  reason?: string;
  /** Last verified link; publish it elsewhere to also detect a wholesale rewrite. */
  head?: ChainLink;
  checkpoint?: { lastSeq: number; purgedBefore: string; signatureChecked: boolean };
}

export interface AuditStoreStats {
  /** append calls accepted into the queue. */
  appends: number;
  /** appends answered with an existing record (idempotency key already recorded). */
  existing: number;
  /** committed write transactions; fewer than appends proves group commit. */
  commits: number;
  failedCommits: number;
  largestBatch: number;
}

export interface AuditStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Resolves only once the record is durable; rejects with AuditStoreError (never hangs). */
  append(rec: AuditRecordInput, snapshot: PolicySnapshot): Promise<AppendResult>;
  get(decisionId: string): Promise<AuditRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<AuditRecord | undefined>;
  list(q: DecisionQuery): Promise<DecisionPage>;
  /** Ascending seq, streamed page by page; same decidedAt bounds as DecisionQuery. */
  export(range: { from?: string; to?: string }): AsyncIterable<AuditRecord>;
  policySnapshot(sha256: string): Promise<PolicySnapshot | undefined>;
  /** Without a key a purge checkpoint is trusted as stored (reported as signatureChecked: false). */
  verify(signingKey?: Buffer): Promise<VerifyResult>;
  /** Deletes the oldest records decided before `before`, stopping at the first later one so the chain stays whole. */
  purge(before: string, signingKey: Buffer): Promise<PurgeResult>;
  /** How many records purge(before) would delete now (decisions and events alike), deleting nothing. */
  purgePreview(before: string): Promise<{ purged: number }>;
  /** Proves the store can write (a rolled-back write); throws if not. */
  ping(): Promise<void>;
  stats(): AuditStoreStats;
  /** Flushes pending appends first. */
  close(): Promise<void>;
}

/**
 * closed → store was closed; unavailable → storage failed (HTTP 503); conflict → decision id already recorded
 * under another request, or the chain is broken where a purge would erase it; invalid → bad input (cursor, dates).
 */
export type AuditStoreErrorCode = 'closed' | 'unavailable' | 'conflict' | 'invalid';

export class AuditStoreError extends Error {
  constructor(
    readonly code: AuditStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuditStoreError';
  }
}
