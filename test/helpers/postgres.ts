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
