import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openArrangementStore } from '../../src/adapters/store/open-arrangement-store.js';
import { openPolicyStore } from '../../src/adapters/store/open-policy-store.js';
import { openScreeningStore } from '../../src/adapters/store/open-screening-store.js';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';

const configured = process.env.TEST_DATABASE_URL;
const { connectionString } = parsePostgresUrl(configured ?? 'postgres://postgres@127.0.0.1:5432/test');
const client = () => new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
const pgUp = await (async () => {
  const c = client();
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
})();

// Instances that start at the same moment create the same tables; without a lock PostgreSQL answers one of
// them a duplicate-key error on pg_class and that instance does not start.
describe.skipIf(!pgUp && !configured)('PostgreSQL stores opened by several instances at once', () => {
  it('every store opens four times concurrently on a fresh schema without a creation race', async () => {
    const schema = `open_together_${process.pid}_${randomBytes(3).toString('hex')}`;
    const url = new URL(connectionString);
    url.searchParams.set('schema', schema);
    try {
      for (const open of [openArrangementStore, openPolicyStore, openScreeningStore] as ((u: string) => Promise<{ close(): Promise<void> }>)[]) {
        const stores = await Promise.all([1, 2, 3, 4].map(() => open(url.toString())));
        expect(stores).toHaveLength(4);
        await Promise.all(stores.map((s) => s.close()));
      }
    } finally {
      const c = client();
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });
});
