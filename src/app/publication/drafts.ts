import type { RestructuringApplication } from '../../generated/application.js';
import type { DecisionResult } from '../../generated/decision.js';
import type { PolicyDraft, Refusal } from '../../generated/policy-draft.js';
import type { PolicyChange } from '../../generated/policy-change.js';
import { decide } from '../../core/decide/decide.js';
import { TideoverError } from '../../core/errors.js';
import type { Language } from '../../core/explain/reasons.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import { loadPolicy } from '../../core/policy/load.js';
import type { ScheduleBuilder } from '../../core/money/schedule-api.js';
import type { AuditStore } from '../../ports/audit-store.js';
import type { PolicyStore, StoredChange, StoredDraft } from '../../ports/policy-store.js';
import type { EvaluatorFactory } from '../check-policies.js';
import { semverCompare } from '../policy-set.js';
import { checkDraft, sha256Text } from './check-draft.js';
import { impactOf } from './impact.js';
import { diffPolicies } from '../policy-diff.js';

export const POLICY_ID = /^[a-z][a-z0-9-]{0,63}$/;

export interface PublicationDeps {
  store: PolicyStore;
  audit: AuditStore;
  makeEvaluator: EvaluatorFactory;
  makeReference?: EvaluatorFactory;
  schedules?: ScheduleBuilder;
  clock: { now(): string };
  ids: { next(): string };
  versions: { tideover: string; jsonRulesEngine: string };
  /** Called once a version is published here, so this instance serves it at once (the others poll the store). */
  onPublished?: () => void;
}

/** Submit refused: every reason, so the author fixes them all at once. */
export class SubmitRefused extends TideoverError {
  constructor(readonly refusals: Refusal[]) {
    super('CHANGE_REFUSED', `The draft cannot be submitted: ${refusals.map((r) => r.message).join('; ')}.`);
  }
}

export function checkedPolicyId(policyId: string): string {
  if (!POLICY_ID.test(policyId)) throw new TideoverError('INVALID_BODY', `policyId must match ${POLICY_ID.source}, got ${JSON.stringify(policyId.slice(0, 80))}`, [{ pointer: '/path/policyId', message: 'not a policy id' }]);
  return policyId;
}

/** What a change answers: the YAML only when asked for one change. */
export function changeView(c: StoredChange, withContent: boolean): PolicyChange {
  const { policy, tests, diff, impact, ...rest } = c;
  return { ...rest, diff: diff as PolicyChange['diff'], impact: impact as PolicyChange['impact'], ...(withContent ? { policy, tests } : {}) };
}

/**
 * Drafts: written, checked on every save, tried without recording, submitted as changes. A draft never
 * serves; only an approved change (or a file the repository's review approved) is published.
 */
export class PolicyDrafts {
  constructor(protected readonly deps: PublicationDeps) {}

  protected async publishedVersions(policyId: string): Promise<string[]> {
    return (await this.deps.store.listPublished()).filter((p) => p.policyId === policyId).map((p) => p.version);
  }

  async view(d: StoredDraft): Promise<PolicyDraft> {
    const { check, version } = await checkDraft({ policyId: d.policyId, policy: d.policy, tests: d.tests, published: await this.publishedVersions(d.policyId) }, this.deps.makeEvaluator, this.deps.makeReference);
    return { ...d, version, sha256: sha256Text(d.policy), check };
  }

  async save(policyId: string, part: { policy?: string; tests?: string }, by: string): Promise<PolicyDraft> {
    return this.view(await this.deps.store.saveDraft(checkedPolicyId(policyId), part, by, this.deps.clock.now()));
  }

  async get(policyId: string): Promise<PolicyDraft> {
    return this.view(await this.stored(policyId));
  }

  /** Without their checks (each would run the draft's tests): open one draft for that. */
  async list(): Promise<Omit<PolicyDraft, 'check' | 'policy' | 'tests'>[]> {
    return (await this.deps.store.listDrafts()).map(({ policy, tests: _t, ...d }) => ({ ...d, sha256: sha256Text(policy), version: /^\s*version:\s*['"]?([0-9A-Za-z.+-]+)/m.exec(policy)?.[1] ?? null }));
  }

  async discard(policyId: string): Promise<void> {
    if (!(await this.deps.store.deleteDraft(checkedPolicyId(policyId)))) throw new TideoverError('NOT_FOUND', `No draft of policy ${policyId}.`);
  }

  private async stored(policyId: string): Promise<StoredDraft> {
    const d = await this.deps.store.getDraft(checkedPolicyId(policyId));
    if (!d) throw new TideoverError('NOT_FOUND', `No draft of policy ${policyId}.`);
    return d;
  }

  /** Decides one application with the draft; nothing is recorded (the answer says so). */
  async try(policyId: string, application: RestructuringApplication, language: Language): Promise<{ recorded: false; note: string; policy: { id: string; version: string; sha256: string }; decision: DecisionResult }> {
    const d = await this.stored(policyId);
    const { policy, problems } = loadPolicy(d.policy, `${policyId}/draft.yaml`, sha256Text(d.policy));
    if (!policy) throw new TideoverError('POLICY_SEMANTIC', `The draft does not load: ${problems.filter((p) => p.severity === 'error').slice(0, 3).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('; ')}`);
    const now = this.deps.clock.now();
    const decision = await decide({ application, policy, evaluator: this.deps.makeEvaluator(policy), now, decisionId: `try-${this.deps.ids.next()}`, language, selectedBy: `draft ${policy.id}@${policy.version} (tried, not recorded)`, schedules: this.deps.schedules });
    return { recorded: false, note: 'Decided with the draft; nothing was recorded in the audit trail and the draft serves no traffic.', policy: { id: policy.id, version: policy.version, sha256: policy.sha256 }, decision };
  }

  /** Turns the draft into a PENDING change, or refuses with every reason. */
  async submit(policyId: string, by: string): Promise<PolicyChange> {
    const d = await this.stored(policyId);
    const change = await this.prepareChange(d.policyId, d.policy, d.tests, { author: d.updatedBy, by, kind: 'DRAFT' });
    await this.deps.store.deleteDraft(d.policyId);
    return change;
  }

  /** Checks, diffs and simulates a candidate, then stores it as a PENDING change. */
  protected async prepareChange(policyId: string, text: string, tests: string | null, who: { author: string; by: string; kind: 'DRAFT' | 'ROLLBACK'; rollbackTo?: string }): Promise<PolicyChange> {
    const published = (await this.deps.store.listPublished()).filter((p) => p.policyId === policyId);
    const { check, policy } = await checkDraft({ policyId, policy: text, tests, published: published.map((p) => p.version) }, this.deps.makeEvaluator, this.deps.makeReference);
    if (!check.submittable || !policy) throw new SubmitRefused(check.refusals);
    const pending = (await this.deps.store.listChanges('PENDING')).find((c) => c.policyId === policyId && c.version === policy.version);
    if (pending) throw new TideoverError('CHANGE_CONFLICT', `Change ${pending.id} already proposes ${policyId}@${policy.version} and is pending.`);
    const latest = [...published].sort((a, b) => semverCompare(a.version, b.version)).pop();
    let base: CompiledPolicy | undefined;
    if (latest) base = loadPolicy(latest.policy, `${policyId}/${latest.version}.yaml`, latest.sha256).policy;
    const now = this.deps.clock.now();
    const candidate = { policy, evaluator: this.deps.makeEvaluator(policy) };
    const impact = await impactOf(this.deps.audit, base ? { policy: base, evaluator: this.deps.makeEvaluator(base) } : undefined, candidate, now);
    const change: StoredChange = {
      id: this.deps.ids.next(),
      policyId,
      version: policy.version,
      sha256: policy.sha256,
      kind: who.kind,
      ...(who.rollbackTo ? { rollbackTo: who.rollbackTo } : {}),
      replaces: latest?.version ?? null,
      author: who.author,
      submittedBy: who.by,
      submittedAt: now,
      status: 'PENDING',
      diff: base ? diffPolicies(base, policy) : null,
      impact,
      policy: text,
      tests: tests ?? '',
    };
    await this.deps.store.createChange(change);
    return changeView(change, false);
  }
}
