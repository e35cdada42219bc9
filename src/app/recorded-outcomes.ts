import { SCHEMAS } from '../core/validation/schemas.js';

const { OptionType, DecisionOutcome, AccountActionType } = SCHEMAS.common.$defs;

/** The options a record's outcomes name, in the schema's order (the account action last): the schema's own list, never a copy. */
export const RECORDED_OPTIONS: readonly string[] = OptionType.enum;
/** What an outcome can be: an option's decision or the account action. */
export const RECORDED_OUTCOMES: readonly string[] = [...DecisionOutcome.enum, ...AccountActionType.enum];
