import type { IncomeExpenditure } from '../../generated/application.js';
import { parseMoney } from '../money/decimal.js';
import { ratioTimesCents } from '../money/exact-decimal.js';

/** Policy numbers affordability reads; each absent one leaves the fact it feeds missing. */
export interface AffordabilityParams {
  /** Share of disposable income a plan may take (default policy: 0.90). */
  affordabilityShare?: string;
  /** Monthly flexible-spend guideline per adult and per child (SFS trigger-figure analogue). */
  guidelinePerAdult?: string;
  guidelinePerChild?: string;
}

export interface Affordability {
  /** Σ income − Σ expenditure − other creditors, in cents; may be negative. */
  disposableIncome: bigint;
  /** round2(disposableIncome × share); undefined without a share. */
  affordablePayment?: bigint;
  /** Monthly food, transport, communications and other essentials. */
  flexibleSpend: bigint;
  /** guidelinePerAdult × adults + guidelinePerChild × children; undefined without the guidelines. */
  flexibleSpendGuideline?: bigint;
  /** flexibleSpend above the guideline. */
  flexibleSpendOverGuideline?: boolean;
}

/** Spending a statement may trim (SFS "flexible" categories); housing, tax, utilities, childcare, health and insurance are fixed. */
const FLEXIBLE = new Set(['FOOD_AND_HOUSEKEEPING', 'TRANSPORT', 'COMMUNICATIONS', 'OTHER_ESSENTIAL']);

/** The derived facts (docs/domain.md#affordability-vulnerability-and-arrangements) of an income & expenditure statement (pure, exact cents). */
export function affordabilityOf(ie: IncomeExpenditure, p: AffordabilityParams): Affordability {
  let income = 0n;
  for (const line of ie.income) income += parseMoney(line.monthlyAmount);
  let spend = 0n;
  let flexible = 0n;
  for (const line of ie.expenditure) {
    const amount = parseMoney(line.monthlyAmount);
    spend += amount;
    if (FLEXIBLE.has(line.category)) flexible += amount;
  }
  const disposableIncome = income - spend - parseMoney(ie.otherCreditorPayments);
  const out: Affordability = { disposableIncome, flexibleSpend: flexible };
  if (p.affordabilityShare !== undefined) out.affordablePayment = ratioTimesCents(p.affordabilityShare, disposableIncome);
  if (p.guidelinePerAdult !== undefined && p.guidelinePerChild !== undefined) {
    const guideline = ratioTimesCents(p.guidelinePerAdult, BigInt(ie.householdAdults) * 100n) + ratioTimesCents(p.guidelinePerChild, BigInt(ie.householdChildren) * 100n);
    out.flexibleSpendGuideline = guideline;
    out.flexibleSpendOverGuideline = flexible > guideline;
  }
  return out;
}
