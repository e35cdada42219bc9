// Picks the policy store driver from AUDIT_URL: policy publication lives in the audit trail's database.
import { resolve } from 'node:path';
import type { PolicyStore } from '../../ports/policy-store.js';
import { openPostgresPolicyStore } from './postgres/policy-store.js';
import { openSqlitePolicyStore } from './sqlite/policy-store.js';

export async function openPolicyStore(auditUrl: string): Promise<PolicyStore> {
  if (auditUrl.startsWith('sqlite:')) {
    const path = auditUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('AUDIT_URL "sqlite:" needs a file path, e.g. sqlite:./data/audit.db');
    return openSqlitePolicyStore(path === ':memory:' ? path : resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(auditUrl)) return openPostgresPolicyStore(auditUrl);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(auditUrl)?.[1] ?? '(none)';
  throw new Error(`AUDIT_URL has unsupported scheme "${scheme}"; use sqlite:<path> or postgres://…`);
}
