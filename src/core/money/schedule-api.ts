import type { FieldProblem } from '../errors.js';
import type { ScheduleRequest } from '../../generated/schedule-request.js';
import type { ScheduleResponse, ScheduleRow as ScheduleRowDto } from '../../generated/schedule-response.js';
import { aprIrr } from './apr.js';
import { isValidIsoDate } from './dates.js';
import { formatCents, parseMoney } from './decimal.js';
import { levelPaymentDrift, MAX_MONEY_CENTS } from './drift.js';
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

/** Latest due date an answer can carry (the schemas' dates end with 2199). */
const LAST_DATE = '2199-12-31';

/**
 * Checks that need the arithmetic: a level payment whose rounding drift reaches half the payment, and a
 * schedule whose amounts or dates fall outside what the answer's schemas represent. Such a request is
 * refused, never answered.
 */
export function checkScheduleResult(req: ScheduleRequest, s: ScheduleResponse | undefined): FieldProblem[] {
  if (req.method === 'EQUAL_INSTALLMENT') {
    const drift = levelPaymentDrift(parseMoney(req.principal), req.annualRate, req.termMonths);
    if (drift)
      return [
        {
          pointer: '/termMonths',
          message: `a level payment over termMonths ${req.termMonths} at annualRate ${req.annualRate} cannot be kept level: the rounding carried to the last payment (up to ${drift.bound}) reaches half the payment (${drift.payment}); shorten termMonths or lower annualRate`,
        },
      ];
  }
  if (!s) return [];
  const problems: FieldProblem[] = [];
  const amounts = [s.totalPayment, s.totalInterest, s.regularPayment, ...s.schedule.map((r) => r.payment)];
  if (amounts.some((a) => parseMoney(a) > MAX_MONEY_CENTS))
    problems.push({ pointer: '/principal', message: `the schedule's amounts (total ${s.totalPayment}) exceed the largest amount the API represents (${formatCents(MAX_MONEY_CENTS)}); lower principal, annualRate or the term` });
  const last = s.schedule[s.schedule.length - 1]?.dueDate;
  if (last !== undefined && last > LAST_DATE) problems.push({ pointer: '/firstDueDate', message: `the last due date ${last} is after ${LAST_DATE}; start earlier or shorten the term` });
  return problems;
}

/**
 * POST /v1/schedules: strings in, strings out. The APR is the IRR of the payments against the
 * principal. `build` selects the engine: buildSchedule, or buildScheduleDecimal for the reference path.
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
