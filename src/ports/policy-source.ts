// Where policies come from (a folder of YAML files today). The adapter reads and compiles; the use cases check and serve.
import type { CompiledPolicy } from '../core/policy/model.js';
import type { PolicyProblem } from '../core/policy/problem.js';

/** One read of the policy source: each compiled policy with its test file, and what could not be compiled. */
export interface PolicySource {
  policies: { policy: CompiledPolicy; testFile?: { display: string; text: string } }[];
  problems: PolicyProblem[];
}

/** Reads the policy source afresh (at start and on every reload). */
export type PolicyLoader = () => Promise<PolicySource>;
