import { CompiledEvaluator } from '../core/evaluate/compiled.js';
import { JreEvaluator } from '../core/evaluate/jre-engine.js';
import { buildScheduleDecimal } from '../core/money/decimal-schedule.js';
import { buildSchedule } from '../core/money/schedule.js';
import type { ScheduleBuilder } from '../core/money/schedule-api.js';

export type { ScheduleBuilder } from '../core/money/schedule-api.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';

/**
 * Picks the evaluator at run time. `compiled` (the default) evaluates the condition trees as plain
 * closures; `jre` is the reference path, json-rules-engine itself. Their results are identical:
 * test/core/evaluate/differential.test.ts checks it over generated inputs, and every policy check
 * decides each policy test case with both.
 */
export function evaluatorFactory(name: string | undefined): EvaluatorFactory {
  switch (name ?? 'compiled') {
    case 'jre':
      return (policy) => new JreEvaluator(policy);
    case 'compiled':
      return (policy) => new CompiledEvaluator(policy);
    default:
      throw new Error(`EVALUATOR must be "jre" or "compiled", got "${name}"`);
  }
}

/** Picks the schedule arithmetic at run time: `exact` integer cents (the default) or the decimal.js `reference`. */
export function scheduleBuilder(name: string | undefined): ScheduleBuilder {
  switch (name ?? 'exact') {
    case 'exact':
      return buildSchedule;
    case 'reference':
      return buildScheduleDecimal;
    default:
      throw new Error(`MONEY must be "exact" or "reference", got "${name}"`);
  }
}

/** The reference evaluator to check a fast one against; none when the reference is already in use. */
export function referenceFactory(name: string | undefined): EvaluatorFactory | undefined {
  return (name ?? 'compiled') === 'jre' ? undefined : evaluatorFactory('jre');
}
