import pg from 'pg';
import { parsePostgresUrl } from './driver.js';

export interface OpenedPool {
  pool: pg.Pool;
  /** The schema's quoted name, ready to prefix a table. */
  s: string;
}

/**
 * A pool on the audit trail's schema whose tables `ddl` creates. Two instances starting together would
 * race on CREATE … IF NOT EXISTS (PostgreSQL answers a duplicate-key error on pg_class), so the DDL runs
 * under an advisory lock named for the store and the schema.
 */
export async function openPoolWithTables(url: string, store: string, opts: { max: number; queryTimeoutMs: number }, ddl: (s: string) => string): Promise<OpenedPool> {
  const { connectionString, schema } = parsePostgresUrl(url);
  const pool = new pg.Pool({ connectionString, max: opts.max, connectionTimeoutMillis: 5000, query_timeout: opts.queryTimeoutMs, application_name: `tideover-${store}` });
  pool.on('error', () => undefined);
  const s = `"${schema}"`;
  const lock = `tideover-${store}-store:${schema}`;
  try {
    const c = await pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${s};\n${ddl(s)}`);
      } finally {
        await c.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      c.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return { pool, s };
}
