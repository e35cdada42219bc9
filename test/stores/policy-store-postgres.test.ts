import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresPolicyStore } from '../../src/adapters/store/postgres/policy-store.js';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';
import { policyStoreContract } from './policy-store-contract.js';

const configured = process.env.TEST_DATABASE_URL;
const { connectionString } = parsePostgresUrl(configured ?? 'postgres://postgres@127.0.0.1:5432/test');

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

const unreachable = await sql('SELECT 1').then(
  () => undefined,
  (e: Error) => e.message,
);
if (unreachable && configured) throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${unreachable}`);

policyStoreContract(
  'postgres',
  async () => {
    // A fresh schema per test, dropped after it.
    const schema = `policy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = new URL(connectionString);
    url.searchParams.set('schema', schema);
    const store = await openPostgresPolicyStore(url.toString());
    return {
      store,
      other: () => openPostgresPolicyStore(url.toString()),
      editPublished: (policyId, version) => sql(`UPDATE "${schema}".policy_versions SET body = '{}' WHERE policy_id = $1 AND version = $2`, [policyId, version]),
      close: async () => {
        await store.close();
        await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  },
  Boolean(unreachable),
);
