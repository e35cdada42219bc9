// Picks the audit store driver from AUDIT_URL.
import type { AuditStore } from '../../ports/audit-store.js';
import { auditTarget } from './audit-url.js';
import type { StoreOptions } from './driver.js';
import { openPostgresStore } from './postgres/driver.js';
import { openSqliteStore } from './sqlite/driver.js';

export type { StoreOptions } from './driver.js';

/** The audit trail at AUDIT_URL (see auditTarget). */
export async function openAuditStore(url: string, options: StoreOptions = {}): Promise<AuditStore> {
  const target = auditTarget(url);
  return target.kind === 'sqlite' ? openSqliteStore(target.file, options) : openPostgresStore(target.url, options);
}
