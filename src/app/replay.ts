import type { RestructuringApplication } from '../generated/application.js';
import type { DecisionResult } from '../generated/decision.js';
import { decide } from '../core/decide/decide.js';
import { TideoverError } from '../core/errors.js';
import { loadPolicy } from '../core/policy/load.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { EvaluatorFactory } from './check-policies.js';
import { diffJson, type Difference } from './diff.js';

export interface ReplayResult {
  decisionId: string;
  policy: { id: string; version: string; sha256: string };
  identical: boolean;
  differences: Difference[];
}

/**
 * Re-evaluates a recorded application under the recorded policy snapshot at the recorded time and
 * decision id; deterministic because the core reads no clock and makes no ids.
 */
export async function replayDecision(audit: AuditStore, decisionId: string, makeEvaluator: EvaluatorFactory): Promise<ReplayResult> {
  const record = await audit.get(decisionId);
  if (!record) throw new TideoverError('NOT_FOUND', `No decision ${decisionId} in the audit trail.`);
  const snapshot = await audit.policySnapshot(record.policy.sha256);
  if (!snapshot) throw new TideoverError('NOT_FOUND', `The policy snapshot ${record.policy.sha256} of decision ${decisionId} is missing.`);
  const { policy, problems } = loadPolicy(snapshot.source, `snapshot:${snapshot.policyId}@${snapshot.version}`, snapshot.sha256);
  if (!policy) throw new TideoverError('POLICY_SEMANTIC', `The recorded policy no longer loads: ${problems[0]?.message}`);
  const recorded = record.decision as DecisionResult;
  const replayed = await decide({
    application: record.application as RestructuringApplication,
    policy,
    evaluator: makeEvaluator(policy),
    now: record.decidedAt,
    decisionId: record.decisionId,
    language: recorded.language,
    selectedBy: recorded.policy.selectedBy,
  });
  const differences = diffJson(JSON.parse(JSON.stringify(recorded)), JSON.parse(JSON.stringify(replayed)));
  return { decisionId, policy: record.policy, identical: differences.length === 0, differences };
}
