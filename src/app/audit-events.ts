import type { AuditEvent } from '../generated/audit-event.js';
import { EVENT_APPLICATION_PREFIX, type AuditRecord, type AuditStore } from '../ports/audit-store.js';

/**
 * Records in the audit chain that are not decisions (a policy published, a change rejected): they go
 * through the same append as decisions, so they are hashed, linked and durable before they are
 * acknowledged and `audit verify` covers them. The record's applicationId is `event:<TYPE>` (its indexed
 * column lists them by type), its decision member holds `{type, data}`, and its policy snapshot is the
 * policy text the event is about.
 */
export const EVENT_PREFIX = EVENT_APPLICATION_PREFIX;

/** Every event type recorded; GET /v1/audit/events without ?type= lists these (add a new type here). */
export const EVENT_TYPES = ['POLICY_PUBLISHED', 'POLICY_CHANGE_REJECTED', 'SCREENING_RUN', 'ARRANGEMENT_STATUS'] as const;

export interface EventInput {
  id: string;
  type: string;
  at: string;
  callerKeyId: string | null;
  data: Record<string, unknown>;
  /** The policy the event is about; its text is kept as the record's policy snapshot. */
  policy: { id: string; version: string; sha256: string; source: string };
  versions: { tideover: string; jsonRulesEngine: string };
}

export async function appendEvent(audit: AuditStore, e: EventInput): Promise<AuditEvent> {
  const { record } = await audit.append(
    {
      decisionId: e.id,
      decidedAt: e.at,
      applicationId: `${EVENT_PREFIX}${e.type}`,
      borrowerIdHash: 'none',
      callerKeyId: e.callerKeyId,
      policy: { id: e.policy.id, version: e.policy.version, sha256: e.policy.sha256 },
      versions: e.versions,
      application: null,
      decision: { type: e.type, data: e.data },
      outcomes: [],
    },
    { sha256: e.policy.sha256, policyId: e.policy.id, version: e.policy.version, source: e.policy.source },
  );
  return eventOf(record)!;
}

export function isEventRecord(r: Pick<AuditRecord, 'applicationId'>): boolean {
  return r.applicationId.startsWith(EVENT_PREFIX);
}

export function eventOf(r: AuditRecord): AuditEvent | undefined {
  if (!isEventRecord(r)) return undefined;
  const body = r.decision as { type?: string; data?: Record<string, unknown> };
  return { seq: r.seq, eventId: r.decisionId, type: body.type ?? r.applicationId.slice(EVENT_PREFIX.length), at: r.decidedAt, callerKeyId: r.callerKeyId, data: body.data ?? {}, prevHash: r.prevHash, hash: r.hash };
}

/** Events of the given types (or every type listed), oldest first, at most `limit`. */
export async function listEvents(audit: AuditStore, types: string[], limit = 1000): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for (const type of types) {
    let cursor: string | undefined;
    do {
      const page = await audit.list({ applicationId: `${EVENT_PREFIX}${type}`, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const r of page.records) {
        const e = eventOf(r);
        if (e) out.push(e);
      }
      cursor = page.nextCursor;
    } while (cursor && out.length < limit * types.length);
  }
  return out.sort((a, b) => a.seq - b.seq).slice(-limit);
}
