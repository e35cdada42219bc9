/**
 * The compiled evaluator against the reference (json-rules-engine): identical results, always.
 *
 * (a) every case of the shipped policy's YAML tests, plus the golden and coverage patches: whole decisions equal;
 * (b) generated fact objects per option, drawn from the fact catalog's types around the policy's own
 *     thresholds: evaluate() results equal (rule order, states, actual/expected values, JSON key order);
 * (c) generated applications (mutations of examples/application.json): whole decisions equal;
 * (d) generated policies (random condition trees and priorities): evaluate() results equal, which holds
 *     the ordering model (settle turns) and the no-short-circuit semantics to json-rules-engine itself.
 *
 * Sizes: DIFF_RUNS sets the number of fact objects in (b) (default 25,000; `DIFF_RUNS=100000` is the long
 * mode), and the other properties scale with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import type { DecisionResult } from '../../../src/generated/decision.js';
import type { PolicyTestFile } from '../../../src/generated/policy-test.js';
import { evaluatorFactory, referenceFactory } from '../../../src/app/evaluators.js';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { settleTurns } from '../../../src/core/evaluate/engine-order.js';
import { comparePlainDecimals } from '../../../src/core/evaluate/plain-decimal.js';
import type { Evaluator } from '../../../src/core/evaluate/evaluator.js';
import type { RuleEvaluation } from '../../../src/core/evaluate/explain-model.js';
import { JreEvaluator } from '../../../src/core/evaluate/jre-engine.js';
import { FACTS, type FactDef, type FactName, type Facts } from '../../../src/core/facts/catalog.js';
import { Dec } from '../../../src/core/money/decimal.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import type { CompiledPolicy, CompiledRule, ConditionNode, OptionType, ParamValue, ValueSource } from '../../../src/core/policy/model.js';
import { OPERATORS, engineOperatorName, type OperatorName } from '../../../src/core/policy/operators.js';
import { parseYamlSource } from '../../../src/core/policy/yaml-source.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import { validators } from '../../../src/core/validation/schemas.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const POLICY_FILE = 'policies/restructuring/1.0.0.yaml';
const TEST_FILE = 'policies/restructuring/1.0.0.test.yaml';
const loaded = loadPolicy(readFileSync(join(ROOT, POLICY_FILE), 'utf8'), POLICY_FILE, '0'.repeat(64));
if (!loaded.policy) throw new Error(`shipped policy does not load: ${loaded.problems.map((p) => p.message).join('; ')}`);
const policy: CompiledPolicy = loaded.policy;
const jre = new JreEvaluator(policy);
const compiled = new CompiledEvaluator(policy);
/** Decides as the default answer has it decided (`rules: 'fired'`), and nothing else. */
const firedOnly = new CompiledEvaluator(policy);

const FACT_RUNS = Math.max(1000, Number(process.env.DIFF_RUNS ?? 25_000));
const APP_RUNS = Math.max(100, Math.round(FACT_RUNS / 100));
const POLICY_RUNS = Math.max(200, Math.round(FACT_RUNS / 25));
const SEED = process.env.DIFF_SEED ? Number(process.env.DIFF_SEED) : undefined;
const OPTIONS: OptionType[] = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION'];

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

async function settle(p: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p() };
  } catch (err) {
    return { ok: false, error: String(err) };
  }
}

/** Deep-strict equal (undefined-valued keys count) and the same JSON text (key order counts). */
function identical(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Runs both (one after the other: a json-rules-engine Engine must not run twice at once) and compares. The
 * evaluator under test also runs fired-only (the default answer's way), before and after its full run: the
 * reference's fired rules in its order (or its error), whether the trees were built first or not.
 */
async function sameEvaluation(ref: Evaluator, sut: Evaluator, option: OptionType, facts: Facts): Promise<boolean> {
  const want = await settle(() => ref.evaluate(option, facts));
  const firedFirst = await settle(() => sut.evaluate(option, facts, true));
  const got = await settle(() => sut.evaluate(option, facts));
  const firedAfter = await settle(() => sut.evaluate(option, facts, true));
  const wantFired: Outcome = want.ok ? { ok: true, value: (want.value as RuleEvaluation[]).filter((r) => r.fired) } : want;
  if (identical(want, got) && identical(wantFired, firedFirst) && identical(wantFired, firedAfter)) return true;
  expect({ option, facts, result: got, firedFirst, firedAfter }).toStrictEqual({ option, facts, result: want, firedFirst: wantFired, firedAfter: wantFired });
  return false;
}

async function sameDecision(application: RestructuringApplication, now: string, id: string): Promise<boolean> {
  const input = { application, policy, now, decisionId: id, language: 'en' as const, selectedBy: 'differential test' };
  // The default answer's decision: the same, its explanation listing only the fired rules. Run first, by an
  // evaluator that only ever runs fired-only, so no tree of this application's values is remembered yet.
  const gotFired = await settle(() => decide({ ...input, evaluator: firedOnly, rules: 'fired' }));
  const want = await settle(() => decide({ ...input, evaluator: jre }));
  const got = await settle(() => decide({ ...input, evaluator: compiled }));
  const wantFired: Outcome = want.ok ? { ok: true, value: withFiredRulesOnly(want.value as DecisionResult) } : want;
  if (identical(want, got) && identical(wantFired, gotFired)) return true;
  expect({ got, gotFired }).toStrictEqual({ got: want, gotFired: wantFired });
  return false;
}

function withFiredRulesOnly(d: DecisionResult): DecisionResult {
  return { ...d, explanation: { ...d.explanation, rules: d.explanation.rules.filter((r) => r.fired) } };
}

function exampleApplication(): RestructuringApplication {
  return JSON.parse(readFileSync(join(ROOT, 'examples', 'application.json'), 'utf8')) as RestructuringApplication;
}

// ------------------------------------------------------------------------------------------ (a)

/** Patches over examples/application.json that, with the YAML cases, make every rule of the policy fire somewhere. */
const COVERAGE_PATCHES: Record<string, unknown> = {
  'approved-everything': {},
  'declined-fraud': { borrower: { fraudFlag: 'CONFIRMED' } },
  'suspected-fraud': { borrower: { fraudFlag: 'SUSPECTED', identityVerified: false } },
  'false-document': { borrower: { falseDocumentFlag: true, assetTransferFlag: true } },
  'grace-counteroffer-and-personalised-refer': { request: { options: ['GRACE_PERIOD'], desiredGraceMonths: 8, requestRateReduction: true } },
  'grace-4-months': { request: { desiredGraceMonths: 4 } },
  'malicious-delinquency-frozen': {
    borrower: { monthlyIncomeAfter: '20000.00' },
    loan: { daysPastDue: 45, overdueItems: [{ dueDate: '2026-01-15', principal: '5000.00', interest: '270.00' }] },
    contactHistory: [{ at: '2026-01-20T10:00:00+08:00', channel: 'PHONE', direction: 'OUTBOUND', outcome: 'REFUSED' }],
  },
  'over-90-days': { loan: { daysPastDue: 120, overdueItems: [{ dueDate: '2025-11-01', principal: '6000.00', interest: '300.00' }] } },
  'missing-documents': { documents: [{ type: 'ID', receivedAt: '2026-03-01T09:00:00+08:00', verified: true }], request: { desiredGraceMonths: 5 } },
  'new-account': { loan: { monthsOnBook: 2, paymentsMade: 0, delinquencies30PlusLast12m: 3, delinquencies30PlusLast24m: 3 } },
  'history-heavy': {
    loan: {
      priorRestructurings: [
        { type: 'INSTALLMENT', effectiveDate: '2025-06-01', status: 'ACTIVE' },
        { type: 'PERSONALISED_PLAN', effectiveDate: '2023-01-01', status: 'COMPLETED' },
        { type: 'GRACE_PERIOD', effectiveDate: '2025-10-01', status: 'BROKEN', brokenDate: '2025-12-01', graceMonths: 6 },
      ],
      priorWaivers: [{ date: '2025-09-01', amount: '100.00' }],
      daysPastDue: 40,
      overdueItems: [{ dueDate: '2026-01-20', principal: '3000.00', interest: '100.00' }],
    },
  },
  'score-550': { borrower: { riskScore: 520 } },
  'score-450': { borrower: { riskScore: 450 } },
  'high-exposure': {
    loan: { outstandingPrincipal: '250000.00', currentScheduledPayment: '43000.00', accruedPenaltyInterest: '6000.00' },
    borrower: { monthlyIncomeBefore: '90000.00', monthlyIncomeAfter: '60000.00' },
    guarantor: { riskScore: 700, monthlyIncome: '50000.00', monthlyDebtService: '1000.00', consentSigned: true },
    collateral: [{ type: 'DEPOSIT', appraisedValue: '300000.00', valuationDate: '2026-02-01' }],
  },
  'mid-exposure': { loan: { outstandingPrincipal: '80000.00', currentScheduledPayment: '13800.00' }, borrower: { monthlyIncomeBefore: '40000.00', monthlyIncomeAfter: '28000.00' } },
  'dsr-60': { borrower: { monthlyDebtServiceOther: '5000.00', monthlyIncomeAfter: '9000.00' } },
  'dsr-hopeless': { borrower: { monthlyDebtServiceOther: '9000.00', monthlyIncomeAfter: '9500.00' }, request: { requestRateReduction: true } },
  'already-installment': { loan: { alreadyInInstallmentPlan: true }, request: { desiredTermMonths: 48, desiredMonthlyPayment: '100.00' } },
  'term-12-asked': { request: { desiredTermMonths: 12 } },
  'permanent-hardship': { borrower: { hardship: { nature: 'PERMANENT', expectedRecoveryDate: '2027-12-01' } } },
  'undocumented-hardship': {
    borrower: { hardship: { reason: 'SERIOUS_ILLNESS' } },
    request: { waiverScope: 'INCLUDES_INTEREST', stepSchedule: [{ fromPeriod: 1, payment: '10.00' }, { fromPeriod: 2, payment: '99999.00' }] },
  },
  'no-penalty': { loan: { accruedPenaltyInterest: '0.00' } },
  'observation-clean': { loan: { priorRestructurings: [{ type: 'INSTALLMENT', effectiveDate: '2021-01-01', status: 'COMPLETED' }] } },
  'long-plan-low-score': { borrower: { riskScore: 620, monthlyIncomeAfter: '6000.00' }, loan: { remainingTermMonths: 40 } },
  'term-3-unaffordable': { request: { desiredTermMonths: 3 } },
  'apr-above-ceiling': { loan: { annualRate: '0.2401' } },
  'prior-waiver-undocumented': { loan: { priorWaivers: [{ date: '2025-09-01', amount: '100.00' }] }, documents: docs('ID', 'HARDSHIP_STATEMENT', 'CREDIT_AUTHORISATION') },
  'guarantor-accepted': {
    guarantor: { riskScore: 700, monthlyIncome: '30000.00', monthlyDebtService: '1000.00', consentSigned: true },
    documents: docs('ID', 'HARDSHIP_STATEMENT', 'CREDIT_AUTHORISATION', 'PAYSLIPS_3M', 'BANK_STATEMENTS_3M', 'EMPLOYER_LETTER', 'GUARANTOR_CONSENT'),
  },
};

function docs(...types: string[]) {
  return types.map((type) => ({ type, receivedAt: '2026-03-01T09:00:00+08:00', verified: true }));
}

describe('(a) whole decisions are identical over the YAML test cases and coverage patches', () => {
  const src = parseYamlSource(readFileSync(join(ROOT, TEST_FILE), 'utf8'), TEST_FILE);
  const doc = src.value as PolicyTestFile;
  const cases: { name: string; app: RestructuringApplication; now: string }[] = doc.cases.map((c) => {
    const app = deepMerge(doc.base, c.patch) as RestructuringApplication;
    return { name: `yaml: ${c.name}`, app, now: c.now ?? doc.now ?? app.receivedAt };
  });
  for (const [name, patch] of Object.entries(COVERAGE_PATCHES))
    cases.push({ name: `patch: ${name}`, app: deepMerge(exampleApplication(), patch) as RestructuringApplication, now: '2026-03-01T10:00:05+08:00' });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    expect(validators.application(c.app)).toBe(true);
    expect(await sameDecision(c.app, c.now, `diff-${i}`)).toBe(true);
  });

  it('the cases together fire every rule of the policy, so each rule is compared fired and not fired', async () => {
    const fired = new Set<string>();
    for (const [i, c] of cases.entries()) {
      const d = await decide({ application: c.app, policy, evaluator: compiled, now: c.now, decisionId: `cov-${i}`, language: 'en', selectedBy: 'coverage' });
      for (const id of d.explanation.firedRules) fired.add(id);
    }
    expect(policy.rules.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ (b)

interface FactUse {
  constants: Map<FactName, ParamValue[]>;
  refs: [FactName, FactName][];
}

function usesOf(rules: CompiledRule[]): FactUse {
  const constants = new Map<FactName, ParamValue[]>();
  const refs: [FactName, FactName][] = [];
  const walk = (n: ConditionNode): void => {
    if (n.kind === 'not') walk(n.child);
    else if (n.kind !== 'leaf') n.children.forEach(walk);
    else if (n.value.kind === 'fact') refs.push([n.fact, n.value.name]);
    else {
      const list = constants.get(n.fact) ?? [];
      list.push(...(Array.isArray(n.value.value) ? n.value.value : [n.value.value]));
      constants.set(n.fact, list);
    }
  };
  for (const r of rules) walk(r.condition);
  return { constants, refs };
}

/** The same number spelled differently, and its neighbours: where an inexact comparison would show. */
function decimalVariants(v: string): string[] {
  const d = new Dec(v);
  const out = new Set<string>([v, d.toFixed(6), d.toFixed(d.decimalPlaces() + 1), `0${v}`]);
  for (const step of ['0.0001', '0.000001', '0.01', '1e-30']) {
    out.add(d.plus(step).toFixed());
    out.add(d.minus(step).toFixed());
  }
  out.add(d.negated().toFixed());
  return [...out];
}

const ALL_DECIMAL_CONSTANTS = [...usesOf(policy.rules).constants.entries()]
  .filter(([f]) => FACTS[f].type === 'decimal')
  .flatMap(([, v]) => v.map(String));

const randomDecimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }), fc.nat({ max: 9 }))
  .map(([neg, digits, places, bias]) => {
    const s = digits.toString().padStart(places + 1, '0');
    const int = s.slice(0, s.length - places);
    const frac = s.slice(s.length - places);
    return `${neg && bias < 2 ? '-' : ''}${bias === 9 ? int.slice(-1) : int}${places ? `.${frac}` : ''}`;
  });

/** Spellings decimal.js reads that are not plain decimals, numbers, and the odd empty value: the fallback path. */
const EXOTIC_DECIMALS: unknown[] = ['1e-1', '5.5e1', '+0.55', '.5', '5.', '-0', '-0.00', '00000.5500', '0x10', 0.55, 0, 200000, `0.${'3'.repeat(60)}`, '1'.repeat(50)];

function decimalArb(constants: ParamValue[]): fc.Arbitrary<unknown> {
  const variants = constants.flatMap((c) => decimalVariants(String(c)));
  return fc.oneof(
    { weight: 5, arbitrary: variants.length ? fc.constantFrom(...variants) : randomDecimal },
    { weight: 3, arbitrary: randomDecimal },
    { weight: 2, arbitrary: fc.constantFrom(...ALL_DECIMAL_CONSTANTS) },
    { weight: 1, arbitrary: fc.constantFrom(...EXOTIC_DECIMALS) },
  );
}

function integerArb(constants: ParamValue[]): fc.Arbitrary<unknown> {
  const near = constants.flatMap((c) => [Number(c) - 1, Number(c), Number(c) + 1]);
  return fc.oneof(
    { weight: 5, arbitrary: near.length ? fc.constantFrom(...near) : fc.integer({ min: -2, max: 40 }) },
    { weight: 3, arbitrary: fc.integer({ min: -5, max: 1200 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 53, -0, 0.5, '600') },
  );
}

const DATES = ['2025-01-01', '2025-12-31', '2026-01-15', '2026-03-01', '2026-03-02', '2027-02-28'];
const LIST_ITEMS = ['High revolving utilisation', 'Short credit history', 'ID', 'HARDSHIP_STATEMENT', 'PAYSLIPS_3M', 'GUARANTOR_CONSENT', ''];

function valueArb(name: FactName, constants: ParamValue[]): fc.Arbitrary<unknown> {
  const def: FactDef = FACTS[name];
  switch (def.type) {
    case 'decimal':
      return decimalArb(constants);
    case 'integer':
      return integerArb(constants);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...(def.values ?? ['X'])) }, { weight: 1, arbitrary: fc.constantFrom('', 'other', 'approve') });
    case 'date':
      return fc.constantFrom(...DATES, ...constants.map(String));
    case 'list':
      return fc.array(fc.constantFrom(...LIST_ITEMS, ...constants.map(String)), { maxLength: 4 });
  }
}

const ABSENT = Symbol('absent');

/** A fact: usually a value of its type, sometimes missing (no key, or an undefined value), rarely null. */
function factArb(name: FactName, constants: ParamValue[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 16, arbitrary: valueArb(name, constants) },
    { weight: 1, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** Fact objects for the facts a set of rules reads; fact-to-fact comparisons get equal sides now and then. */
function factsArb(rules: CompiledRule[]): fc.Arbitrary<Facts> {
  const uses = usesOf(rules);
  const names = [...new Set(rules.flatMap((r) => r.facts))].sort();
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const n of names) shape[n] = factArb(n, uses.constants.get(n) ?? []);
  return fc.tuple(fc.record(shape), fc.nat({ max: 4 })).map(([raw, tie]) => {
    const facts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (v !== ABSENT) facts[k] = v;
    if (tie === 0) for (const [left, right] of uses.refs) facts[right] = facts[left];
    return facts as Facts;
  });
}

describe('(b) evaluate() is identical over generated facts', () => {
  const perOption = Math.ceil(FACT_RUNS / OPTIONS.length);
  for (const option of OPTIONS) {
    it(`${option}: ${perOption} fact objects`, async () => {
      const rules = policy.rules.filter((r) => r.options.includes(option));
      expect(rules.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(factsArb(rules), (facts) => sameEvaluation(jre, compiled, option, facts)),
        { numRuns: perOption, seed: SEED },
      );
    }, 120_000);
  }

  it('exact decimal comparison agrees with decimal.js', () => {
    fc.assert(
      fc.property(fc.oneof(randomDecimal, fc.constantFrom(...ALL_DECIMAL_CONSTANTS.flatMap(decimalVariants))), fc.oneof(randomDecimal, fc.constantFrom(...ALL_DECIMAL_CONSTANTS)), (a, b) => {
        expect(comparePlainDecimals(a, b)).toBe(new Dec(a).comparedTo(new Dec(b)));
      }),
      { numRuns: 20_000, seed: SEED },
    );
  });
});

// ------------------------------------------------------------------------------------------ (c)

const money = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((c) => (c / 100).toFixed(2));
const date = (from: string, days: number) =>
  fc.integer({ min: 0, max: days }).map((d) => new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10));
const DOC_TYPES = [
  'ID', 'HARDSHIP_STATEMENT', 'PAYSLIPS_3M', 'BANK_STATEMENTS_3M', 'TAX_INCOME_RECORD', 'EMPLOYER_LETTER', 'TERMINATION_LETTER',
  'UNEMPLOYMENT_REGISTRATION', 'MEDICAL_DIAGNOSIS', 'MEDICAL_BILLS', 'DISABILITY_CERT', 'DEATH_CERT', 'DISASTER_PROOF',
  'BUSINESS_LICENSE_AND_REVENUE', 'CREDIT_AUTHORISATION', 'GUARANTOR_CONSENT', 'COLLATERAL_VALUATION',
] as const;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

const patchArb = fc.record({
  borrower: fc.record({
    riskScore: fc.oneof(fc.constantFrom(450, 499, 500, 549, 550, 599, 600, 649, 650, 700), fc.integer({ min: 0, max: 1000 })),
    monthlyIncomeBefore: money(3000, 60000),
    monthlyIncomeAfter: money(0, 40000),
    monthlyDebtServiceOther: money(0, 15000),
    identityVerified: fc.boolean(),
    incomeVerified: fc.boolean(),
    fraudFlag: fc.constantFrom('NONE', 'NONE', 'NONE', 'SUSPECTED', 'CONFIRMED'),
    falseDocumentFlag: fc.boolean(),
    assetTransferFlag: fc.boolean(),
    hardship: fc.record({
      reason: fc.constantFrom('UNEMPLOYMENT', 'INCOME_REDUCTION', 'SERIOUS_ILLNESS', 'DISABILITY', 'DEATH_OF_EARNER', 'DISASTER', 'BUSINESS_FAILURE', 'DIVORCE', 'OTHER'),
      nature: fc.constantFrom('TEMPORARY', 'PERMANENT', 'UNKNOWN'),
      expectedRecoveryDate: date('2026-02-01', 700),
    }),
  }),
  loan: fc.record({
    outstandingPrincipal: fc.oneof(money(1000, 60000), money(40000, 300000)),
    accruedInterest: money(0, 2000),
    accruedPenaltyInterest: fc.oneof(fc.constantFrom('0.00', '45.00', '499.99', '500.00', '500.01', '5000.00', '5000.01'), money(0, 8000)),
    remainingTermMonths: fc.integer({ min: 1, max: 72 }),
    currentScheduledPayment: money(100, 40000),
    monthsOnBook: fc.integer({ min: 0, max: 60 }),
    paymentsMade: fc.integer({ min: 0, max: 40 }),
    daysPastDue: fc.constantFrom(0, 0, 0, 15, 30, 31, 45, 90, 91, 150),
    overdueItems: fc.array(fc.record({ dueDate: date('2025-10-01', 140), principal: money(0, 8000), interest: money(0, 500) }), { maxLength: 2 }),
    delinquencies30PlusLast12m: fc.integer({ min: 0, max: 4 }),
    delinquencies30PlusLast24m: fc.integer({ min: 0, max: 5 }),
    alreadyInInstallmentPlan: fc.boolean(),
    priorRestructurings: fc.array(
      fc.record(
        {
          type: fc.constantFrom('INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'),
          effectiveDate: date('2020-01-01', 2250),
          status: fc.constantFrom('ACTIVE', 'COMPLETED', 'BROKEN'),
          brokenDate: date('2025-01-01', 420),
          graceMonths: fc.integer({ min: 0, max: 8 }),
        },
        { requiredKeys: ['type', 'effectiveDate', 'status'] },
      ),
      { maxLength: 3 },
    ),
    priorWaivers: fc.array(fc.record({ date: date('2024-06-01', 630), amount: money(0, 1000) }), { maxLength: 2 }),
  }),
  request: fc.record(
    {
      options: fc.subarray(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION']),
      desiredMonthlyPayment: money(50, 20000),
      desiredTermMonths: fc.integer({ min: 1, max: 72 }),
      desiredGraceMonths: fc.integer({ min: 1, max: 9 }),
      stepSchedule: fc.array(fc.record({ fromPeriod: fc.integer({ min: 1, max: 40 }), payment: money(10, 8000) }), { minLength: 1, maxLength: 3 }),
      requestRateReduction: fc.boolean(),
      requestWaiverPct: fc.constantFrom('0', '0.5', '1.00', '0.25'),
      waiverScope: fc.constantFrom('PENALTY_ONLY', 'INCLUDES_INTEREST', 'INCLUDES_PRINCIPAL'),
    },
    { requiredKeys: ['options'] },
  ),
  documents: fc.subarray([...DOC_TYPES]).chain((types) =>
    fc.tuple(...types.map((t) => fc.record({ type: fc.constant(t), receivedAt: fc.constant('2026-03-01T09:00:00+08:00'), verified: fc.boolean() }))),
  ),
  contactHistory: fc.array(
    fc.record({
      at: date('2025-12-01', 95).map((d) => `${d}T10:00:00+08:00`),
      channel: fc.constantFrom('APP', 'PHONE', 'SMS'),
      direction: fc.constantFrom('INBOUND', 'OUTBOUND'),
      outcome: fc.constantFrom('REACHED', 'NO_ANSWER', 'PROMISE_TO_PAY', 'REFUSED', 'RECORDED_AGREEMENT'),
    }),
    { maxLength: 3 },
  ),
  guarantor: opt(fc.record({ riskScore: fc.integer({ min: 400, max: 900 }), monthlyIncome: money(1000, 50000), monthlyDebtService: money(0, 20000), consentSigned: fc.boolean() })),
  collateral: opt(fc.array(fc.record({ type: fc.constantFrom('REAL_ESTATE', 'DEPOSIT', 'VEHICLE', 'OTHER'), appraisedValue: money(0, 400000), valuationDate: date('2025-09-01', 180) }), { maxLength: 2 })),
});

describe('(c) whole decisions are identical over generated applications', () => {
  it(`${APP_RUNS} applications`, async () => {
    const base = exampleApplication();
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(patchArb, async (patch) => {
        const app = deepMerge(base, JSON.parse(JSON.stringify(patch))) as RestructuringApplication;
        if (!validators.application(app)) return true; // the service would answer 400 before deciding
        valid++;
        return sameDecision(app, '2026-03-01T10:00:05+08:00', 'diff-app');
      }),
      { numRuns: APP_RUNS, seed: SEED },
    );
    expect(valid).toBeGreaterThan(APP_RUNS * 0.8);
  }, 120_000);
});

// ------------------------------------------------------------------------------------------ (d)

/** A few facts of every type, compared with literals, parameters and each other. */
const TREE_FACTS: FactName[] = ['currentDsr', 'exposure', 'riskScore', 'daysPastDue', 'goodFaith', 'incomeVerified', 'fraudFlag', 'hardshipReason', 'riskScoreKeyFactors', 'receivedDate', 'lastBrokenPlanDate'];

function literalArb(name: FactName, operator: OperatorName): fc.Arbitrary<ParamValue> {
  const def: FactDef = FACTS[name];
  const one: fc.Arbitrary<string | number | boolean> =
    def.type === 'decimal'
      ? fc.constantFrom('0', '0.55', '0.7', '200000', '-1.5')
      : def.type === 'integer'
        ? fc.constantFrom(0, 30, 500, 600)
        : def.type === 'boolean'
          ? fc.boolean()
          : def.type === 'enum'
            ? fc.constantFrom(...def.values!)
            : def.type === 'date'
              ? fc.constantFrom(...DATES)
              : fc.constantFrom(...LIST_ITEMS);
  return operator === 'in' || operator === 'notIn' ? fc.array(one, { maxLength: 3 }) : one;
}

const leafArb: fc.Arbitrary<ConditionNode> = fc.constantFrom(...TREE_FACTS).chain((fact) => {
  const type = FACTS[fact].type;
  const ops = (Object.keys(OPERATORS) as OperatorName[]).filter((o) => (OPERATORS[o] as readonly string[]).includes(type));
  return fc.constantFrom(...ops).chain((operator) => {
    const same = TREE_FACTS.filter((f) => f !== fact && (FACTS[f].type === type || (['decimal', 'integer'].includes(FACTS[f].type) && ['decimal', 'integer'].includes(type))));
    const sources: fc.Arbitrary<ValueSource>[] = [
      literalArb(fact, operator).map((value) => ({ kind: 'literal' as const, value })),
      literalArb(fact, operator).map((value) => ({ kind: 'param' as const, name: 'p', value })),
    ];
    if (same.length && operator !== 'contains' && operator !== 'doesNotContain') sources.push(fc.constantFrom(...same).map((name) => ({ kind: 'fact' as const, name })));
    return fc.oneof(...sources).map((value): ConditionNode => ({ kind: 'leaf', fact, operator, engineOperator: engineOperatorName(operator, type), value }));
  });
});

const treeArb: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: leafArb },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('all' as const, 'any' as const), children: fc.array(tie('node'), { maxLength: 4 }) }) },
    { weight: 1, arbitrary: tie('node').map((child): ConditionNode => ({ kind: 'not', child })) },
  ),
})).node;

const rootArb: fc.Arbitrary<ConditionNode> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('all' as const, 'any' as const), children: fc.array(treeArb, { maxLength: 5 }) }) },
  { weight: 1, arbitrary: treeArb },
);

/** A bare policy: only what the evaluators read (rules with id, options, priority, condition, outcome). */
function barePolicy(rules: CompiledRule[]): CompiledPolicy {
  const derived = { engine: policy.engine, forbearance: policy.forbearance, rulesById: new Map(rules.map((r) => [r.id, r])), grantTerms: new Map(), enhancedWaiverCents: undefined, reasonTemplates: policy.reasonTemplates };
  return { id: 'generated', version: '0', sha256: '', file: '', source: '', metadata: policy.metadata, params: {}, reasonCodes: {}, documents: undefined, defaults: policy.defaults, rules, ...derived };
}

function bareRule(id: string, priority: number, condition: ConditionNode, outcome?: CompiledRule['outcome']): CompiledRule {
  return { id, description: '', options: ['INSTALLMENT'], priority, condition, outcome, reasonCodes: [], offerConditions: [], facts: TREE_FACTS, params: [] };
}

const policyArb: fc.Arbitrary<CompiledPolicy> = fc
  .array(fc.record({ condition: rootArb, priority: fc.constantFrom(1, 1, 2, 50, 50, 90), outcome: fc.constantFrom(undefined, 'APPROVE', 'DECLINE') }), { minLength: 1, maxLength: 10 })
  .map((rules) => barePolicy(rules.map((r, i) => bareRule(`R-${i}`, r.priority, r.condition, r.outcome as CompiledRule['outcome']))));

describe('(d) evaluate() is identical over generated policies', () => {
  it(`${POLICY_RUNS} policies × 4 fact objects`, async () => {
    const treeFacts = factsArb([bareRule('facts', 1, { kind: 'all', children: [] })]);
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(treeFacts, { minLength: 4, maxLength: 4 }), async (p, factSets) => {
        const ref = new JreEvaluator(p);
        const sut = new CompiledEvaluator(p);
        for (const facts of factSets) if (!(await sameEvaluation(ref, sut, 'INSTALLMENT', facts))) return false;
        return true;
      }),
      { numRuns: POLICY_RUNS, seed: SEED },
    );
  }, 120_000);

  it('settle turns: a leaf 3, all/any of n ≥ 2 is 4 + the slowest child (+1 when nested), not adds 1 (+2 nested)', () => {
    const leaf: ConditionNode = { kind: 'leaf', fact: 'riskScore', operator: 'equal', engineOperator: 'equal:integer', value: { kind: 'literal', value: 1 } };
    expect(settleTurns(leaf)).toBe(3);
    expect(settleTurns({ kind: 'all', children: [leaf] })).toBe(3);
    expect(settleTurns({ kind: 'all', children: [] })).toBe(0);
    expect(settleTurns({ kind: 'any', children: [leaf, leaf] })).toBe(7);
    expect(settleTurns({ kind: 'all', children: [leaf, { kind: 'any', children: [leaf, leaf] }] })).toBe(12);
    expect(settleTurns({ kind: 'not', child: leaf })).toBe(4);
    expect(settleTurns({ kind: 'all', children: [{ kind: 'not', child: leaf }, leaf] })).toBe(9);
  });
});

describe('EVALUATOR selects the evaluator', () => {
  it('compiled by default, json-rules-engine on request (and as the reference), anything else refused', () => {
    expect(evaluatorFactory(undefined)(policy)).toBeInstanceOf(CompiledEvaluator);
    expect(referenceFactory(undefined)!(policy)).toBeInstanceOf(JreEvaluator);
    expect(referenceFactory('jre')).toBeUndefined();
    expect(evaluatorFactory('jre')(policy)).toBeInstanceOf(JreEvaluator);
    expect(evaluatorFactory('compiled')(policy)).toBeInstanceOf(CompiledEvaluator);
    expect(() => evaluatorFactory('fast')).toThrow(/EVALUATOR must be/);
  });
});
