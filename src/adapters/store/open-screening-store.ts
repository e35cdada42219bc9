// Picks the screening store driver from AUDIT_URL: runs and results live in the audit trail's database.
import { resolve } from 'node:path';
import type { ScreeningStore } from '../../ports/screening-store.js';
import { openPostgresScreeningStore } from './postgres/screening-store.js';
import { openSqliteScreeningStore } from './sqlite/screening-store.js';

export async function openScreeningStore(auditUrl: string): Promise<ScreeningStore> {
  if (auditUrl.startsWith('sqlite:')) {
    const path = auditUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('AUDIT_URL "sqlite:" needs a file path, e.g. sqlite:./data/audit.db');
    return openSqliteScreeningStore(path === ':memory:' ? path : resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(auditUrl)) return openPostgresScreeningStore(auditUrl);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(auditUrl)?.[1] ?? '(none)';
  throw new Error(`AUDIT_URL has unsupported scheme "${scheme}"; use sqlite:<path> or postgres://…`);
}
