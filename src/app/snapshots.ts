import { sha256Hex } from './sha256.js';
import { TideoverError } from '../core/errors.js';
import { loadPolicy } from '../core/policy/load.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import type { AuditStore } from '../ports/audit-store.js';

/**
 * The policy a recorded decision was made under, compiled again from the snapshot the trail kept of it.
 * Snapshots sit outside the hash chain; what chains them is the record's policy sha256, so a snapshot
 * whose text no longer hashes to it was altered and is refused rather than used to explain or replay.
 */
export async function policyFromSnapshot(audit: AuditStore, sha256: string, decisionId: string): Promise<CompiledPolicy> {
  const snapshot = await audit.policySnapshot(sha256);
  if (!snapshot) throw new TideoverError('NOT_FOUND', `The policy snapshot ${sha256} of decision ${decisionId} is missing.`);
  const actual = sha256Hex(snapshot.source);
  if (actual !== sha256) throw new TideoverError('AUDIT_RECORD_INCONSISTENT', `The policy snapshot ${sha256} of decision ${decisionId} was altered: its text hashes to ${actual}.`);
  const { policy, problems } = loadPolicy(snapshot.source, `snapshot:${snapshot.policyId}@${snapshot.version}`, snapshot.sha256);
  if (!policy) throw new TideoverError('POLICY_SEMANTIC', `The recorded policy no longer loads: ${problems[0]?.message}`);
  return policy;
}
