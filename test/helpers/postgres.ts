import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';

/** The PostgreSQL of this machine and CI (trust auth), or TEST_DATABASE_URL. */
export const { connectionString: PG_URL } = parsePostgresUrl(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

/**
 * A fresh schema for one test file: its name, the service URL that selects it (`?schema=`), and drop(), which
 * removes it and the pg-boss schema beside it (`<schema>_pgboss`).
 */
export function freshSchema(prefix: string): { schema: string; url: string; drop: () => Promise<void> } {
  const schema = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  return {
    schema,
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Why PostgreSQL cannot be reached, or undefined when it can. With TEST_DATABASE_URL set (CI, .ci/run) an
 * unreachable server fails the test file instead of skipping it.
 */
export async function postgresUnreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  const unreachable = await client.connect().then(
    () => undefined,
    (e: Error) => e.message,
  );
  await client.end().catch(() => undefined);
  if (unreachable && process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${unreachable}`);
  return unreachable;
}
