// Behaviour every AuditStore driver must show; run by sqlite.test.ts and postgres.test.ts.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  AuditStoreError,
  type AuditRecord,
  type AuditRecordInput,
  type AuditStore,
  type PolicySnapshot,
} from '../../src/ports/audit-store.js';
import { sha256Hex } from '../../src/app/sha256.js';
import { GENESIS, hashRecord } from '../../src/adapters/store/chain/records.js';
import type { AuditRecord as SchemaAuditRecord } from '../../src/generated/audit-record.js';

/** Direct database access, bypassing the store, to play the part of someone editing the trail. */
export interface Tamper {
  editDecision(decisionId: string, decision: unknown): Promise<void>;
  deleteRecord(decisionId: string): Promise<void>;
  swapSeq(decisionIdA: string, decisionIdB: string): Promise<void>;
  /** Leaves the store unable to write (e.g. its table is gone). */
  breakStorage(): Promise<void>;
}

export interface Harness {
  store: AuditStore;
  /** Opens another store on the same database (after the first was closed). */
  reopen(): Promise<AuditStore>;
  tamper: Tamper;
  cleanup(): Promise<void>;
}

// Compile-time guard: what the schema documents must be usable wherever the port's record is expected.
export const schemaMatchesPort = (r: SchemaAuditRecord): AuditRecord => r;

const schemaDir = new URL('../../schemas/', import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
ajv.addSchema(JSON.parse(readFileSync(new URL('common.schema.json', schemaDir), 'utf8')));
// The store keeps application and decision as opaque JSON (these tests store small stand-ins), so the contract
// checks the record's envelope; test/app/recorded-schemas.test.ts checks real recorded decisions against the full schema.
const recordSchema = JSON.parse(readFileSync(new URL('audit-record.schema.json', schemaDir), 'utf8'));
const validateRecord = ajv.compile({ ...recordSchema, properties: { ...recordSchema.properties, application: {}, decision: {}, challenger: {} } });

const source = 'id: restructuring\nversion: 2026.1\nrules: []\n';
export const snapshot: PolicySnapshot = { sha256: sha256Hex(source), policyId: 'restructuring', version: '2026.1', source };
const signingKey = Buffer.from('audit-checkpoint-test-key-000001');

export function input(over: Partial<AuditRecordInput> = {}): AuditRecordInput {
  const decisionId = over.decisionId ?? `dec-${randomUUID()}`;
  return {
    decisionId,
    decidedAt: '2026-03-01T09:30:00+08:00',
    applicationId: 'app-1',
    borrowerIdHash: 'b1'.repeat(32),
    callerKeyId: 'key-1',
    policy: { id: snapshot.policyId, version: snapshot.version, sha256: snapshot.sha256 },
    versions: { tideover: '0.1.0', jsonRulesEngine: '7.3.1' },
    application: { applicationId: over.applicationId ?? 'app-1', loan: { outstanding: '50000.00' } },
    decision: { decisionId, options: [{ option: 'INSTALLMENT', outcome: 'APPROVE', reasons: ['affordable'] }] },
    outcomes: [{ option: 'INSTALLMENT', decision: 'APPROVE' }],
    ...over,
  };
}

async function appendMany(store: AuditStore, count: number, over: (i: number) => Partial<AuditRecordInput> = () => ({})) {
  const records: AuditRecord[] = [];
  for (let i = 0; i < count; i++) records.push((await store.append(input(over(i)), snapshot)).record);
  return records;
}

/** Submitted in one tick, so they share group commits; results keep submission order. */
async function appendConcurrently(store: AuditStore, count: number, over: (i: number) => Partial<AuditRecordInput>) {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => store.append(input(over(i)), snapshot)));
  return results.map((r) => r.record);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<AuditStoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuditStoreError);
  return err as AuditStoreError;
}

export function auditStoreContract(name: string, open: () => Promise<Harness>): void {
  async function fresh(): Promise<Harness> {
    const harness = await open();
    onTestFinished(() => harness.cleanup());
    return harness;
  }

  describe(`${name} audit store contract`, () => {
    it('round-trips a record with its chain fields and documented shape', async () => {
      const { store } = await fresh();
      const rec = input({ idempotencyKey: 'idem-1', requestHash: 'r'.repeat(64), challenger: { outcome: 'REFER' } });
      const { record, existing } = await store.append(rec, snapshot);
      expect(existing).toBe(false);
      expect(record).toMatchObject({ ...rec, seq: 1, prevHash: GENESIS.hash });
      expect(record.hash).toBe(hashRecord(record));
      expect(await store.get(rec.decisionId)).toEqual(record);
      expect(await store.findByIdempotencyKey('idem-1')).toEqual(record);
      expect(await store.get('missing')).toBeUndefined();
      expect(validateRecord(record), JSON.stringify(validateRecord.errors)).toBe(true);
      await store.ping();
    });

    it('keeps only documented fields and hashes exactly what it returns', async () => {
      const { store } = await fresh();
      const rec = { ...input({ decision: { at: new Date('2026-03-01T00:00:00Z'), skipped: undefined } }), extra: 'x' };
      const { record } = await store.append(rec, snapshot);
      expect(record).not.toHaveProperty('extra');
      expect(record.decision).toEqual({ at: '2026-03-01T00:00:00.000Z' });
      expect(await store.get(rec.decisionId)).toEqual(record);
      expect((await store.verify()).ok).toBe(true);
    });

    it('rejects input it cannot record faithfully', async () => {
      const { store } = await fresh();
      expect((await rejection(store.append(input({ decidedAt: 'yesterday' }), snapshot))).code).toBe('invalid');
      expect((await rejection(store.append(input({ decision: { x: Number.NaN } }), snapshot))).code).toBe('invalid');
      const otherPolicy = { ...snapshot, sha256: 'f'.repeat(64) };
      expect((await rejection(store.append(input(), otherPolicy))).code).toBe('invalid');
    });

    it('verifies a chain of many records', async () => {
      const { store } = await fresh();
      const records = await appendMany(store, 60);
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      const result = await store.verify();
      expect(result).toMatchObject({ ok: true, records: 60, head: { seq: 60, hash: records[59]?.hash } });
    });

    it('group-commits 200 concurrent appends: all durable, one ordered chain, few transactions', async () => {
      const { store } = await fresh();
      const inputs = Array.from({ length: 200 }, () => input());
      const results = await Promise.all(inputs.map((rec) => store.append(rec, snapshot)));
      const seqs = results.map((r) => r.record.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      // Submission order is preserved within the batch.
      expect(results.map((r) => r.record.seq)).toEqual(seqs);
      for (const rec of inputs) expect((await store.get(rec.decisionId))?.decisionId).toBe(rec.decisionId);
      expect(await store.verify()).toMatchObject({ ok: true, records: 200 });
      const stats = store.stats();
      expect(stats.appends).toBe(200);
      expect(stats.commits).toBeGreaterThan(0);
      expect(stats.commits).toBeLessThan(20);
    });

    it('answers a repeated idempotency key with the original record and writes nothing', async () => {
      const { store } = await fresh();
      const first = await store.append(input({ idempotencyKey: 'k1' }), snapshot);
      const again = await store.append(input({ idempotencyKey: 'k1' }), snapshot);
      expect(again).toEqual({ record: first.record, existing: true });
      const other = await store.append(input({ idempotencyKey: 'k2' }), snapshot);
      expect(other.existing).toBe(false);
      expect(other.record.seq).toBe(2);

      const [a, b] = await Promise.all([
        store.append(input({ idempotencyKey: 'k3' }), snapshot),
        store.append(input({ idempotencyKey: 'k3' }), snapshot),
      ]);
      expect(a?.existing).toBe(false);
      expect(b).toEqual({ record: a?.record, existing: true });
      expect(await store.get(b?.record.decisionId ?? '')).toEqual(a?.record);
      expect(await store.verify()).toMatchObject({ ok: true, records: 3 });
      expect(store.stats().existing).toBe(2);
    });

    it('rejects a decision id recorded under another request without failing its batch', async () => {
      const { store } = await fresh();
      const rec = input();
      await store.append(rec, snapshot);
      const [dup, ok] = await Promise.allSettled([store.append(input({ decisionId: rec.decisionId }), snapshot), store.append(input(), snapshot)]);
      expect(dup.status).toBe('rejected');
      expect(dup.status === 'rejected' && (dup.reason as AuditStoreError).code).toBe('conflict');
      expect(ok.status).toBe('fulfilled');
      expect(await store.verify()).toMatchObject({ ok: true, records: 2 });
    });

    it('filters the list and pages by seq without duplicates or gaps', async () => {
      const { store } = await fresh();
      const options = ['INSTALLMENT', 'GRACE_PERIOD', 'PENALTY_WAIVER'];
      const decisions = ['APPROVE', 'DECLINE'];
      const all = await appendMany(store, 30, (i) => ({
        applicationId: `app-${i % 3}`,
        borrowerIdHash: `borrower-${i % 2}`,
        decidedAt: `2026-03-${String(1 + (i % 10)).padStart(2, '0')}T10:00:00+08:00`,
        outcomes: [
          { option: options[i % 3] ?? '', decision: decisions[i % 2] ?? '' },
          { option: 'ACCOUNT_ACTION', decision: 'NOT_REQUESTED_ELIGIBLE' },
        ],
      }));
      const ids = (records: AuditRecord[]) => records.map((r) => r.decisionId);
      const list = async (q: Omit<Parameters<AuditStore['list']>[0], 'limit'>) => (await store.list({ ...q, limit: 100 })).records;

      expect(ids(await list({ applicationId: 'app-1' }))).toEqual(ids(all.filter((r) => r.applicationId === 'app-1')));
      expect(ids(await list({ borrowerIdHash: 'borrower-0' }))).toEqual(ids(all.filter((r) => r.borrowerIdHash === 'borrower-0')));
      const inRange = (r: AuditRecord) => Date.parse(r.decidedAt) >= Date.parse('2026-03-03T02:00:00Z') && Date.parse(r.decidedAt) < Date.parse('2026-03-06');
      expect(ids(await list({ from: '2026-03-03T10:00:00+08:00', to: '2026-03-06' }))).toEqual(ids(all.filter(inRange)));
      const has = (r: AuditRecord, option?: string, decision?: string) =>
        r.outcomes.some((o) => (option === undefined || o.option === option) && (decision === undefined || o.decision === decision));
      expect(ids(await list({ option: 'GRACE_PERIOD' }))).toEqual(ids(all.filter((r) => has(r, 'GRACE_PERIOD'))));
      expect(ids(await list({ decision: 'DECLINE' }))).toEqual(ids(all.filter((r) => has(r, undefined, 'DECLINE'))));
      // Option and decision must match the same outcome, not one each.
      expect(await list({ option: 'ACCOUNT_ACTION', decision: 'APPROVE' })).toEqual([]);
      const combined = all.filter((r) => r.applicationId === 'app-0' && has(r, 'INSTALLMENT', 'DECLINE'));
      expect(combined.length).toBeGreaterThan(0);
      expect(ids(await list({ applicationId: 'app-0', option: 'INSTALLMENT', decision: 'DECLINE' }))).toEqual(ids(combined));

      const seen: AuditRecord[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...page.records);
        cursor = page.nextCursor;
        // Appends between pages must neither shift nor repeat what the cursor already covered.
        if (pages++ === 1) all.push((await store.append(input(), snapshot)).record);
      } while (cursor);
      expect(ids(seen)).toEqual(ids(all));
      expect(pages).toBe(Math.ceil(all.length / 7));

      expect((await rejection(store.list({ limit: 10, cursor: 'not-a-cursor' }))).code).toBe('invalid');
      expect((await rejection(store.list({ limit: 0 }))).code).toBe('invalid');
      expect((await rejection(store.list({ limit: 10, from: 'soon' }))).code).toBe('invalid');
    });

    it('exports a decidedAt range in seq order', async () => {
      const { store } = await fresh();
      const all = await appendConcurrently(store, 1200, (i) => ({ decidedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }));
      const everything = await collect(store.export({}));
      expect(everything.map((r) => r.seq)).toEqual(all.map((r) => r.seq));
      const range = await collect(store.export({ from: '2026-01-10', to: '2026-01-20T00:00:00Z' }));
      const expected = all.filter((r) => r.decidedAt >= '2026-01-10T00:00:00.000Z' && r.decidedAt < '2026-01-20T00:00:00.000Z');
      expect(range.map((r) => r.decisionId)).toEqual(expected.map((r) => r.decisionId));
      expect(range).toHaveLength(240);
    });

    it('detects an edited decision and names it', async () => {
      const { store, tamper } = await fresh();
      const records = await appendMany(store, 10);
      const victim = records[4]?.decisionId ?? '';
      await tamper.editDecision(victim, { outcome: 'APPROVE', note: 'quietly changed' });
      const result = await store.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenId: victim, records: 4 });
      expect(result.reason).toMatch(/altered/);
    });

    it('detects a deleted record and names the one after it', async () => {
      const { store, tamper } = await fresh();
      const records = await appendMany(store, 10);
      await tamper.deleteRecord(records[4]?.decisionId ?? '');
      expect(await store.verify()).toMatchObject({ ok: false, firstBrokenId: records[5]?.decisionId });
    });

    it('detects deleted newest records through the head', async () => {
      const { store, tamper } = await fresh();
      const records = await appendMany(store, 5);
      await tamper.deleteRecord(records[4]?.decisionId ?? '');
      const result = await store.verify();
      expect(result.ok).toBe(false);
      expect(result.reason).toMatch(/head/);
    });

    it('detects two records whose seq were swapped', async () => {
      const { store, tamper } = await fresh();
      const records = await appendMany(store, 10);
      await tamper.swapSeq(records[2]?.decisionId ?? '', records[6]?.decisionId ?? '');
      const result = await store.verify();
      expect(result.ok).toBe(false);
      expect([records[2]?.decisionId, records[6]?.decisionId]).toContain(result.firstBrokenId);
    });

    it('purges old records behind a signed checkpoint and keeps the chain verifiable', async () => {
      const { store } = await fresh();
      const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}T12:00:00Z`;
      // seq 1-4 old, seq 5 new, seq 6 old again (late writer): only the prefix 1-4 may go.
      const records = await appendMany(store, 8, (i) => ({ decidedAt: day([1, 2, 3, 4, 20, 5, 21, 22][i] ?? 1) }));
      const result = await store.purge('2026-01-10', signingKey);
      expect(result.purged).toBe(4);
      expect(result.checkpoint).toMatchObject({ lastSeq: 4, lastHash: records[3]?.hash, count: 4, purgedBefore: '2026-01-10T00:00:00.000Z' });
      expect(result.checkpoint?.signature).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.get(records[0]?.decisionId ?? '')).toBeUndefined();
      expect(await store.get(records[5]?.decisionId ?? '')).toBeDefined();

      expect(await store.verify(signingKey)).toMatchObject({ ok: true, records: 4, checkpoint: { lastSeq: 4, signatureChecked: true } });
      expect(await store.verify()).toMatchObject({ ok: true, records: 4, checkpoint: { signatureChecked: false } });
      expect(await store.verify(Buffer.from('wrong key'))).toMatchObject({ ok: false });
      expect(await store.purge('2026-01-10', signingKey)).toEqual({ purged: 0 });

      const after = await store.append(input(), snapshot);
      expect(after.record).toMatchObject({ seq: 9, prevHash: records[7]?.hash });
      expect(await store.purge('2027-01-01', signingKey)).toMatchObject({ purged: 5, checkpoint: { lastSeq: 9 } });
      expect(await store.verify(signingKey)).toMatchObject({ ok: true, records: 0 });
      await store.append(input(), snapshot);
      expect(await store.verify(signingKey)).toMatchObject({ ok: true, records: 1, head: { seq: 10 } });
    });

    it('refuses to purge a tampered segment', async () => {
      const { store, tamper } = await fresh();
      const records = await appendMany(store, 5, () => ({ decidedAt: '2026-01-01T00:00:00Z' }));
      await tamper.editDecision(records[1]?.decisionId ?? '', { changed: true });
      const err = await rejection(store.purge('2026-02-01', signingKey));
      expect(err.code).toBe('conflict');
      expect(err.message).toContain(records[1]?.decisionId);
      expect(await store.get(records[0]?.decisionId ?? '')).toBeDefined();
    });

    it('stores each policy snapshot once', async () => {
      const { store } = await fresh();
      await appendMany(store, 3);
      await store.append(input(), { ...snapshot, source: 'a different text under the same hash' });
      expect(await store.policySnapshot(snapshot.sha256)).toEqual(snapshot);
      expect(await store.policySnapshot('0'.repeat(64))).toBeUndefined();
    });

    it('rejects appends once closed, and after a storage failure, instead of hanging', async () => {
      const { store, tamper } = await fresh();
      await store.append(input(), snapshot);
      await tamper.breakStorage();
      const burst = await Promise.allSettled([store.append(input(), snapshot), store.append(input(), snapshot)]);
      for (const r of burst) {
        expect(r.status).toBe('rejected');
        expect(r.status === 'rejected' && (r.reason as AuditStoreError).code).toBe('unavailable');
      }
      expect(store.stats().failedCommits).toBeGreaterThan(0);
      await expect(store.ping()).rejects.toThrow();
      await store.close();
      expect((await rejection(store.append(input(), snapshot))).code).toBe('closed');
      await expect(store.get('x')).rejects.toThrow(/closed/);
    });

    it('flushes pending appends on close and finds everything after reopening', async () => {
      const { store, reopen } = await fresh();
      const records = await appendMany(store, 10);
      const pending = Promise.all([store.append(input(), snapshot), store.append(input(), snapshot)]);
      await store.close();
      const flushed = await pending;
      expect(flushed.map((r) => r.record.seq)).toEqual([11, 12]);

      const again = await reopen();
      try {
        for (const r of [...records, ...flushed.map((f) => f.record)]) expect(await again.get(r.decisionId)).toEqual(r);
        expect((await again.append(input(), snapshot)).record.seq).toBe(13);
        expect(await again.verify()).toMatchObject({ ok: true, records: 13 });
        await again.ping();
      } finally {
        await again.close();
      }
    });
  });
}
