import type { Facts } from '../facts/catalog.js';
import type { OptionType } from '../policy/model.js';
import type { RuleEvaluation } from './explain-model.js';

/**
 * Evaluates one option's rules over its facts and explains every rule, fired or not. With `firedOnly`, an
 * evaluator may leave out the rules that did not fire (and so never explain them); the caller ignores any it
 * still gives.
 */
export interface Evaluator {
  evaluate(option: OptionType, facts: Facts, firedOnly?: boolean): Promise<RuleEvaluation[]>;
  /** The same answer without a promise, for an evaluator that needs none: decide() then awaits nothing. */
  evaluateSync?(option: OptionType, facts: Facts, firedOnly?: boolean): RuleEvaluation[];
}
