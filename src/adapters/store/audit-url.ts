// AUDIT_URL read once for every store that lives in the audit trail's database (trail, policies, screening,
// arrangements) and for what sits beside its file (the screening spool folder).
import { resolve } from 'node:path';

/** Where AUDIT_URL points: an SQLite file (absolute, or `:memory:`) or a PostgreSQL URL. */
export type AuditTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite:///abs/path` and `sqlite::memory:` also work) or
 * `postgres://…` / `postgresql://…` with an optional `?schema=name`. Anything else is an error naming only the
 * scheme: the rest of a database URL may hold a password.
 */
export function auditTarget(url: string): AuditTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('AUDIT_URL "sqlite:" needs a file path, e.g. sqlite:./data/audit.db');
    return { kind: 'sqlite', file: path === ':memory:' ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '(none)';
  throw new Error(`AUDIT_URL has unsupported scheme "${scheme}"; use sqlite:<path> or postgres://…`);
}
