import { loadPolicy } from '../core/policy/load.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import type { PolicyProblem } from '../core/policy/problem.js';
import { sha256Hex } from './sha256.js';

/** Parses, validates and compiles policy YAML given as text (a request body, a draft), hashed as a file would be. */
export function compilePolicyText(text: string, file: string): { policy?: CompiledPolicy; problems: PolicyProblem[] } {
  return loadPolicy(text, file, sha256Hex(text));
}
