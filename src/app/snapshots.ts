import { TideoverError } from '../core/errors.js';
import { loadPolicy } from '../core/policy/load.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import type { AuditStore } from '../ports/audit-store.js';

/** The policy a recorded decision was made under, compiled again from the snapshot the trail kept of it. */
export async function policyFromSnapshot(audit: AuditStore, sha256: string, decisionId: string): Promise<CompiledPolicy> {
  const snapshot = await audit.policySnapshot(sha256);
  if (!snapshot) throw new TideoverError('NOT_FOUND', `The policy snapshot ${sha256} of decision ${decisionId} is missing.`);
  const { policy, problems } = loadPolicy(snapshot.source, `snapshot:${snapshot.policyId}@${snapshot.version}`, snapshot.sha256);
  if (!policy) throw new TideoverError('POLICY_SEMANTIC', `The recorded policy no longer loads: ${problems[0]?.message}`);
  return policy;
}
