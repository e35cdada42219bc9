// Picks the policy store driver from AUDIT_URL: policy publication lives in the audit trail's database.
import { auditTarget } from './audit-url.js';
import type { PolicyStore } from '../../ports/policy-store.js';
import { openPostgresPolicyStore } from './postgres/policy-store.js';
import { openSqlitePolicyStore } from './sqlite/policy-store.js';

export async function openPolicyStore(auditUrl: string): Promise<PolicyStore> {
  const target = auditTarget(auditUrl);
  return target.kind === 'sqlite' ? openSqlitePolicyStore(target.file) : openPostgresPolicyStore(target.url);
}
