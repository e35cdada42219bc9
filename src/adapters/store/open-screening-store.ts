// Picks the screening store driver from AUDIT_URL: runs and results live in the audit trail's database.
import { auditTarget } from './audit-url.js';
import type { ScreeningStore } from '../../ports/screening-store.js';
import { openPostgresScreeningStore } from './postgres/screening-store.js';
import { openSqliteScreeningStore } from './sqlite/screening-store.js';

export async function openScreeningStore(auditUrl: string): Promise<ScreeningStore> {
  const target = auditTarget(auditUrl);
  return target.kind === 'sqlite' ? openSqliteScreeningStore(target.file) : openPostgresScreeningStore(target.url);
}
