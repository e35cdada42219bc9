import type { AuditEvent } from '../../generated/audit-event.js';
import type { PolicyChange } from '../../generated/policy-change.js';
import { TideoverError } from '../../core/errors.js';
import { AuditStoreError } from '../../ports/audit-store.js';
import { PolicyStoreError, type ChangeStatus, type PublishedVersion, type StoredChange } from '../../ports/policy-store.js';
import { appendEvent } from '../audit-events.js';
import { semverCompare } from '../policy-set.js';
import { changeView, checkedPolicyId, PolicyDrafts } from './drafts.js';

export const POLICY_EVENTS = ['POLICY_PUBLISHED', 'POLICY_CHANGE_REJECTED'] as const;

/** The approver's view of who wrote a change: neither may approve it (maker–checker). */
function makers(c: StoredChange): string[] {
  return [...new Set([c.submittedBy, c.author])];
}

/** Publishes the new YAML: metadata.version replaced, effectiveFrom moved up to `from` when it is earlier. */
export function rollbackText(text: string, version: string, from: string): string {
  const withVersion = text.replace(/^(\s+version:\s*)['"]?[0-9A-Za-z.+-]+['"]?/m, `$1${version}`);
  return withVersion.replace(/^(\s+effectiveFrom:\s*)['"]?(\d{4}-\d{2}-\d{2})['"]?/m, (m, lead: string, date: string) => (date < from ? `${lead}${from}` : m));
}

/**
 * Changes: maker–checker approval. Approving publishes the version for good and records POLICY_PUBLISHED in
 * the audit chain; rejecting records POLICY_CHANGE_REJECTED. Every instance sharing the store then serves it.
 */
export class PolicyPublication extends PolicyDrafts {
  async changes(status?: ChangeStatus): Promise<PolicyChange[]> {
    return (await this.deps.store.listChanges(status)).map((c) => changeView(c, false));
  }

  async change(id: string): Promise<PolicyChange> {
    return changeView(await this.storedChange(id), true);
  }

  private async storedChange(id: string): Promise<StoredChange> {
    const c = await this.deps.store.getChange(id);
    if (!c) throw new TideoverError('NOT_FOUND', `No policy change ${id}.`);
    return c;
  }

  private async pending(id: string): Promise<StoredChange> {
    const c = await this.storedChange(id);
    if (c.status !== 'PENDING') throw new TideoverError('CHANGE_CONFLICT', `Change ${id} is ${c.status}, not PENDING.`);
    return c;
  }

  async approve(id: string, by: string, comment?: string): Promise<PolicyChange> {
    const c = await this.pending(id);
    if (makers(c).includes(by))
      throw new TideoverError('SELF_APPROVAL', `Key ${by} ${c.submittedBy === by ? 'submitted' : 'last edited'} change ${id}; a key never approves a change it submitted or last edited: another key with the policy-approver role must approve it.`);
    const published = await this.deps.store.listPublished();
    const clash = published.find((p) => p.policyId === c.policyId && semverCompare(c.version, p.version) <= 0);
    if (clash) throw new TideoverError('CHANGE_CONFLICT', `${c.policyId}@${clash.version} was published after this change was submitted; ${c.version} is no longer greater than every published version.`);
    const at = this.deps.clock.now();
    const version: PublishedVersion = {
      policyId: c.policyId, version: c.version, sha256: c.sha256, policy: c.policy, tests: c.tests, origin: 'API',
      author: c.author, submittedBy: c.submittedBy, submittedAt: c.submittedAt, approvedBy: by, approvedAt: at, changeId: c.id,
      ...(comment !== undefined ? { comment } : {}),
    };
    // The chain record is durable before anything serves the version.
    await this.record('POLICY_PUBLISHED', by, at, c, { approvedBy: by, approvedAt: at, comment: comment ?? null, origin: 'API' });
    try {
      if (!(await this.deps.store.decideChange(id, { status: 'APPROVED', by, at, ...(comment !== undefined ? { comment } : {}) }, version)))
        throw new TideoverError('CHANGE_CONFLICT', `Change ${id} was decided by another request meanwhile.`);
    } catch (e) {
      if (e instanceof PolicyStoreError && e.code === 'conflict') throw new TideoverError('CHANGE_CONFLICT', e.message);
      throw e;
    }
    this.deps.onPublished?.();
    return changeView(await this.storedChange(id), false);
  }

  async reject(id: string, by: string, reason: string): Promise<PolicyChange> {
    const c = await this.pending(id);
    const at = this.deps.clock.now();
    await this.record('POLICY_CHANGE_REJECTED', by, at, c, { rejectedBy: by, rejectedAt: at, reason });
    if (!(await this.deps.store.decideChange(id, { status: 'REJECTED', by, at, reason }))) throw new TideoverError('CHANGE_CONFLICT', `Change ${id} was decided by another request meanwhile.`);
    return changeView(await this.storedChange(id), false);
  }

  /** One decision record per change (its id says so): a concurrent second approval or rejection is refused by the chain. */
  private async record(type: (typeof POLICY_EVENTS)[number], by: string, at: string, c: StoredChange, extra: Record<string, unknown>): Promise<AuditEvent> {
    try {
      return await this.appendDecision(type, by, at, c, extra);
    } catch (e) {
      if (e instanceof AuditStoreError && e.code === 'conflict') throw new TideoverError('CHANGE_CONFLICT', `Change ${c.id} was decided by another request meanwhile.`);
      throw e;
    }
  }

  private appendDecision(type: (typeof POLICY_EVENTS)[number], by: string, at: string, c: StoredChange, extra: Record<string, unknown>): Promise<AuditEvent> {
    return appendEvent(this.deps.audit, {
      id: `decide-${c.id}`.slice(0, 64),
      type,
      at,
      callerKeyId: by,
      data: { policyId: c.policyId, version: c.version, sha256: c.sha256, changeId: c.id, kind: c.kind, author: c.author, submittedBy: c.submittedBy, submittedAt: c.submittedAt, ...extra },
      policy: { id: c.policyId, version: c.version, sha256: c.sha256, source: c.policy },
      versions: this.deps.versions,
    });
  }

  /** A new version (the next patch above every published one) with `toVersion`'s content, submitted for approval. */
  async rollback(policyId: string, toVersion: string, by: string): Promise<PolicyChange> {
    const published = (await this.deps.store.listPublished()).filter((p) => p.policyId === checkedPolicyId(policyId));
    const target = published.find((p) => p.version === toVersion);
    if (!target) throw new TideoverError('NOT_FOUND', `${policyId}@${toVersion} is not published.`);
    const top = [...published].sort((a, b) => semverCompare(a.version, b.version)).pop()!;
    const [maj, min, patch] = top.version.split(/[.-]/).map(Number) as [number, number, number];
    const next = `${maj}.${min}.${patch + 1}`;
    // Selection takes the latest effectiveFrom on or before a date: the copy must not start before the versions it undoes.
    const latestFrom = published.map((p) => /^\s+effectiveFrom:\s*['"]?(\d{4}-\d{2}-\d{2})/m.exec(p.policy)?.[1] ?? '').sort().pop() ?? '';
    return this.prepareChange(policyId, rollbackText(target.policy, next, latestFrom), target.tests, { author: by, by, kind: 'ROLLBACK', rollbackTo: toVersion });
  }

  /** Published versions, oldest first, with who approved each. */
  published(): Promise<PublishedVersion[]> {
    return this.deps.store.listPublished();
  }
}
