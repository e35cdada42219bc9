import type { RestructuringApplication } from '../../generated/application.js';
import type { AccountActionResult, DecisionResult, DocumentType, Explanation, OptionDecision, Plan, ReasonRef, Waiver } from '../../generated/decision.js';
import { amountsOf, applicationFacts } from '../facts/application-facts.js';
import type { Facts } from '../facts/catalog.js';
import { requiredDocuments } from '../facts/documents.js';
import { buildPlans, firstNewDueDate, type OptionPlan } from '../facts/plans.js';
import { formatCents as money } from '../money/decimal.js';
import type { Evaluator } from '../evaluate/evaluator.js';
import type { RuleEvaluation } from '../evaluate/explain-model.js';
import type { Language } from '../explain/reasons.js';
import { rankReasons } from '../explain/reasons.js';
import { addBusinessDays, addDays, addMonthsClamped, dateOf } from '../money/dates.js';
import type { ScheduleBuilder } from '../money/schedule-api.js';
import { parseMoney } from '../money/decimal.js';
import { penaltyAccrued } from '../money/penalty.js';
import { PLAN_OPTIONS, type CompiledPolicy, type CompiledRule, type Decision, type DecidedOption, type OptionType, type PlanOption, type Security } from '../policy/model.js';
import { circumstancesOf, moratoriumEndAfter } from '../forbearance/circumstances.js';
import { factSheet, mergeFacts, putBack, withOwn } from './fact-sheet.js';
import { planJson } from './plan-json.js';
import { firedRules, reduceAction, reduceDecision, securityOf } from './reduce.js';
import { bestGrant, waiverOf } from './waiver.js';

export interface DecideInput {
  application: RestructuringApplication;
  policy: CompiledPolicy;
  evaluator: Evaluator;
  /** Decision time (ISO datetime): an input, so a decision can be replayed exactly. */
  now: string;
  decisionId: string;
  language: Language;
  selectedBy: string;
  /**
   * The schedule engine: buildSchedule (exact integer cents, the default) or buildScheduleDecimal
   * (decimal.js, the reference path it is tested against row for row). Both give the same decision.
   */
  schedules?: ScheduleBuilder;
  /**
   * The rules `explanation.rules` lists: every rule evaluated (`all`, the default: what `explain=full`
   * shows), or only those that fired (`fired`: all the default answer shows, and the trail keeps neither;
   * the trees of the rules that did not fire are then never built). Nothing else of the decision differs.
   */
  rules?: 'all' | 'fired';
}

function offerConditions(fired: CompiledRule[], outcome: Decision, security: { requirement: string; satisfied: boolean }): string[] {
  const out: string[] = [];
  for (const r of fired) if (r.outcome === undefined || r.outcome === outcome) for (const c of r.offerConditions) if (!out.includes(c)) out.push(c);
  // An offer that needs security the borrower has not (acceptably) offered holds only once it is given.
  if (!security.satisfied) out.push(`PROVIDE_${security.requirement}`);
  return out;
}

/** A referral's conditions come only from the rules that refer (e.g. REFER_TO_DEBT_ADVICE), never from the offer rules. */
function referConditions(fired: CompiledRule[]): string[] {
  const out: string[] = [];
  for (const r of fired) if (r.outcome === 'REFER') for (const c of r.offerConditions) if (!out.includes(c)) out.push(c);
  return out;
}

/** Each fired rule's id once, in evaluation order. */
function firedRuleIds(evaluations: RuleEvaluation[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const e of evaluations) {
    if (e.fired && !seen.has(e.ruleId)) {
      seen.add(e.ruleId);
      ids.push(e.ruleId);
    }
  }
  return ids;
}

const isGranted = (d: Decision): boolean => d === 'APPROVE' || d === 'COUNTEROFFER';

/**
 * The one entry of the core: derive facts, evaluate every option (plans first, then the waiver, then
 * the account action, each seeing the decisions before it), reduce, and explain. Pure: time and ids are inputs.
 *
 * The answer's members are in canonical (sorted) order at every level the core builds (the facts keep the
 * evaluator's layout): the audit trail then writes those objects as they are, copying none of them.
 */
export async function decide(input: DecideInput): Promise<DecisionResult> {
  const { application: app, policy, evaluator, language: lang } = input;
  const { p, a, today, circumstances, moratoriumEnd, base, sheet, plans } = planStage(input);
  const requested: readonly OptionType[] = app.request.options;
  const evaluations: RuleEvaluation[] = [];
  // The explanation shows the shared facts once and, per option, only what is its own.
  const factsOf: Partial<Record<DecidedOption, Facts>> = {};
  const options: OptionDecision[] = [];
  const decisions: Partial<Record<DecidedOption, Decision>> = {};

  const firedOnly = input.rules === 'fired';
  // Each await costs a turn of the microtask queue; a synchronous evaluator is called without one.
  const run = (option: OptionType, facts: Facts): RuleEvaluation[] | Promise<RuleEvaluation[]> =>
    evaluator.evaluateSync ? evaluator.evaluateSync(option, facts, firedOnly) : evaluator.evaluate(option, facts, firedOnly);
  // An evaluator may list the rules that did not fire even when asked not to: they are left out alike.
  const explained = (evals: RuleEvaluation[]): void => {
    for (const e of evals) if (!firedOnly || e.fired) evaluations.push(e);
  };

  const judge = (option: DecidedOption, own: Facts, facts: Facts, evals: RuleEvaluation[]): Judged => {
    explained(evals);
    factsOf[option] = own;
    const fired = firedRules(policy, evals);
    const { outcome, reasons } = reduceDecision(policy, fired, facts, lang);
    decisions[option] = outcome;
    return { option, requested: requested.includes(option), outcome, reasons, fired, security: securityOf(fired) };
  };

  const missingFor = missingDocuments(input);
  const enhanced: readonly OptionType[] = policy.documents?.enhancedFor ?? [];
  for (const { option, plan, missing, own } of planOptionInputs(input, plans, missingFor)) {
    const facts = withOwn(sheet, own);
    const evals = run(option, facts);
    const j = judge(option, own, facts, Array.isArray(evals) ? evals : await evals);
    putBack(sheet, base, own);
    options.push(optionDecision(j, missing, isGranted(j.outcome) && plan.available ? planJson(plan, a.accruedInterest, app.loan.annualRate) : undefined));
  }

  // The plans' outcomes, as the waiver's and the account action's rules read them.
  const allPlansDeclined = PLAN_OPTIONS.every((o) => decisions[o] === 'DECLINE');
  const anyPlanApproved = PLAN_OPTIONS.some((o) => decisions[o] === 'APPROVE');
  const { INSTALLMENT: decisionInstallment, GRACE_PERIOD: decisionGracePeriod, PERSONALISED_PLAN: decisionPersonalisedPlan } = decisions;
  const permanentPlanApproved = decisionInstallment === 'APPROVE' || decisionPersonalisedPlan === 'APPROVE';

  // Penalty interest on itemised arrears (ACT/360, never compounded, none on a moratorium's days); the ledger figure when none are itemised.
  const items = app.loan.overdueItems.map((i) => ({ dueDate: i.dueDate, principal: parseMoney(i.principal) }));
  const frozen = circumstances.moratorium;
  const accrued = items.length
    ? penaltyAccrued({ items, annualRate: app.loan.annualRate, multiplier: app.loan.penaltyRateMultiplier, asOf: today, ...(frozen ? { excluded: { start: frozen.start, end: frozen.end } } : {}) })
    : a.penalty;
  const enhancedAbove = policy.enhancedWaiverCents;
  const waiverMissing = missingFor(enhanced.includes('PENALTY_WAIVER') || (enhancedAbove !== undefined && accrued > enhancedAbove));
  // Own facts in canonical order (the explanation shows them as they are).
  const waiverOwn: Facts = {
    allPlansDeclined,
    anyPlanApproved,
    decisionGracePeriod,
    decisionInstallment,
    decisionPersonalisedPlan,
    missingDocumentCount: waiverMissing.length,
    missingDocuments: waiverMissing,
    penaltyAccrued: money(accrued),
    permanentPlanApproved,
  };
  const waiverFacts = withOwn(sheet, waiverOwn);
  const waiverEvals = run('PENALTY_WAIVER', waiverFacts);
  const w = judge('PENALTY_WAIVER', waiverOwn, waiverFacts, Array.isArray(waiverEvals) ? waiverEvals : await waiverEvals);
  putBack(sheet, base, waiverOwn);
  const grants = isGranted(w.outcome) ? w.fired.filter((r) => r.waiver && r.outcome === w.outcome) : [];
  let waiver: Waiver | undefined;
  if (grants.length) {
    const best = bestGrant(policy, grants);
    waiver = waiverOf(policy, best, accrued, app.request.requestWaiverPct ?? '1.00');
    // Reasons of grants that were not applied (e.g. "50% until documented" beside a full goodwill waiver) would mislead.
    const unused = new Set(grants.filter((r) => r !== best).map((r) => r.id));
    w.reasons = w.reasons.filter((r) => !(r.ruleIds ?? []).every((id) => unused.has(id)));
  }
  options.push(optionDecision(w, waiverMissing, undefined, waiver));

  const actionOwn: Facts = {
    allPlansDeclined,
    anyPlanApproved,
    decisionGracePeriod,
    decisionInstallment,
    decisionPenaltyWaiver: decisions.PENALTY_WAIVER,
    decisionPersonalisedPlan,
    permanentPlanApproved,
  };
  const actionFacts = withOwn(sheet, actionOwn);
  const actionRun = run('ACCOUNT_ACTION', actionFacts);
  const actionEvals = Array.isArray(actionRun) ? actionRun : await actionRun;
  explained(actionEvals);
  const actionFired = firedRules(policy, actionEvals);
  const action = reduceAction(policy, actionFired, actionFacts, lang);

  const decidedOn = dateOf(input.now);
  const approvedPlans = PLAN_OPTIONS.filter((o) => decisions[o] === 'APPROVE').map((o) => plans[o]);
  const until =
    action.outcome === 'RESTRICT_NEW_DRAWS' && approvedPlans.length
      ? approvedPlans
          .map((pl) => (pl.option === 'GRACE_PERIOD' ? pl.schedule.rows[Math.min(pl.graceMonths + 2, pl.schedule.rows.length - 1)]?.dueDate : pl.schedule.rows.at(-1)?.dueDate))
          .filter((d): d is string => d !== undefined)
          .sort()
          .pop()
      : undefined;

  const waiverApproved = decisions.PENALTY_WAIVER === 'APPROVE';
  const restructured = approvedPlans.length > 0 || waiverApproved;
  const incomplete = options.some((o) => o.requested && o.requiredDocuments.length > 0);
  const anyGranted = options.some((o) => isGranted(o.decision));
  const adverse = options.filter((o) => o.decision === 'DECLINE' || o.decision === 'COUNTEROFFER');
  const decisionDue = addDays(today, p.decisionDueDays);
  const nextDue = app.loan.nextDueDate;

  const actionRules = actionFired.map((r) => r.id);
  // The answer's objects are built with their members in canonical (sorted) order, as the audit trail
  // writes them, so the record takes them as they are (optional members are added in their place).
  const accountAction: AccountActionResult = until
    ? { action: action.outcome, firedRules: actionRules, reasonCodes: action.reasons, until }
    : { action: action.outcome, firedRules: actionRules, reasonCodes: action.reasons };
  const result = { accountAction, acknowledgementDueBy: addBusinessDays(today, p.acknowledgementBusinessDays) } as DecisionResult;
  if (options.some((o) => o.decision === 'DECLINE')) result.appealDeadline = addDays(decidedOn, p.appealDays);
  result.applicationId = app.applicationId;
  result.applicationStatus = incomplete ? 'INCOMPLETE' : 'COMPLETE';
  result.collectionsHold = approvedPlans.length > 0 || (!incomplete && options.some((o) => o.decision === 'REFER'));
  if (circumstances.vulnerable) result.contactNeeds = circumstances.contactNeeds as DecisionResult['contactNeeds'];
  result.decidedAt = input.now;
  // Decide before the next due date where possible: a missed payment reported to the bureau cannot be undone.
  result.decisionDueBy = nextDue > today && addDays(nextDue, -1) < decisionDue ? addDays(nextDue, -1) : decisionDue;
  result.decisionId = input.decisionId;
  const facts = { ACCOUNT_ACTION: actionOwn, GRACE_PERIOD: factsOf.GRACE_PERIOD, INSTALLMENT: factsOf.INSTALLMENT, PENALTY_WAIVER: waiverOwn, PERSONALISED_PLAN: factsOf.PERSONALISED_PLAN, application: base };
  result.explanation = { facts, firedRules: firedRuleIds(evaluations), rules: evaluations } as Explanation;
  result.language = lang;
  if (moratoriumEnd !== undefined && circumstances.moratorium?.active) result.moratoriumEnd = moratoriumEnd;
  if (adverse.length) result.notice = { options: adverse.map((o) => o.option), reasons: noticeReasons(adverse) };
  if (restructured)
    result.observationPeriodEnd = addMonthsClamped(approvedPlans[0]?.firstDueDate ?? firstNewDueDate(app, moratoriumEnd), Math.max(p.observationMonths, p.observationPayments - 1));
  if (anyGranted) result.offerValidUntil = addDays(decidedOn, p.offerValidDays);
  result.options = options;
  result.policy = { id: policy.id, selectedBy: input.selectedBy, sha256: policy.sha256, version: policy.version };
  result.restructuredFlag = restructured;
  return result;
}

/** An option as decide() has judged it. */
interface Judged {
  option: DecidedOption;
  requested: boolean;
  outcome: Decision;
  reasons: ReasonRef[];
  fired: CompiledRule[];
  security: { requirement: Security; satisfied: boolean };
}

/** The option's answer, members in canonical order, `plan` and `waiver` added in their place when there is one. */
function optionDecision(j: Judged, missing: DocumentType[], plan?: Plan, waiver?: Waiver): OptionDecision {
  const { option, outcome: decision, fired, security } = j;
  const conditions = isGranted(decision) ? offerConditions(fired, decision, security) : decision === 'REFER' ? referConditions(fired) : [];
  const out = { conditions, decision, firedRules: fired.map((r) => r.id), option } as OptionDecision;
  if (plan) out.plan = plan;
  out.reasonCodes = j.reasons;
  out.requested = j.requested;
  out.requiredDocuments = missing;
  out.securityRequirement = security.requirement;
  out.securitySatisfied = security.satisfied;
  if (waiver) out.waiver = waiver;
  return out;
}

/** What decide() works out before it evaluates any option: the facts and the plans. */
function planStage(input: DecideInput) {
  const { application: app, policy } = input;
  const p = policy.engine;
  const a = amountsOf(app);
  const today = dateOf(app.receivedAt);
  const circumstances = circumstancesOf(app, policy, today);
  const moratoriumEnd = moratoriumEndAfter(circumstances, today);
  const base = applicationFacts(app, policy, p, a, circumstances);
  const sheet = factSheet(base);
  const plans = buildPlans(app, p, a, base.graceMonthsLast24m as number, input.schedules, {
    graceExtraMonths: circumstances.graceExtraMonths,
    affordablePayment: circumstances.affordability?.affordablePayment,
    moratoriumEnd,
  });
  return { p, a, today, circumstances, moratoriumEnd, base, sheet, plans };
}

/** The documents still missing, by whether the enhanced set is asked for: they depend on nothing else, so each set is found once. */
function missingDocuments(input: DecideInput): (enhanced: boolean) => DocumentType[] {
  const { application: app, policy } = input;
  const missingDocs: Partial<Record<'plain' | 'enhanced', DocumentType[]>> = {};
  return (enhanced) => (missingDocs[enhanced ? 'enhanced' : 'plain'] ??= requiredDocuments(policy.documents, app, enhanced));
}

/**
 * Each plan option, in decision order, with what its rules read over the shared fact sheet: its plan's facts
 * and the documents it still lacks (`own`). decide() and decidePlanOptions() read them alike.
 */
function planOptionInputs(input: DecideInput, plans: ReturnType<typeof buildPlans>, missingFor: (enhanced: boolean) => DocumentType[]) {
  const enhanced: readonly OptionType[] = input.policy.documents?.enhancedFor ?? [];
  return PLAN_OPTIONS.map((option) => {
    const missing = missingFor(enhanced.includes(option));
    const plan = plans[option];
    const own = mergeFacts(plan.facts, { missingDocuments: missing, missingDocumentCount: missing.length });
    return { option, plan, missing, own };
  });
}

/** A plan option as decide() decides it, reduced to what book screening's proactive offer shows. */
export interface PlanOptionOutline {
  option: PlanOption;
  decision: Decision;
  /** The codes of decide()'s reasonCodes, in its order. */
  reasonCodes: string[];
  /** The plan decide() shows as the option's `plan` (granted and available), before it is written as JSON. */
  plan?: OptionPlan;
}

/**
 * The plan options (INSTALLMENT, GRACE_PERIOD, PERSONALISED_PLAN) exactly as decide() decides them — same
 * decision, reason codes and plan — without what an offer does not show: no penalty waiver or account
 * action (both are decided after the plans and change none of them), no reason texts, no schedule rows
 * written out, no explanation. Book screening's offers use it (a test checks it against decide()).
 */
export async function decidePlanOptions(input: DecideInput): Promise<PlanOptionOutline[]> {
  const { policy, evaluator, language: lang } = input;
  const { base, sheet, plans } = planStage(input);
  const out: PlanOptionOutline[] = [];
  for (const { option, plan, own } of planOptionInputs(input, plans, missingDocuments(input))) {
    const facts = withOwn(sheet, own);
    // Only the fired rules count here, so the others are tested without their trees.
    const evals = evaluator.evaluateSync ? evaluator.evaluateSync(option, facts, true) : await evaluator.evaluate(option, facts, true);
    const { outcome, reasons } = reduceDecision(policy, firedRules(policy, evals), facts, lang, false);
    putBack(sheet, base, own);
    const outline: PlanOptionOutline = { option, decision: outcome, reasonCodes: reasons.map((r) => r.code) };
    if (isGranted(outcome) && plan.available) outline.plan = plan;
    out.push(outline);
  }
  return out;
}

/** The adverse options' reasons, each code once (the first met), ranked: the four a notice names. */
function noticeReasons(adverse: OptionDecision[]): ReasonRef[] {
  const byCode = new Map<string, ReasonRef>();
  for (const o of adverse) for (const r of o.reasonCodes) if (!byCode.has(r.code)) byCode.set(r.code, r);
  return rankReasons([...byCode.values()]).slice(0, 4);
}
