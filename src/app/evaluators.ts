import { JreEvaluator } from '../core/evaluate/jre-engine.js';
import type { EvaluatorFactory } from './check-policies.js';

/**
 * Picks the evaluator at run time. `jre` is the reference path: json-rules-engine itself.
 */
export function evaluatorFactory(name: string | undefined): EvaluatorFactory {
  switch (name ?? 'jre') {
    case 'jre':
      return (policy) => new JreEvaluator(policy);
    default:
      throw new Error(`EVALUATOR must be "jre", got "${name}"`);
  }
}
