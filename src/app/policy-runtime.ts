import type { PolicyProblem } from '../core/policy/problem.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import type { PolicyLoader } from '../ports/policy-source.js';
import { checkPolicies } from './check-policies.js';
import { PolicySet } from './policy-set.js';

export interface ReloadOutcome {
  at: string;
  ok: boolean;
  trigger: string;
  problems: PolicyProblem[];
  versions: string[];
}

export interface PolicyRuntimeDeps {
  /** Reads the policy files afresh (the adapter's I/O). */
  source: PolicyLoader;
  makeEvaluator: EvaluatorFactory;
  /** json-rules-engine, to check a fast evaluator against on every policy test case. */
  makeReference?: EvaluatorFactory;
  now: () => string;
  onReload?: (outcome: ReloadOutcome) => void;
  /** Policies (by policy and tests sha256) whose tests already passed in this process: not run again. */
  passed?: Set<string>;
}

/**
 * Holds the serving policy set. A reload validates the whole new set and runs its tests before one
 * atomic swap; a set that fails leaves the old one serving. Requests take `current()` once at their start.
 */
export class PolicyRuntime {
  private set: PolicySet;
  private last: ReloadOutcome;
  private running: Promise<ReloadOutcome> | undefined;
  private again = false;

  constructor(
    initial: PolicySet,
    private readonly deps: PolicyRuntimeDeps,
  ) {
    this.set = initial;
    this.last = { at: initial.loadedAt, ok: true, trigger: 'start', problems: [...initial.problems], versions: versionsOf(initial) };
  }

  current(): PolicySet {
    return this.set;
  }

  status(): { serving: { loadedAt: string; versions: string[] }; lastReload: ReloadOutcome } {
    return { serving: { loadedAt: this.set.loadedAt, versions: versionsOf(this.set) }, lastReload: this.last };
  }

  /** Concurrent triggers coalesce: one reload runs, and one more follows if a trigger came meanwhile. */
  reload(trigger: string): Promise<ReloadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.attempt(trigger).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload(trigger);
      }
    });
    return this.running;
  }

  private async attempt(trigger: string): Promise<ReloadOutcome> {
    let outcome: ReloadOutcome;
    try {
      const checked = await checkPolicies(await this.deps.source(), this.deps.makeEvaluator, this.deps.makeReference, this.deps.passed);
      const at = this.deps.now();
      if (checked.ok && checked.loaded.length > 0) {
        this.set = new PolicySet(checked.loaded, checked.problems, at);
        outcome = { at, ok: true, trigger, problems: checked.problems, versions: versionsOf(this.set) };
      } else {
        const problems = checked.loaded.length === 0 && checked.ok ? [{ file: '', line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC' as const, severity: 'error' as const, message: 'no policy loaded' }] : checked.problems;
        outcome = { at, ok: false, trigger, problems, versions: versionsOf(this.set) };
      }
    } catch (e) {
      outcome = { at: this.deps.now(), ok: false, trigger, problems: [{ file: '', line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC', severity: 'error', message: (e as Error).message }], versions: versionsOf(this.set) };
    }
    this.last = outcome;
    this.deps.onReload?.(outcome);
    return outcome;
  }
}

function versionsOf(set: PolicySet): string[] {
  return set.versions.map((v) => `${v.policy.id}@${v.policy.version}`);
}
