// Row helpers shared by the SQLite and PostgreSQL policy stores.
import type { PolicyStore, StoredChange, StoredDraft } from '../../ports/policy-store.js';

/** A save replaces the part it names and keeps the other; the last editor is who may not approve. */
export function mergeDraft(old: StoredDraft | undefined, policyId: string, part: { policy?: string; tests?: string }, by: string, at: string): StoredDraft {
  return {
    policyId,
    policy: part.policy ?? old?.policy ?? '',
    tests: part.tests ?? old?.tests ?? null,
    createdBy: old?.createdBy ?? by,
    createdAt: old?.createdAt ?? at,
    updatedBy: by,
    updatedAt: at,
  };
}

/** A change as it reads once decided. */
export function decidedChange(change: StoredChange, o: Parameters<PolicyStore['decideChange']>[1]): StoredChange {
  return {
    ...change,
    status: o.status,
    decidedBy: o.by,
    decidedAt: o.at,
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
  };
}

