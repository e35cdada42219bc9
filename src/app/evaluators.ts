import { CompiledEvaluator } from '../core/evaluate/compiled.js';
import { JreEvaluator } from '../core/evaluate/jre-engine.js';
import type { EvaluatorFactory } from './check-policies.js';

/**
 * Picks the evaluator at run time. `jre` (the default) is the reference path: json-rules-engine itself.
 * `compiled` evaluates the same condition trees as plain closures, with results identical to `jre`
 * (test/core/evaluate/differential.test.ts holds it to that).
 */
export function evaluatorFactory(name: string | undefined): EvaluatorFactory {
  switch (name ?? 'jre') {
    case 'jre':
      return (policy) => new JreEvaluator(policy);
    case 'compiled':
      return (policy) => new CompiledEvaluator(policy);
    default:
      throw new Error(`EVALUATOR must be "jre" or "compiled", got "${name}"`);
  }
}
