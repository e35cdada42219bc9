import type { FieldProblem } from '../errors.js';
import type { ScheduleRequest } from '../../generated/schedule-request.js';
import type { ScheduleResponse, ScheduleRow as ScheduleRowDto } from '../../generated/schedule-response.js';
import { aprIrr } from './apr.js';
import { isValidIsoDate } from './dates.js';
import { formatCents, parseMoney } from './decimal.js';
import { parseRatio } from './rational.js';
import { buildSchedule } from './schedule.js';
import type { Schedule, ScheduleInput } from './types.js';

export const MAX_TOTAL_MONTHS = 600;

/**
 * Checks the schema cannot state. Run after schema validation: it assumes the fields have the
 * right JSON types and reports every problem it finds.
 */
export function checkScheduleRequest(req: ScheduleRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const principal = tryParse(() => parseMoney(req.principal));
  if (principal === undefined || principal <= 0n) problems.push({ pointer: '/principal', message: 'principal must be a positive amount with at most 2 decimals' });
  const rate = tryParse(() => parseRatio(req.annualRate));
  if (rate === undefined || rate.num > rate.den) problems.push({ pointer: '/annualRate', message: 'annualRate must be a decimal between 0 and 1' });
  if ((req.graceMonths ?? 0) + req.termMonths > MAX_TOTAL_MONTHS) {
    problems.push({ pointer: '/graceMonths', message: `graceMonths + termMonths must not exceed ${MAX_TOTAL_MONTHS}` });
  }
  if (req.firstDueDate !== undefined && !isValidIsoDate(req.firstDueDate)) {
    problems.push({ pointer: '/firstDueDate', message: 'firstDueDate must be a calendar date YYYY-MM-DD' });
  }
  return problems;
}

export type ScheduleBuilder = (input: ScheduleInput) => Schedule;

/**
 * POST /v1/schedules: strings in, strings out. The APR is the IRR of the payments against the
 * principal. `build` selects the engine: buildSchedule, or buildScheduleReference for the reference path.
 */
export function computeSchedule(req: ScheduleRequest, build: ScheduleBuilder = buildSchedule): ScheduleResponse {
  const input: ScheduleInput = {
    principal: parseMoney(req.principal),
    annualRate: req.annualRate,
    amortisationMonths: req.termMonths,
    method: req.method,
    graceMonths: req.graceMonths ?? 0,
    ...(req.firstDueDate === undefined ? {} : { firstDueDate: req.firstDueDate }),
  };
  const schedule = build(input);
  return toResponse(
    schedule,
    aprIrr(
      input.principal,
      schedule.rows.map((r) => r.payment),
      req.annualRate,
    ),
  );
}

export function toResponse(s: Schedule, apr: string): ScheduleResponse {
  const rows = s.rows.map(
    (r): ScheduleRowDto => ({
      period: r.period,
      ...(r.dueDate === undefined ? {} : { dueDate: r.dueDate }),
      payment: formatCents(r.payment),
      principal: formatCents(r.principal),
      interest: formatCents(r.interest),
      closingBalance: formatCents(r.closingBalance),
    }),
  );
  const [first, ...rest] = rows;
  if (first === undefined) throw new Error('a schedule has at least one row');
  return {
    regularPayment: formatCents(s.regularPayment),
    ...(s.gracePayment === undefined ? {} : { gracePayment: formatCents(s.gracePayment) }),
    totalInterest: formatCents(s.totalInterest),
    totalPayment: formatCents(s.totalPayment),
    aprIrr: apr,
    schedule: [first, ...rest],
  };
}

function tryParse<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}
