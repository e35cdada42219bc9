// The contract between the hash-chained audit store and a database backend: drivers only speak SQL.
import type { AppendResult, ChainLink, DecisionQuery, PolicySnapshot, PurgeCheckpoint } from '../../ports/audit-store.js';
import type { PreparedRecord, StoredRow } from './chain/records.js';
import type { Settled } from './chain/group-commit.js';

export interface PreparedAppend {
  record: PreparedRecord;
  snapshot: PolicySnapshot;
}

/** A DecisionQuery's filters on indexed columns, from/to already made UTC instants by utcInstant(). */
export type RowFilter = Omit<DecisionQuery, 'limit' | 'cursor'>;

export interface StoreDriver {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * In ONE transaction that excludes every other writer of the chain: read the head, look up the batch's
   * idempotency keys and decision ids, apply planBatch, insert its rows and snapshots, move the head.
   */
  appendBatch(items: PreparedAppend[]): Promise<Settled<AppendResult>[]>;
  bodyById(decisionId: string): Promise<string | undefined>;
  bodyByIdempotencyKey(key: string): Promise<string | undefined>;
  /** Bodies with seq > afterSeq matching the filter, ascending seq. */
  bodies(filter: RowFilter, afterSeq: number, limit: number): Promise<{ seq: number; body: string }[]>;
  /** Stored rows (body and index columns) with afterSeq < seq <= uptoSeq, ascending seq. */
  rows(afterSeq: number, uptoSeq: number, limit: number): Promise<StoredRow[]>;
  policySnapshot(sha256: string): Promise<PolicySnapshot | undefined>;
  head(): Promise<ChainLink>;
  latestCheckpoint(): Promise<PurgeCheckpoint | undefined>;
  /** Highest seq such that it and every record before it were decided before `before` (0 if none). */
  purgeBoundary(before: string): Promise<number>;
  /** Deletes seq <= checkpoint.lastSeq and stores the checkpoint, unless the latest checkpoint moved past anchorSeq. */
  deletePrefix(checkpoint: PurgeCheckpoint, anchorSeq: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Clock for purge checkpoints. */
  now?: () => Date;
  /** Most appends committed in one transaction. */
  maxBatch?: number;
}
