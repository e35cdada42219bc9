import type { Waiver } from '../../generated/decision.js';
import { formatCents as money } from '../money/decimal.js';
import { Dec, parseMoney } from '../money/decimal.js';
import { waiverAmount } from '../money/penalty.js';
import type { DocumentMatrix } from '../../generated/policy.js';
import type { CompiledPolicy, CompiledRule, ParamValue } from '../policy/model.js';

/** A waiver grant's parameters, parsed: its share, and its cap (infinite when uncapped). */
export interface GrantTerms {
  pct: Dec;
  cap: Dec;
  capCents: bigint | null;
  /** The share granted (2 decimals) by the share asked: requests repeat a few values ("1.00", "0.5"). At most MAX_ASKED. */
  granted: Map<string, string>;
}

/** At most this many asked shares are remembered per grant (the asked share comes from the request body). */
const MAX_ASKED = 64;

/**
 * Each waiver rule's terms by rule id, parsed once when the policy is compiled: the parameters are fixed,
 * and decimal.js parsing is a visible part of a decision.
 */
export function grantTermsOf(params: Readonly<Record<string, ParamValue>>, rules: readonly CompiledRule[]): ReadonlyMap<string, GrantTerms> {
  const terms = new Map<string, GrantTerms>();
  for (const rule of rules) {
    if (!rule.waiver) continue;
    const { pct, cap } = rule.waiver;
    const capDec = cap ? new Dec(String(params[cap])) : undefined;
    terms.set(rule.id, { pct: new Dec(String(params[pct])), cap: capDec ?? new Dec(Infinity), capCents: capDec ? parseMoney(capDec.toFixed(2)) : null, granted: new Map() });
  }
  return terms;
}

/** The accrued penalty above which a waiver needs the enhanced documents (the policy's `enhancedWaiverAbove`), in cents. */
export function enhancedWaiverCentsOf(params: Readonly<Record<string, ParamValue>>, documents: DocumentMatrix | undefined): bigint | undefined {
  const param = documents?.enhancedWaiverAbove;
  return param === undefined ? undefined : parseMoney(new Dec(String(params[param])).toFixed(2));
}

const termsOf = (policy: CompiledPolicy, rule: CompiledRule): GrantTerms => policy.grantTerms.get(rule.id)!;

/** The most generous of the fired grants: highest share, then no cap, then the highest cap. */
export function bestGrant(policy: CompiledPolicy, grants: CompiledRule[]): CompiledRule {
  return grants.reduce((x, y) => {
    const tx = termsOf(policy, x);
    const ty = termsOf(policy, y);
    const c = ty.pct.comparedTo(tx.pct);
    return c > 0 || (c === 0 && ty.cap.greaterThan(tx.cap)) ? y : x;
  });
}

/** The waiver a grant gives: its share (no more than asked) of the accrued penalty, up to its cap. */
export function waiverOf(policy: CompiledPolicy, grant: CompiledRule, accrued: bigint, askedPct: string): Waiver {
  const terms = termsOf(policy, grant);
  let pct = terms.granted.get(askedPct);
  if (pct === undefined) {
    // Rounded down to the cent of a share: a borrower's request is never granted more than was asked.
    pct = Dec.min(terms.pct, new Dec(askedPct)).toFixed(2, Dec.ROUND_DOWN);
    if (terms.granted.size >= MAX_ASKED) terms.granted.clear();
    terms.granted.set(askedPct, pct);
  }
  const amount = waiverAmount(accrued, pct, terms.capCents);
  // Members in canonical (sorted) order, as the audit trail writes them.
  return {
    conditions: [...grant.offerConditions],
    penaltyAccrued: money(accrued),
    penaltyRemaining: money(accrued - amount),
    waiverAmount: money(amount),
    waiverPct: pct,
  };
}
