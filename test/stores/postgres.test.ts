import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';
import type { AuditStore } from '../../src/ports/audit-store.js';
import { auditStoreContract, input, snapshot, type Harness } from './audit-contract.js';

const configured = process.env.TEST_DATABASE_URL;
const { connectionString } = parsePostgresUrl(configured ?? 'postgres://postgres@127.0.0.1:5432/test');

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const unreachable = await withClient((c) => c.query('SELECT 1')).then(
  () => undefined,
  (err: Error) => err.message,
);

let n = 0;
function freshSchema(): { schema: string; url: string } {
  const schema = `audit_test_${process.pid}_${++n}_${randomBytes(3).toString('hex')}`;
  const url = new URL(connectionString);
  url.searchParams.set('schema', schema);
  return { schema, url: url.toString() };
}

const dropSchema = (schema: string) => withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

async function openHarness(): Promise<Harness> {
  const { schema, url } = freshSchema();
  const s = `"${schema}"`;
  const store = await openAuditStore(url);
  const direct = (sql: string, params: unknown[] = []) => withClient((c) => c.query(sql, params)).then(() => undefined);
  return {
    store,
    reopen: () => openAuditStore(url),
    tamper: {
      editDecision: (id, decision) =>
        direct(`UPDATE ${s}.audit_records SET body = jsonb_set(body::jsonb, '{decision}', $1::jsonb)::text WHERE decision_id = $2`, [
          JSON.stringify(decision),
          id,
        ]),
      deleteRecord: (id) =>
        direct(
          `WITH o AS (DELETE FROM ${s}.audit_outcomes WHERE decision_id = $1) DELETE FROM ${s}.audit_records WHERE decision_id = $1`,
          [id],
        ),
      swapSeq: (a, b) =>
        withClient(async (c) => {
          const seqOf = async (id: string) => (await c.query(`SELECT seq FROM ${s}.audit_records WHERE decision_id = $1`, [id])).rows[0]?.seq;
          const [sa, sb] = [await seqOf(a), await seqOf(b)];
          const move = (seq: unknown, id: string) => c.query(`UPDATE ${s}.audit_records SET seq = $1 WHERE decision_id = $2`, [seq, id]);
          // Park one row first: the primary key forbids two rows sharing a seq even for a moment.
          await move(-1, a);
          await move(sa, b);
          await move(sb, a);
        }),
      breakStorage: () => direct(`DROP TABLE ${s}.audit_records CASCADE`),
    },
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

if (unreachable && !configured) {
  console.warn(`Skipping PostgreSQL audit store tests: no server at ${new URL(connectionString).host} (${unreachable}). Set TEST_DATABASE_URL to require them.`);
  describe.skip('postgres audit store', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  auditStoreContract('postgres', openHarness);

  describe('postgres audit store', () => {
    it('keeps ONE chain when two instances append concurrently', async () => {
      const { schema, url } = freshSchema();
      let stores: AuditStore[] = [];
      try {
        // Opening together also exercises the migration lock.
        stores = await Promise.all([openAuditStore(url), openAuditStore(url)]);
        const inputs = stores.map(() => Array.from({ length: 300 }, () => input()));
        const results = await Promise.all(stores.flatMap((store, i) => (inputs[i] ?? []).map((rec) => store.append(rec, snapshot))));
        const seqs = results.map((r) => r.record.seq).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
        for (const [i, store] of stores.entries()) {
          expect(store.stats().commits).toBeLessThan(300);
          for (const rec of inputs[i] ?? []) expect((await stores[1 - i]?.get(rec.decisionId))?.decisionId).toBe(rec.decisionId);
        }
        expect(await stores[0]?.verify()).toMatchObject({ ok: true, records: 600, head: { seq: 600 } });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(schema);
      }
    });

    it('creates its tables in the schema named by ?schema=', async () => {
      const { schema, url } = freshSchema();
      const store = await openAuditStore(url);
      try {
        const tables = await withClient((c) =>
          c.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema]),
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual([
          'audit_checkpoints', 'audit_head', 'audit_outcomes', 'audit_records', 'policy_snapshots', 'schema_migrations',
        ]);
        expect(store.kind).toBe('postgres');
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });

    it('recovers when the server drops its connections', async () => {
      const { schema, url } = freshSchema();
      const tagged = new URL(url);
      tagged.searchParams.set('application_name', schema);
      const store = await openAuditStore(tagged.toString());
      try {
        await store.append(input(), snapshot);
        const killed = await withClient((c) =>
          c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema]),
        );
        expect(killed.rowCount).toBeGreaterThan(0);
        // The pool hears the idle connections die (without crashing the process) and opens new ones.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await Promise.all([store.append(input(), snapshot), store.append(input(), snapshot)]);
        expect(await store.verify()).toMatchObject({ ok: true, records: 3 });
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });

    it('fails fast when the server cannot be reached', async () => {
      await expect(openAuditStore('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow();
    });
  });
}
