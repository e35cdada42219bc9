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

/** The offer part of a decision: schedules and explanations are left out (the offer is a summary). */
export function offerOf(d: DecisionResult): Offer {
  return {
    policyVersion: d.policy.version,
    options: d.options
      .filter((o) => PLAN_OPTIONS.has(o.option))
      .map((o) => {
        const out: OfferOption = { option: o.option, decision: o.decision, reasonCodes: o.reasonCodes.map((r) => r.code), requiredDocuments: [...o.requiredDocuments] };
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
