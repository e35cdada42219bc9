// The rule evaluator behind one compiled policy: the compiled closures by default, json-rules-engine as the reference.
import type { Evaluator } from '../core/evaluate/evaluator.js';
import type { CompiledPolicy } from '../core/policy/model.js';

export type EvaluatorFactory = (policy: CompiledPolicy) => Evaluator;
