// Sealing a batch of appends onto the chain head, shared by every driver's appendBatch.
import { AuditStoreError, type AppendResult, type AuditRecord, type ChainLink, type PolicySnapshot } from '../../../ports/audit-store.js';
import type { PreparedAppend } from '../driver.js';
import type { Settled } from './group-commit.js';
import { sealRecord, toStoredRow, type StoredRow } from './records.js';

export interface BatchLookup {
  /** Already stored records by idempotency key. */
  byKey: Map<string, AuditRecord>;
  /** Already stored decision ids. */
  ids: Set<string>;
}

export interface BatchPlan {
  results: Settled<AppendResult>[];
  rows: StoredRow[];
  snapshots: PolicySnapshot[];
  head: ChainLink;
}

/** Seals the batch onto `head`; keys already stored, or seen earlier in the batch, resolve to the original. */
export function planBatch(items: PreparedAppend[], head: ChainLink, found: BatchLookup): BatchPlan {
  const byKey = new Map(found.byKey);
  const ids = new Set(found.ids);
  const snapshots = new Map<string, PolicySnapshot>();
  const rows: StoredRow[] = [];
  let link = head;
  const results = items.map(({ record: prepared, snapshot }): Settled<AppendResult> => {
    const key = prepared.idempotencyKey;
    const original = key === undefined ? undefined : byKey.get(key);
    if (original) return { ok: true, value: { record: original, existing: true } };
    if (ids.has(prepared.decisionId)) {
      return { ok: false, error: new AuditStoreError('conflict', `decision ${prepared.decisionId} is already recorded`) };
    }
    const record = sealRecord(prepared, link);
    link = { seq: record.seq, hash: record.hash };
    ids.add(record.decisionId);
    if (key !== undefined) byKey.set(key, record);
    snapshots.set(snapshot.sha256, snapshot);
    rows.push(toStoredRow(record));
    return { ok: true, value: { record, existing: false } };
  });
  return { results, rows, snapshots: [...snapshots.values()], head: link };
}
