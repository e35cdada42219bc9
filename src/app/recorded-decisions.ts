import type { DecisionResult } from '../generated/decision.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import type { Evaluator } from '../core/evaluate/evaluator.js';
import { expandRecorded, type RecordedDecision } from '../core/explain/recorded.js';
import type { AuditRecord, AuditStore } from '../ports/audit-store.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { PolicySet } from './policy-set.js';
import { policyFromSnapshot } from './snapshots.js';

/** Policies compiled from snapshots kept for expansion; a handful of retired versions is the realistic working set. */
const SNAPSHOT_CACHE = 16;

/**
 * Turns what the trail recorded back into the decision the caller got: the explanation's rule trees are
 * rebuilt under the recorded policy (the loaded version when it is still loaded, else its snapshot).
 */
export class RecordedDecisions {
  private readonly fromSnapshots = new Map<string, Promise<{ policy: CompiledPolicy; evaluator: Evaluator }>>();

  constructor(private readonly deps: { audit: AuditStore; policies: () => PolicySet; makeEvaluator: EvaluatorFactory }) {}

  async full(record: AuditRecord): Promise<DecisionResult> {
    const recorded = record.decision as RecordedDecision;
    if (Array.isArray(recorded.explanation.rules)) return recorded as DecisionResult;
    return expandRecorded(recorded, (await this.policyFor(record)).evaluator);
  }

  private policyFor(record: AuditRecord): Promise<{ policy: CompiledPolicy; evaluator: Evaluator }> {
    const { sha256 } = record.policy;
    const live = this.deps.policies().versions.find((v) => v.policy.sha256 === sha256);
    if (live) return Promise.resolve(live);
    let cached = this.fromSnapshots.get(sha256);
    if (!cached) {
      cached = policyFromSnapshot(this.deps.audit, sha256, record.decisionId).then((policy) => ({ policy, evaluator: this.deps.makeEvaluator(policy) }));
      // A failed load is not cached: the next read tries again.
      cached.catch(() => this.fromSnapshots.delete(sha256));
      if (this.fromSnapshots.size >= SNAPSHOT_CACHE) this.fromSnapshots.delete(this.fromSnapshots.keys().next().value!);
      this.fromSnapshots.set(sha256, cached);
    }
    return cached;
  }
}
