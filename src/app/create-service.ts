// The one composition of the use cases: main.ts, the CLI and the tests hand it the adapters they picked
// (audit store, policy source, clock, ids) and get the same services back.
import type { DecisionResult } from '../generated/decision.js';
import type { PolicyProblem } from '../core/policy/problem.js';
import type { ScheduleBuilder } from '../core/money/schedule-api.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { IdGenerator } from '../ports/ids.js';
import type { PolicyLoader } from '../ports/policy-source.js';
import { checkPolicies, type CheckResult } from './check-policies.js';
import { DecisionService } from './decision-service.js';
import { evaluatorFactory, referenceFactory, scheduleBuilder } from './evaluators.js';
import { PolicyRuntime, type ReloadOutcome } from './policy-runtime.js';
import { matchesPin, parsePolicyRef, PolicySet, type PolicyPin } from './policy-set.js';
import { ShadowStats } from './shadow-stats.js';
import type { PolicyStore } from '../ports/policy-store.js';
import { composePublication, type Publication } from './publication/compose.js';
import type { RefusedFile } from './publication/serving.js';

export interface ServiceConfig {
  policySource: PolicyLoader;
  audit: AuditStore;
  clock: Clock;
  ids: IdGenerator;
  /** Secret for the keyed borrower hash and the purge checkpoint signatures. */
  secret: Buffer;
  versions: { tideover: string; jsonRulesEngine: string };
  /** EVALUATOR: `compiled` (default) or `jre`. */
  evaluator?: string;
  /** MONEY: `exact` (default) or `reference`. */
  money?: string;
  /** SHADOW_POLICY: a challenger `id@version` or `version`, decided beside the champion and recorded. */
  shadowPolicy?: string;
  /** Check every policy test case against json-rules-engine too (the default when a faster evaluator serves). */
  crossCheck?: boolean;
  onReload?: (outcome: ReloadOutcome) => void;
  onDecision?: (d: DecisionResult, ms: { audit: number }) => void;
  /**
   * Policy publication (drafts, changes, published versions) in the audit trail's database. When given,
   * what serves is what is published there, and `policySource` (POLICY_DIR) only ever adds new versions,
   * imported as approved by the repository's review.
   */
  policyStore?: PolicyStore;
  /** A policy file whose version is already published with other content: refused, the old content keeps serving. */
  onRefusedFile?: (r: RefusedFile) => void;
}

export interface Service {
  decisions: DecisionService;
  runtime: PolicyRuntime;
  audit: AuditStore;
  policies: () => PolicySet;
  makeEvaluator: EvaluatorFactory;
  schedules: ScheduleBuilder;
  shadow?: ShadowStats;
  /** The start-up check of the policy source (its warnings included). */
  checked: CheckResult;
  secret: Buffer;
  /** Present when a policy store was given. */
  publication?: Publication;
}

/** The policy source at start failed validation or its own tests; nothing is served. */
export class PoliciesRejected extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super('policies failed validation or their tests; not serving them');
    this.name = 'PoliciesRejected';
  }
}

/** SHADOW_POLICY is malformed or names no loaded version: the start stops rather than shadow nothing. */
export class ShadowPolicyUnknown extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShadowPolicyUnknown';
  }
}

function shadowPin(ref: string, checked: CheckResult): PolicyPin {
  const pin = parsePolicyRef(ref);
  const loaded = checked.loaded.map((l) => `${l.policy.id}@${l.policy.version}`);
  if (!pin) throw new ShadowPolicyUnknown(`SHADOW_POLICY=${JSON.stringify(ref)} is not a version (1.2.0) or id@version (restructuring@1.2.0)`);
  if (!checked.loaded.some((l) => matchesPin(l.policy, pin)))
    throw new ShadowPolicyUnknown(`SHADOW_POLICY=${JSON.stringify(ref)} names no policy version in the policy source (loaded: ${loaded.join(', ') || 'none'}); not starting`);
  return pin;
}

/** Checks the policy source once and builds the services over it. Throws PoliciesRejected, or the source's own error. */
export async function createService(config: ServiceConfig): Promise<Service> {
  const makeEvaluator = evaluatorFactory(config.evaluator);
  const makeReference = config.crossCheck === false ? undefined : referenceFactory(config.evaluator);
  const schedules = scheduleBuilder(config.money);
  const passed = new Set<string>();
  const publication = config.policyStore
    ? composePublication({
        store: config.policyStore, audit: config.audit, files: config.policySource, makeEvaluator, schedules, clock: config.clock, ids: config.ids, versions: config.versions,
        ...(makeReference ? { makeReference } : {}),
        ...(config.onRefusedFile ? { onRefused: config.onRefusedFile } : {}),
        passed,
      })
    : undefined;
  const source = publication ? publication.source : config.policySource;
  const checked = await checkPolicies(await source(), makeEvaluator, makeReference, passed);
  if (!checked.ok) throw new PoliciesRejected(checked.problems);

  const runtime = new PolicyRuntime(new PolicySet(checked.loaded, checked.problems, config.clock.now()), {
    source,
    passed,
    makeEvaluator,
    // With publication, every version was cross-checked against json-rules-engine before it was published (submit,
    // file import); a reload after another instance published runs its tests with the serving evaluator only.
    ...(makeReference && !publication ? { makeReference } : {}),
    now: () => config.clock.now(),
    ...(config.onReload ? { onReload: config.onReload } : {}),
  });
  publication?.attach(runtime);
  const policies = () => runtime.current();
  const pin = config.shadowPolicy ? shadowPin(config.shadowPolicy, checked) : undefined;
  const shadow = pin ? { ...pin, stats: new ShadowStats(config.shadowPolicy!) } : undefined;
  const decisions = new DecisionService({
    policies,
    audit: config.audit,
    makeEvaluator,
    schedules,
    clock: config.clock,
    ids: config.ids,
    borrowerKey: config.secret,
    versions: config.versions,
    ...(shadow ? { shadow } : {}),
    ...(config.onDecision ? { onDecision: config.onDecision } : {}),
  });
  return {
    decisions,
    runtime,
    audit: config.audit,
    policies,
    makeEvaluator,
    schedules,
    ...(shadow ? { shadow: shadow.stats } : {}),
    checked,
    secret: config.secret,
    ...(publication ? { publication } : {}),
  };
}
