import type { RestructuringApplication } from '../../generated/application.js';
import { aprIrrOfRows } from '../money/apr.js';
import { annuityPayment } from '../money/annuity.js';
import { addMonthsClamped, dateOf, monthlyDates } from '../money/dates.js';
import { parseMoney } from '../money/decimal.js';
import { buildSchedule, type Schedule } from '../money/schedule.js';
import type { ScheduleBuilder } from '../money/schedule-api.js';
import { solveTerm } from '../money/solver.js';
import { checkStepShape, negativeAmortisation, paymentReductionPct } from '../money/step.js';
import type { EngineParams } from '../policy/engine-params.js';
import type { PlanOption } from '../policy/model.js';
import type { Amounts } from './application-facts.js';
import type { FactName, Facts } from './catalog.js';
import { formatCents as money } from '../money/decimal.js';
import { complementTimesCents, differenceFixed6, ratio, ratioTimesCents } from '../money/exact-decimal.js';

/** A plan an option would offer, with the numbers its rules decide on. */
export interface OptionPlan {
  option: PlanOption;
  method: 'EQUAL_INSTALLMENT' | 'EQUAL_PRINCIPAL' | 'STEP';
  available: boolean;
  graceMonths: number;
  amortisationMonths: number;
  firstDueDate: string;
  schedule: Schedule;
  aprIrr: string;
  paymentReductionPct: string;
  facts: Facts;
}

interface Ctx {
  app: RestructuringApplication;
  p: EngineParams;
  a: Amounts;
  rate: string;
  firstDueDate: string;
  /** The schedule engine: exact integer cents, or the decimal.js reference path. */
  build: ScheduleBuilder;
  /** Grace months a vulnerable customer may have beyond graceMaxMonths (VU-03). */
  graceExtra: number;
  /** The affordable payment from income & expenditure, when the policy reads it (AF-02: the personalised solver's target). */
  affordable?: bigint;
}

/**
 * The first due date of a new plan: the next contractual due date on or after receipt, or, when a
 * moratorium runs on, the first one after its last day (MO-01).
 */
export function firstNewDueDate(app: RestructuringApplication, moratoriumEnd?: string): string {
  const today = dateOf(app.receivedAt);
  let k = 0;
  while (addMonthsClamped(app.loan.nextDueDate, k) < today && k < 1200) k++;
  if (moratoriumEnd !== undefined) while (addMonthsClamped(app.loan.nextDueDate, k) <= moratoriumEnd && k < 1200) k++;
  return addMonthsClamped(app.loan.nextDueDate, k);
}

function withDueDates(s: Schedule, first: string): Schedule {
  const dates = monthlyDates(first, s.rows.length);
  // Rows built as literals: V8 builds `{ ...r, dueDate }` slowly. Member order does not matter here (planJson picks members).
  return { ...s, rows: s.rows.map((r, i) => ({ period: r.period, payment: r.payment, principal: r.principal, interest: r.interest, closingBalance: r.closingBalance, dueDate: dates[i] })) };
}

/** Largest payment in the DSR window after any grace: what the borrower must afford first. */
function peakPayment(s: Schedule, grace: number, window: number): bigint {
  let max = 0n;
  const end = Math.min(s.rows.length, grace + window);
  for (let k = Math.max(0, grace); k < end; k++) {
    const payment = s.rows[k]!.payment;
    if (payment > max) max = payment;
  }
  return max;
}

function finish(ctx: Ctx, option: PlanOption, method: OptionPlan['method'], schedule: Schedule, grace: number, available: boolean, extra: Facts): OptionPlan {
  const { a, p, rate } = ctx;
  const income = option === 'GRACE_PERIOD' ? a.incomeBefore : a.incomeAfter; // grace is judged on recovered income
  const peak = peakPayment(schedule, grace, p.postPlanDsrWindowMonths);
  // The contract rate only seeds the search: the APR does not depend on it (see money/apr.ts).
  const apr = aprIrrOfRows(a.restructuredBalance, schedule.rows, rate);
  const reduction = paymentReductionPct(a.currentPayment, schedule.regularPayment);
  const guarantor = ctx.app.guarantor;
  const facts: Facts = {
    planAvailable: available,
    planTermMonths: schedule.rows.length - grace,
    planGraceMonths: grace,
    planTermFromAgreement: schedule.rows.length,
    planPayment: money(schedule.regularPayment),
    postPlanDsr: ratio(peak + a.otherDebt, income),
    paymentReductionPct: reduction,
    planAprIrr: apr,
    planAprExcessOverContract: differenceFixed6(apr, rate),
    negativeAmortisation: negativeAmortisation(schedule, grace),
    guarantorDsr: guarantor
      ? ratio(parseMoney(guarantor.monthlyDebtService) + schedule.regularPayment, parseMoney(guarantor.monthlyIncome))
      : undefined,
  };
  // `{ ...facts, ...extra }` by assignment (V8 builds a spread into a literal slowly): same keys, order and values.
  for (const k in extra) facts[k as FactName] = extra[k as FactName];
  return {
    option,
    method,
    available,
    graceMonths: grace,
    amortisationMonths: schedule.rows.length - grace,
    firstDueDate: ctx.firstDueDate,
    schedule,
    aprIrr: apr,
    paymentReductionPct: reduction,
    facts,
  };
}

function level(ctx: Ctx, months: number, grace = 0): Schedule {
  return ctx.build({
    principal: ctx.a.restructuredBalance,
    annualRate: ctx.rate,
    amortisationMonths: Math.max(1, months),
    method: 'EQUAL_INSTALLMENT',
    graceMonths: grace,
    firstDueDate: ctx.firstDueDate,
  });
}

/** Option 1: the shortest allowed term at or above the one asked whose payment is affordable and no more than the payment asked. */
function installment(ctx: Ctx): OptionPlan {
  const { p, a, app } = ctx;
  const terms = [...p.installmentTerms].filter((t) => t <= p.installmentMaxTermMonths).sort((x, y) => x - y);
  const maxTerm = terms[terms.length - 1] ?? p.installmentMaxTermMonths;
  const asked = app.request.desiredTermMonths ?? Math.max(1, app.loan.remainingTermMonths);
  const candidates = terms.filter((t) => t >= Math.min(asked, maxTerm));
  const dsrLimit = ratioTimesCents(p.dsrApproveMax, a.incomeAfter) - a.otherDebt;
  const desired = app.request.desiredMonthlyPayment === undefined ? undefined : parseMoney(app.request.desiredMonthlyPayment);
  const limit = desired !== undefined && desired < dsrLimit ? desired : dsrLimit;
  const affordable = candidates.find((t) => annuityPayment(a.restructuredBalance, ctx.rate, t) <= limit);
  // Unaffordable at every allowed term: offer the longest, whose payment is the lowest, and let the DSR rules judge it.
  const term = affordable ?? maxTerm;
  const atMax = annuityPayment(a.restructuredBalance, ctx.rate, maxTerm);
  return finish(ctx, 'INSTALLMENT', 'EQUAL_INSTALLMENT', level(ctx, term), 0, true, {
    requestedTermMonths: asked,
    termAdjusted: app.request.desiredTermMonths !== undefined && term !== app.request.desiredTermMonths,
    planPaymentAtMaxTerm: money(atMax),
    postPlanDsrAtMaxTerm: ratio(atMax + a.otherDebt, a.incomeAfter),
  });
}

/** Option 2: interest-only months, then the balance re-amortised over the remaining term (term extended). */
function grace(ctx: Ctx, graceMonthsLast24m: number): OptionPlan {
  const { p, a, app } = ctx;
  const asked = app.request.desiredGraceMonths ?? p.graceAutoMaxMonths;
  const room = Math.max(0, p.graceCumulativeMaxMonths - graceMonthsLast24m);
  const g = Math.min(asked, p.graceMaxMonths + ctx.graceExtra, room + ctx.graceExtra);
  const schedule = level(ctx, app.loan.remainingTermMonths, Math.max(g, 0));
  const gracePayment = schedule.gracePayment ?? 0n;
  return finish(ctx, 'GRACE_PERIOD', 'EQUAL_INSTALLMENT', schedule, g, g > 0, {
    requestedTermMonths: asked,
    termAdjusted: g !== asked,
    gracePayment: money(gracePayment),
    graceDsr: ratio(gracePayment + a.otherDebt, a.incomeAfter),
  });
}

/**
 * Option 3: capitalise, keep the rate, extend month by month until the payment falls by the target
 * and fits the DSR limit (docs/domain.md#term-solver); a valid step schedule replaces the level payment.
 */
function personalised(ctx: Ctx): OptionPlan {
  const { p, a, app } = ctx;
  const remaining = Math.max(1, app.loan.remainingTermMonths);
  const maxTerm = p.personalisedMaxTermMonths;
  const current = annuityPayment(a.restructuredBalance, ctx.rate, remaining);
  const target = complementTimesCents(p.paymentReductionTarget, current);
  const affordable = ratioTimesCents(p.dsrApproveMax, a.incomeAfter) - a.otherDebt;
  const dsrCap = target < affordable ? target : affordable;
  const cap = ctx.affordable !== undefined && ctx.affordable < dsrCap ? ctx.affordable : dsrCap;
  const solved = cap > 0n ? solveTerm({ balance: a.restructuredBalance, annualRate: ctx.rate, minMonths: Math.min(remaining, maxTerm), maxMonths: maxTerm, maxPayment: cap }) : null;
  const atMax = annuityPayment(a.restructuredBalance, ctx.rate, maxTerm);
  const base: Facts = {
    requestedTermMonths: app.request.desiredTermMonths ?? solved?.months ?? maxTerm,
    planPaymentAtMaxTerm: money(atMax),
    postPlanDsrAtMaxTerm: ratio(atMax + a.otherDebt, a.incomeAfter),
    stepShapeValid: true,
  };
  const steps = app.request.stepSchedule;
  if (steps?.length) {
    const term = Math.min(app.request.desiredTermMonths ?? solved?.months ?? maxTerm, maxTerm);
    const shape = checkStepShape({ balance: a.restructuredBalance, annualRate: ctx.rate, termMonths: term, steps: steps.map((s) => ({ fromPeriod: s.fromPeriod, payment: parseMoney(s.payment) })) });
    if (shape.ok) {
      // `{ ...base, termAdjusted }` by assignment (base is not used again): same keys, order and values.
      base.termAdjusted = false;
      return finish(ctx, 'PERSONALISED_PLAN', 'STEP', withDueDates(shape.schedule, ctx.firstDueDate), 0, true, base);
    }
    base.stepShapeValid = false;
    // The plan as asked is judged too: one that does not cover its interest is declined (G-12), not only reshaped.
    if (shape.asked && negativeAmortisation(shape.asked, 0)) base.negativeAmortisation = true;
  }
  const months = solved?.months ?? maxTerm;
  const asked = app.request.desiredTermMonths;
  base.termAdjusted = solved !== null && ((asked !== undefined && asked !== months) || base.stepShapeValid === false);
  return finish(ctx, 'PERSONALISED_PLAN', 'EQUAL_INSTALLMENT', level(ctx, months), 0, solved !== null, base);
}

/** Nothing left to re-amortise (a penalty-only balance): no option has a plan. */
function noPlan(ctx: Ctx, option: PlanOption): OptionPlan {
  const empty: Schedule = { regularPayment: 0n, rows: [], totalInterest: 0n, totalPrincipal: 0n, totalPayment: 0n };
  return {
    option,
    method: 'EQUAL_INSTALLMENT',
    available: false,
    graceMonths: 0,
    amortisationMonths: 0,
    firstDueDate: ctx.firstDueDate,
    schedule: empty,
    aprIrr: '0.000000',
    paymentReductionPct: '0.0000',
    facts: { planAvailable: false, termAdjusted: false, stepShapeValid: true, negativeAmortisation: false, postPlanDsr: ratio(ctx.a.otherDebt, ctx.a.incomeAfter) },
  };
}

/** What the forbearance inputs change in the plans (docs/domain.md#affordability-vulnerability-and-arrangements): none by default. */
export interface PlanAdjustments {
  graceExtraMonths?: number;
  affordablePayment?: bigint;
  moratoriumEnd?: string;
}

export function buildPlans(
  app: RestructuringApplication,
  p: EngineParams,
  a: Amounts,
  graceMonthsLast24m: number,
  build: ScheduleBuilder = buildSchedule,
  adjust: PlanAdjustments = {},
): Record<PlanOption, OptionPlan> {
  const ctx: Ctx = { app, p, a, rate: app.loan.annualRate, firstDueDate: firstNewDueDate(app, adjust.moratoriumEnd), build, graceExtra: adjust.graceExtraMonths ?? 0, affordable: adjust.affordablePayment };
  if (a.restructuredBalance <= 0n) return { INSTALLMENT: noPlan(ctx, 'INSTALLMENT'), GRACE_PERIOD: noPlan(ctx, 'GRACE_PERIOD'), PERSONALISED_PLAN: noPlan(ctx, 'PERSONALISED_PLAN') };
  return { INSTALLMENT: installment(ctx), GRACE_PERIOD: grace(ctx, graceMonthsLast24m), PERSONALISED_PLAN: personalised(ctx) };
}
