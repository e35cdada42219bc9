// Public API of the money core: amounts are integer cents (bigint), rates decimal strings, dates YYYY-MM-DD.
export { annuityPayment } from './annuity.js';
export { aprIrr } from './apr.js';
export { addBusinessDays, addDays, addMonthsClamped, compareDates, dateOf, daysBetween, isValidIsoDate, monthlyDates } from './dates.js';
export { centsFromDecimal, Dec, decimalFromCents, formatCents, parseMoney, round2 } from './decimal.js';
export { MoneyInputError, type MoneyErrorCode } from './errors.js';
export { penaltyAccrued, waiverAmount, type OverdueItem, type PenaltyInput } from './penalty.js';
export { buildScheduleReference } from './reference.js';
export { buildSchedule } from './schedule.js';
export { checkScheduleRequest, computeSchedule, type ScheduleBuilder } from './schedule-api.js';
export { solveTerm, type TermSearch } from './solver.js';
export { checkStepShape, negativeAmortisation, paymentReductionPct, type Step, type StepPlan, type StepShape } from './step.js';
export type { RepaymentMethod, Schedule, ScheduleInput, ScheduleRow } from './types.js';
