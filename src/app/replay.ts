import type { RestructuringApplication } from '../generated/application.js';
import type { DecisionResult } from '../generated/decision.js';
import { decide } from '../core/decide/decide.js';
import { TideoverError } from '../core/errors.js';
import { recordedForm, type RecordedDecision } from '../core/explain/recorded.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import { diffJson, type Difference } from './diff.js';
import { policyFromSnapshot } from './snapshots.js';

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
  const policy = await policyFromSnapshot(audit, record.policy.sha256, decisionId);
  const recorded = record.decision as RecordedDecision;
  const replayed = await decide({
    application: record.application as RestructuringApplication,
    policy,
    evaluator: makeEvaluator(policy),
    now: record.decidedAt,
    decisionId: record.decisionId,
    language: recorded.language,
    selectedBy: recorded.policy.selectedBy,
  });
  // A compact record (no rule trees) is compared with the replay in the same form: its facts and fired
  // rules determine the trees, so nothing recorded escapes the comparison.
  const comparable: DecisionResult | RecordedDecision = Array.isArray(recorded.explanation.rules) ? replayed : recordedForm(replayed);
  const differences = diffJson(JSON.parse(JSON.stringify(recorded)), JSON.parse(JSON.stringify(comparable)));
  return { decisionId, policy: record.policy, identical: differences.length === 0, differences };
}
