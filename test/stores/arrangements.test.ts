import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openArrangementStore } from '../../src/adapters/store/open-arrangement-store.js';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';
import { DEFAULT_STATUS_RULES } from '../../src/core/arrangements/status.js';
import type { ArrangementRecord, ArrangementStore } from '../../src/ports/arrangement-store.js';

const configured = process.env.TEST_DATABASE_URL;
const { connectionString } = parsePostgresUrl(configured ?? 'postgres://postgres@127.0.0.1:5432/test');
const pgClient = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};
const pgDown = await pgClient((c) => c.query('SELECT 1')).then(
  () => false,
  () => true,
);

const drivers: { name: string; open: () => Promise<{ store: ArrangementStore; reopen: () => Promise<ArrangementStore>; drop: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'tideover-arr-')), 'audit.db')}`;
      return { store: await openArrangementStore(url), reopen: () => openArrangementStore(url), drop: async () => undefined };
    },
  },
];
if (!pgDown || configured)
  drivers.push({
    name: 'postgres',
    open: async () => {
      // A fresh schema per test: no test sees another's rows.
      const schema = `arr_test_${process.pid}_${randomBytes(3).toString('hex')}`;
      const url = new URL(connectionString);
      url.searchParams.set('schema', schema);
      return {
        store: await openArrangementStore(url.toString()),
        reopen: () => openArrangementStore(url.toString()),
        drop: () => pgClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
      };
    },
  });
else console.warn('Skipping PostgreSQL arrangement store tests: no server (set TEST_DATABASE_URL to require them).');

const record = (over: Partial<ArrangementRecord> = {}): ArrangementRecord => ({
  arrangementId: 'arr-1',
  loanId: 'L-1',
  decisionId: 'd-1',
  option: 'INSTALLMENT',
  decision: 'APPROVE',
  acceptedAt: '2026-03-05T10:00:00+08:00',
  createdAt: '2026-03-05T02:00:01.000Z',
  schedule: [
    { dueDate: '2026-04-15', amount: '5205.10' },
    { dueDate: '2026-05-15', amount: '5205.13' },
  ],
  observationPeriodEnd: '2027-04-15',
  rules: DEFAULT_STATUS_RULES,
  vulnerable: false,
  hardshipReason: 'INCOME_REDUCTION',
  payments: [],
  recordedStatus: 'TRIAL',
  ...over,
});

for (const driver of drivers) {
  describe(`arrangement store contract: ${driver.name}`, () => {
    let cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanup.reverse()) await c();
      cleanup = [];
    });
    const open = async () => {
      const h = await driver.open();
      cleanup.push(h.drop, () => h.store.close());
      return h;
    };

    it('keeps the record it was given (equal value) across a reopen', async () => {
      const h = await open();
      expect(await h.store.create(record())).toEqual(record());
      const again = await h.reopen();
      cleanup.push(() => again.close());
      expect(await again.get('arr-1')).toEqual(record());
      expect(await again.get('nope')).toBeUndefined();
    });

    it('a second acceptance of the same decision and option returns the first arrangement', async () => {
      const { store } = await open();
      await store.create(record());
      const second = await store.create(record({ arrangementId: 'arr-2', acceptedAt: '2026-03-06T10:00:00+08:00' }));
      expect(second.arrangementId).toBe('arr-1');
      expect(await store.get('arr-2')).toBeUndefined();
      expect((await store.create(record({ arrangementId: 'arr-3', option: 'GRACE_PERIOD' }))).arrangementId).toBe('arr-3');
    });

    it('appends payments: eight reported at once are all kept', async () => {
      const { store } = await open();
      await store.create(record());
      const pays = Array.from({ length: 8 }, (_, i) => ({ dueDate: '2026-04-15', paidOn: `2026-04-1${i}`, amount: `${i + 1}.00`, reportedAt: `2026-04-1${i}T00:00:00Z` }));
      await Promise.all(pays.map((p) => store.addPayment('arr-1', p)));
      const got = (await store.get('arr-1'))!.payments;
      expect(got).toHaveLength(8);
      expect(new Set(got.map((p) => p.amount))).toEqual(new Set(pays.map((p) => p.amount)));
      expect(await store.addPayment('nope', pays[0]!)).toBeUndefined();
    });

    it('lists by loan and by acceptance date, oldest first, and records the status entered in the chain', async () => {
      const { store } = await open();
      await store.create(record({ arrangementId: 'b', decisionId: 'd-2', acceptedAt: '2026-05-01T09:00:00+08:00' }));
      await store.create(record({ arrangementId: 'a', decisionId: 'd-1' }));
      await store.create(record({ arrangementId: 'c', decisionId: 'd-3', loanId: 'L-2', acceptedAt: '2026-06-01T09:00:00+08:00' }));
      expect((await store.listByLoan('L-1')).map((r) => r.arrangementId)).toEqual(['a', 'b']);
      expect((await store.listAccepted('2026-03-05', '2026-05-01')).map((r) => r.arrangementId)).toEqual(['a', 'b']);
      expect((await store.listAccepted('2026-05-02', '2026-12-31')).map((r) => r.arrangementId)).toEqual(['c']);
      await store.setRecordedStatus('a', 'PERFORMING');
      expect((await store.get('a'))!.recordedStatus).toBe('PERFORMING');
    });
  });
}
