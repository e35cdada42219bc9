import type { RestructuringApplication } from '../../generated/application.js';
import type { Facts } from '../facts/catalog.js';
import { formatCents as money } from '../money/decimal.js';
import type { CompiledPolicy } from '../policy/model.js';
import { affordabilityOf, type Affordability } from './affordability.js';
import { moratoriumCovers, moratoriumSpan, type MoratoriumSpan } from './moratorium.js';

/** What the optional forbearance inputs (docs/domain.md#affordability-vulnerability-and-arrangements) mean for one application, worked out once. */
export interface Circumstances {
  affordability?: Affordability;
  /** Whether vulnerability was stated; its drivers never leave the application. */
  vulnerable: boolean;
  contactNeeds: string[];
  /** Grace months added to the cap (0 unless vulnerable and the policy sets vulnerableGraceExtraMonths). */
  graceExtraMonths: number;
  moratorium?: MoratoriumSpan & { active: boolean };
}

export function circumstancesOf(app: RestructuringApplication, policy: CompiledPolicy, today: string): Circumstances {
  const f = policy.forbearance;
  const vulnerable = app.vulnerability !== undefined;
  const out: Circumstances = { vulnerable, contactNeeds: vulnerable ? [...(app.vulnerability!.needs ?? [])] : [], graceExtraMonths: vulnerable ? f.vulnerableGraceExtraMonths : 0 };
  if (app.incomeExpenditure) out.affordability = affordabilityOf(app.incomeExpenditure, f.affordability);
  if (app.moratorium) {
    const span = moratoriumSpan(app.moratorium, f.moratorium);
    out.moratorium = { ...span, active: moratoriumCovers(span, today) };
  }
  return out;
}

/** The last day of a moratorium still running on or after `today`: plans start after it. Undefined when none or open-ended. */
export function moratoriumEndAfter(c: Circumstances, today: string): string | undefined {
  const end = c.moratorium?.end;
  return end !== undefined && end >= today ? end : undefined;
}

/** The facts rules see (catalog: forbearance); each is set only when its input is present, so absent inputs decide as before. */
export function circumstanceFacts(c: Circumstances, app: RestructuringApplication): Facts {
  const facts: Facts = {};
  if (app.incomeExpenditure && c.affordability) {
    facts.incomeExpenditureGiven = true;
    facts.incomeExpenditureVerified = app.incomeExpenditure.verified;
    facts.disposableIncome = money(c.affordability.disposableIncome);
    if (c.affordability.affordablePayment !== undefined) facts.affordablePayment = money(c.affordability.affordablePayment);
    facts.flexibleSpend = money(c.affordability.flexibleSpend);
    if (c.affordability.flexibleSpendGuideline !== undefined) {
      facts.flexibleSpendGuideline = money(c.affordability.flexibleSpendGuideline);
      facts.flexibleSpendOverGuideline = c.affordability.flexibleSpendOverGuideline;
    }
  }
  if (c.vulnerable) facts.vulnerabilityPresent = true;
  if (c.moratorium) {
    facts.moratoriumActive = c.moratorium.active;
    facts.moratoriumOpenEnded = c.moratorium.end === undefined;
    if (c.moratorium.end !== undefined) facts.moratoriumEnd = c.moratorium.end;
  }
  return facts;
}
