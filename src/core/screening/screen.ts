import type { LoanSnapshot } from '../../generated/loan-snapshot.js';
import { addDays } from '../money/dates.js';
import { screeningFacts } from './facts.js';
import type { CompiledScreeningPolicy, Screening, Tier } from './model.js';
import { rankScreeningReasons, reasonOf } from './reasons.js';

/** Tier of a total, by the policy's cut-offs. */
export function tierOf(points: number, params: Record<string, number>): Tier {
  if (points >= params.tierCriticalMinPoints!) return 'CRITICAL';
  if (points >= params.tierHighMinPoints!) return 'HIGH';
  if (points >= params.tierWatchMinPoints!) return 'WATCH';
  return 'LOW';
}

/**
 * When to reach the borrower: CRITICAL by asOf + criticalContactDays; HIGH by the earlier of asOf +
 * highContactDays and the day before the next due date, never before asOf; no date for the others.
 */
export function contactByOf(tier: Tier, asOf: string, nextDueDate: string, params: Record<string, number>): string | undefined {
  if (tier === 'CRITICAL') return addDays(asOf, params.criticalContactDays!);
  if (tier !== 'HIGH') return undefined;
  const byWindow = addDays(asOf, params.highContactDays!);
  const beforeDue = addDays(nextDueDate, -1);
  const earlier = beforeDue < byWindow ? beforeDue : byWindow;
  return earlier < asOf ? asOf : earlier;
}

/**
 * Screens one validated snapshot under one policy. Pure: the snapshot's asOf is the only date used.
 * The result is one literal (no spread of a shared head): same keys, same order.
 */
export function screenLoan(s: LoanSnapshot, policy: CompiledScreeningPolicy): Screening {
  const facts = screeningFacts(s);
  for (const x of policy.exclusions)
    if (x.when(facts)) return { loanId: s.loanId, borrowerId: s.borrowerId, asOf: s.asOf, policyVersion: policy.version, tier: 'EXCLUDED', points: null, reasons: rankScreeningReasons([reasonOf(policy, x, facts)]) };
  let points = 0;
  const fired = [];
  for (const r of policy.rules)
    if (r.when(facts)) {
      points += r.points;
      fired.push(reasonOf(policy, r, facts));
    }
  const tier = tierOf(points, policy.params);
  const out: Screening = { loanId: s.loanId, borrowerId: s.borrowerId, asOf: s.asOf, policyVersion: policy.version, tier, points, reasons: rankScreeningReasons(fired) };
  const contactBy = contactByOf(tier, s.asOf, s.nextDueDate, policy.params);
  if (contactBy !== undefined) out.contactBy = contactBy;
  return out;
}
