import type { RestructuringApplication } from '../generated/application.js';
import { dateOf } from '../core/money/dates.js';
import type { Evaluator } from '../core/evaluate/evaluator.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import type { PolicyProblem } from '../core/policy/problem.js';
import { TideoverError } from '../core/errors.js';

/** A policy named by version, optionally with its id: `1.0.0` or `restructuring@1.0.0`. */
export interface PolicyPin {
  id?: string;
  version: string;
}

const POLICY_REF = /^(?:([a-z][a-z0-9-]{0,63})@)?((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?)$/;

/** Parses `<version>` or `<policyId>@<version>`; undefined when it is neither. */
export function parsePolicyRef(ref: string): PolicyPin | undefined {
  const m = POLICY_REF.exec(ref);
  return m ? { ...(m[1] ? { id: m[1] } : {}), version: m[2]! } : undefined;
}

/** Whether a policy is the one a pin names (any id when the pin gives none). */
export function matchesPin(policy: CompiledPolicy, pin: PolicyPin): boolean {
  return policy.version === pin.version && (pin.id === undefined || policy.id === pin.id);
}

export interface LoadedPolicy {
  policy: CompiledPolicy;
  evaluator: Evaluator;
}

export interface Selection extends LoadedPolicy {
  selectedBy: string;
}

export function semverCompare(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * An immutable set of loaded policy versions. A request takes the set current when it starts and keeps
 * it to the end, so a reload (an atomic swap of the whole set) never changes a decision in flight.
 */
export class PolicySet {
  readonly loadedAt: string;
  constructor(
    readonly versions: readonly LoadedPolicy[],
    readonly problems: readonly PolicyProblem[],
    loadedAt: string,
  ) {
    this.loadedAt = loadedAt;
  }

  get(id: string, version: string): LoadedPolicy | undefined {
    return this.versions.find((v) => v.policy.id === id && v.policy.version === version);
  }

  bySha(sha256: string): LoadedPolicy | undefined {
    return this.versions.find((v) => v.policy.sha256 === sha256);
  }

  /**
   * The version of the policy effective on the application's receipt date: latest effectiveFrom on or
   * before it (ties: highest version), not past its effectiveTo. A pinned version wins when given.
   */
  select(app: RestructuringApplication, pin?: PolicyPin): Selection {
    const day = dateOf(app.receivedAt);
    if (pin) {
      const ids = [...new Set(this.versions.map((v) => v.policy.id))];
      const id = pin.id ?? (ids.length === 1 ? ids[0] : undefined);
      const found = id ? this.get(id, pin.version) : undefined;
      if (!found) throw new TideoverError('NO_POLICY', `policy version ${pin.id ?? ''}${pin.id ? '@' : ''}${pin.version} is not loaded`);
      return { ...found, selectedBy: `pinned to ${found.policy.id}@${found.policy.version} by the caller` };
    }
    const candidates = this.versions
      .filter((v) => v.policy.metadata.effectiveFrom <= day && (v.policy.metadata.effectiveTo === undefined || day <= v.policy.metadata.effectiveTo))
      .sort((a, b) => (a.policy.metadata.effectiveFrom < b.policy.metadata.effectiveFrom ? 1 : a.policy.metadata.effectiveFrom > b.policy.metadata.effectiveFrom ? -1 : -semverCompare(a.policy.version, b.policy.version)));
    const chosen = candidates[0];
    if (!chosen) throw new TideoverError('NO_POLICY', `no loaded policy version is effective on ${day}`);
    const m = chosen.policy.metadata;
    return { ...chosen, selectedBy: `effective ${m.effectiveFrom}${m.effectiveTo ? ` to ${m.effectiveTo}` : ''}, the latest on or before the receipt date ${day}` };
  }
}
