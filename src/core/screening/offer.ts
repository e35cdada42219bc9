import type { DecisionResult } from '../../generated/decision.js';

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

const PLAN_OPTIONS = new Set(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN']);

/** Every document a plan option of the decision still asks for, in first-asked order. */
export function documentsAskedFor(d: DecisionResult): string[] {
  const out: string[] = [];
  for (const o of d.options) if (PLAN_OPTIONS.has(o.option)) for (const doc of o.requiredDocuments) if (!out.includes(doc)) out.push(doc);
  return out;
}

/**
 * The offer: each plan option's decision once the borrower has sent what it asks for (`withDocuments`,
 * decided with those documents on file), its plan summary, and the documents still needed (from
 * `asIs`, decided on the pre-application as it stands). Schedules and explanations are left out.
 */
export function offerOf(withDocuments: DecisionResult, asIs: DecisionResult = withDocuments): Offer {
  const needed = new Map(asIs.options.map((o) => [o.option, o.requiredDocuments]));
  return {
    policyVersion: withDocuments.policy.version,
    options: withDocuments.options
      .filter((o) => PLAN_OPTIONS.has(o.option))
      .map((o) => {
        const out: OfferOption = { option: o.option, decision: o.decision, reasonCodes: o.reasonCodes.map((r) => r.code), requiredDocuments: [...(needed.get(o.option) ?? [])] };
        const p = o.plan;
        if (p)
          out.plan = {
            ...(p.graceMonths ? { graceMonths: p.graceMonths } : {}),
            amortisationMonths: p.amortisationMonths,
            totalTermMonths: p.totalTermMonths,
            firstDueDate: p.firstDueDate,
            regularPayment: p.regularPayment,
            ...(p.gracePayment !== undefined ? { gracePayment: p.gracePayment } : {}),
            totalInterest: p.totalInterest,
            paymentReductionPct: p.paymentReductionPct,
          };
        return out;
      }),
  };
}
