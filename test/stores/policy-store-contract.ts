import { describe, expect, it } from 'vitest';
import type { PolicyStore, PublishedVersion, StoredChange } from '../../src/ports/policy-store.js';

export interface PolicyStoreHarness {
  store: PolicyStore;
  /** A second store on the same database, as another instance would open it. */
  other: () => Promise<PolicyStore>;
  /** Tries to edit a published version's text in place behind the store's back. */
  editPublished: (policyId: string, version: string) => Promise<void>;
  close: () => Promise<void>;
}

export const published = (version: string, over: Partial<PublishedVersion> = {}): PublishedVersion => ({
  policyId: 'restructuring', version, sha256: version.replace(/\D/g, '').padEnd(64, 'a'), policy: `version: ${version}`, tests: null,
  origin: 'API', author: 'alice', submittedBy: 'alice', submittedAt: '2026-12-01T00:00:00.000Z', approvedBy: 'bob', approvedAt: '2026-12-01T01:00:00.000Z', ...over,
});

export const change = (id: string, over: Partial<StoredChange> = {}): StoredChange => ({
  id, policyId: 'restructuring', version: '1.1.0', sha256: 'b'.repeat(64), kind: 'DRAFT', replaces: '1.0.0', author: 'alice', submittedBy: 'alice',
  submittedAt: '2026-12-01T00:00:00.000Z', status: 'PENDING', diff: { summary: 'x' }, impact: { decisionsUsed: 0 }, policy: 'p', tests: 't', ...over,
});

/** One contract for every policy store driver (SQLite and real PostgreSQL). */
export function policyStoreContract(name: string, open: () => Promise<PolicyStoreHarness>, skip = false): void {
  describe.skipIf(skip)(`policy store contract: ${name}`, () => {
    const withStore = (fn: (h: PolicyStoreHarness) => Promise<void>) => async () => {
      const h = await open();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    };

    it('saves a draft in parts: tests keep the policy, the last editor is recorded, and another instance sees it', withStore(async (h) => {
      await h.store.saveDraft('restructuring', { policy: 'a: 1' }, 'alice', '2026-12-01T00:00:00.000Z');
      const d = await h.store.saveDraft('restructuring', { tests: 'cases: []' }, 'carol', '2026-12-01T00:01:00.000Z');
      expect(d).toMatchObject({ policy: 'a: 1', tests: 'cases: []', createdBy: 'alice', updatedBy: 'carol', updatedAt: '2026-12-01T00:01:00.000Z' });
      const other = await h.other();
      try {
        expect(await other.getDraft('restructuring')).toEqual(d);
        expect((await other.listDrafts()).map((x) => x.policyId)).toEqual(['restructuring']);
      } finally {
        await other.close();
      }
      expect(await h.store.deleteDraft('restructuring')).toBe(true);
      expect(await h.store.deleteDraft('restructuring')).toBe(false);
      expect(await h.store.getDraft('restructuring')).toBeUndefined();
    }));

    it('decides a pending change once: approval publishes in the same step, a second decision is refused', withStore(async (h) => {
      await h.store.createChange(change('c1'));
      await h.store.createChange(change('c2', { version: '1.2.0', submittedAt: '2026-12-02T00:00:00.000Z' }));
      expect((await h.store.listChanges('PENDING')).map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(await h.store.decideChange('c1', { status: 'APPROVED', by: 'bob', at: '2026-12-03T00:00:00.000Z', comment: 'ok' }, published('1.1.0'))).toBe(true);
      expect(await h.store.decideChange('c1', { status: 'REJECTED', by: 'bob', at: '2026-12-03T00:00:00.000Z', reason: 'late' })).toBe(false);
      expect(await h.store.getChange('c1')).toMatchObject({ status: 'APPROVED', decidedBy: 'bob', comment: 'ok' });
      expect((await h.store.listChanges('PENDING')).map((c) => c.id)).toEqual(['c2']);
      expect((await h.store.listPublished()).map((p) => p.version)).toEqual(['1.1.0']);
    }));

    it('a published version never changes: publishing it again is a conflict, an edit in place is refused by the database', withStore(async (h) => {
      await h.store.publish(published('1.0.0'));
      const before = await h.store.revision();
      await expect(h.store.publish(published('1.0.0', { sha256: 'c'.repeat(64) }))).rejects.toMatchObject({ name: 'PolicyStoreError', code: 'conflict' });
      await expect(h.editPublished('restructuring', '1.0.0')).rejects.toThrow(/immutable/);
      expect(await h.store.getPublished('restructuring', '1.0.0')).toMatchObject({ sha256: published('1.0.0').sha256 });
      expect(await h.store.revision()).toBe(before);
    }));

    it('an approval whose version is already published is rolled back whole: the change stays pending', withStore(async (h) => {
      await h.store.publish(published('1.1.0'));
      await h.store.createChange(change('c1'));
      await expect(h.store.decideChange('c1', { status: 'APPROVED', by: 'bob', at: '2026-12-03T00:00:00.000Z' }, published('1.1.0', { sha256: 'd'.repeat(64) }))).rejects.toMatchObject({ code: 'conflict' });
      expect(await h.store.getChange('c1')).toMatchObject({ status: 'PENDING' });
    }));

    it('the revision grows with each publication, as another instance sees it', withStore(async (h) => {
      const r0 = await h.store.revision();
      await h.store.publish(published('1.0.0'));
      const other = await h.other();
      try {
        expect(await other.revision()).toBeGreaterThan(r0);
        await other.publish(published('1.1.0'));
        expect(await h.store.revision()).toBe(await other.revision());
        expect((await h.store.listPublished()).map((p) => p.version)).toEqual(['1.0.0', '1.1.0']);
      } finally {
        await other.close();
      }
    }));
  });
}
