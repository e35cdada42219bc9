import type { Waiver } from '../../generated/decision.js';
import { formatCents as money } from '../money/decimal.js';
import { Dec, parseMoney } from '../money/decimal.js';
import { waiverAmount } from '../money/penalty.js';
import type { CompiledPolicy, CompiledRule } from '../policy/model.js';

/** A waiver grant's parameters, parsed: its share, and its cap (infinite when uncapped). */
interface GrantTerms {
  pct: Dec;
  cap: Dec;
  capCents: bigint | null;
  /** The share granted (2 decimals) by the share asked: requests repeat a few values ("1.00", "0.5"). */
  granted: Map<string, string>;
}

/** At most this many asked shares are remembered per grant. */
const MAX_ASKED = 64;

// Parsed once per policy: the parameters are fixed, and decimal.js parsing is a visible part of a decision.
const grantTerms = new WeakMap<CompiledRule, GrantTerms>();
const enhancedThresholds = new WeakMap<CompiledPolicy, { cents: bigint | undefined }>();

function termsOf(policy: CompiledPolicy, rule: CompiledRule): GrantTerms {
  let t = grantTerms.get(rule);
  if (!t) {
    const { pct, cap } = rule.waiver!;
    const capDec = cap ? new Dec(String(policy.params[cap])) : undefined;
    t = { pct: new Dec(String(policy.params[pct])), cap: capDec ?? new Dec(Infinity), capCents: capDec ? parseMoney(capDec.toFixed(2)) : null, granted: new Map() };
    grantTerms.set(rule, t);
  }
  return t;
}

/** The accrued penalty above which a waiver needs the enhanced documents (the policy's `enhancedWaiverAbove`), in cents. */
export function enhancedWaiverThreshold(policy: CompiledPolicy): bigint | undefined {
  let t = enhancedThresholds.get(policy);
  if (!t) {
    const param = policy.documents?.enhancedWaiverAbove;
    t = { cents: param === undefined ? undefined : parseMoney(new Dec(String(policy.params[param])).toFixed(2)) };
    enhancedThresholds.set(policy, t);
  }
  return t.cents;
}

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
  return {
    penaltyAccrued: money(accrued),
    waiverPct: pct,
    waiverAmount: money(amount),
    penaltyRemaining: money(accrued - amount),
    conditions: [...grant.offerConditions],
  };
}
