import type { RestructuringApplication } from '../../generated/application.js';
import type { DocumentType } from '../../generated/decision.js';
import type { PlanOptionOutline } from '../decide/decide.js';
import { requiredDocuments } from '../facts/documents.js';
import { formatCents as money } from '../money/decimal.js';
import { PLAN_OPTIONS as PLAN_OPTION_ORDER, type CompiledPolicy } from '../policy/model.js';

export interface OfferOption {
  option: string;
  decision: string;
  reasonCodes: string[];
  plan?: {
    graceMonths?: number;
    amortisationMonths: number;
    totalTermMonths: number;
    firstDueDate: string;
    regularPayment: string;
    gracePayment?: string;
    totalInterest: string;
    paymentReductionPct: string;
  };
  requiredDocuments: string[];
}

/** The proactive offer: each plan option's decision, plan summary and documents still needed. */
export interface Offer {
  policyVersion: string;
  options: OfferOption[];
}

/** What each plan option asks for and, once, every document any of them asks for in first-asked order. */
export interface DocumentsNeeded {
  byOption: Map<string, DocumentType[]>;
  all: DocumentType[];
}

/**
 * The documents each plan option of `policy` still needs for `app`: exactly the `requiredDocuments` that
 * decide() gives each plan option (the policy's document matrix, the enhanced set where the policy asks for
 * it), found without deciding the application — the offer's one decision is the one with them on file.
 */
export function documentsNeeded(policy: CompiledPolicy, app: RestructuringApplication): DocumentsNeeded {
  const enhanced: readonly string[] = policy.documents?.enhancedFor ?? [];
  const byOption = new Map<string, DocumentType[]>();
  const all: DocumentType[] = [];
  for (const option of PLAN_OPTION_ORDER) {
    const docs = requiredDocuments(policy.documents, app, enhanced.includes(option));
    byOption.set(option, docs);
    for (const d of docs) if (!all.includes(d)) all.push(d);
  }
  return { byOption, all };
}

/**
 * The offer: each plan option's decision once the borrower has sent what it asks for (decided with those
 * documents on file), its plan summary, and the documents still needed (`needed`, by option: what the
 * pre-application as it stands lacks, see documentsNeeded). Built from decidePlanOptions (the plan options as
 * decide() decides them, without the waiver, the account action, reason texts, schedule rows or explanation);
 * a test holds it equal to the same offer read off a full decide().
 */
export function offerOfPlans(policyVersion: string, withDocuments: readonly PlanOptionOutline[], needed: ReadonlyMap<string, readonly string[]>): Offer {
  const options: OfferOption[] = [];
  for (const o of withDocuments) {
    const out: OfferOption = { option: o.option, decision: o.decision, reasonCodes: o.reasonCodes, requiredDocuments: [...(needed.get(o.option) ?? [])] };
    const p = o.plan;
    if (p) {
      const s = p.schedule;
      // decide()'s plan JSON (planJson), summarised: same keys and texts (in the offer's own, unchanged order).
      out.plan = {
        ...(p.graceMonths ? { graceMonths: p.graceMonths } : {}),
        amortisationMonths: p.amortisationMonths,
        totalTermMonths: s.rows.length,
        firstDueDate: p.firstDueDate,
        regularPayment: money(s.regularPayment),
        ...(s.gracePayment !== undefined ? { gracePayment: money(s.gracePayment) } : {}),
        totalInterest: money(s.totalInterest),
        paymentReductionPct: p.paymentReductionPct,
      };
    }
    options.push(out);
  }
  return { policyVersion, options };
}
