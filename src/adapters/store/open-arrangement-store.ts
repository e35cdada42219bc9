import { resolve } from 'node:path';
import type { ArrangementStore } from '../../ports/arrangement-store.js';
import { openPostgresArrangements } from './postgres/arrangement-store.js';
import { openSqliteArrangements } from './sqlite/arrangement-store.js';

/**
 * The arrangement store beside the audit trail named by AUDIT_URL: PostgreSQL in the same schema, or for
 * `sqlite:<path>` the file `<path>.arrangements` (in memory for `sqlite::memory:`).
 */
export async function openArrangementStore(auditUrl: string): Promise<ArrangementStore> {
  if (auditUrl.startsWith('sqlite:')) {
    const path = auditUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    return openSqliteArrangements(path === ':memory:' ? path : `${resolve(path)}.arrangements`);
  }
  if (/^postgres(ql)?:\/\//.test(auditUrl)) return openPostgresArrangements(auditUrl);
  throw new Error('AUDIT_URL has an unsupported scheme; use sqlite:<path> or postgres://…');
}
