// Picks the audit store driver from AUDIT_URL.
import { resolve } from 'node:path';
import type { AuditStore } from '../../ports/audit-store.js';
import type { StoreOptions } from './driver.js';
import { openPostgresStore } from './postgres/driver.js';
import { openSqliteStore } from './sqlite/driver.js';

export type { StoreOptions } from './driver.js';

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite:///abs/path` and `sqlite::memory:` also work) or
 * `postgres://…` / `postgresql://…` with an optional `?schema=name`.
 */
export async function openAuditStore(url: string, options: StoreOptions = {}): Promise<AuditStore> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('AUDIT_URL "sqlite:" needs a file path, e.g. sqlite:./data/audit.db');
    return openSqliteStore(path === ':memory:' ? path : resolve(path), options);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, options);
  // Only the scheme is echoed: the rest of a database URL may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '(none)';
  throw new Error(`AUDIT_URL has unsupported scheme "${scheme}"; use sqlite:<path> or postgres://…`);
}
