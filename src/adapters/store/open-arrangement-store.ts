import { auditTarget } from './audit-url.js';
import type { ArrangementStore } from '../../ports/arrangement-store.js';
import { openPostgresArrangements } from './postgres/arrangement-store.js';
import { openSqliteArrangements } from './sqlite/arrangement-store.js';

/**
 * The arrangement store beside the audit trail named by AUDIT_URL: PostgreSQL in the same schema, or for
 * `sqlite:<path>` the file `<path>.arrangements` (in memory for `sqlite::memory:`).
 */
export async function openArrangementStore(auditUrl: string): Promise<ArrangementStore> {
  const target = auditTarget(auditUrl);
  if (target.kind === 'postgres') return openPostgresArrangements(target.url);
  return openSqliteArrangements(target.file === ':memory:' ? target.file : `${target.file}.arrangements`);
}
