import type { RestructuringApplication } from '../../generated/application.js';
import type { ChangeImpact } from '../../generated/policy-change.js';
import type { AuditStore } from '../../ports/audit-store.js';
import { simulate, type SimulationSide } from '../simulate.js';

export const IMPACT_LIMIT = 10_000;
export const IMPACT_DAYS = 90;

/**
 * The most recent recorded applications (at most `limit`, decided within `days` before `now`), oldest
 * first. The trail is read forward from the window's start and only the last `limit` are kept.
 */
async function recentApplications(audit: AuditStore, now: string, limit: number, days: number): Promise<{ apps: RestructuringApplication[]; from?: string; to?: string }> {
  const from = new Date(Date.parse(now) - days * 86_400_000).toISOString();
  const ring: { app: RestructuringApplication; at: string }[] = [];
  for await (const r of audit.export({ from })) {
    // Chain records that are not decisions (policy events) carry no application.
    if (!r.application || typeof r.application !== 'object') continue;
    ring.push({ app: r.application as RestructuringApplication, at: r.decidedAt });
    if (ring.length >= 2 * limit) ring.splice(0, ring.length - limit);
  }
  if (ring.length > limit) ring.splice(0, ring.length - limit);
  return { apps: ring.map((x) => x.app), ...(ring.length ? { from: ring[0]!.at, to: ring[ring.length - 1]!.at } : {}) };
}

/** The change's effect on recent real decisions: counts before and after, transitions, what changed and why. */
export async function impactOf(audit: AuditStore, baseline: SimulationSide | undefined, candidate: SimulationSide, now: string, limit = IMPACT_LIMIT, days = IMPACT_DAYS): Promise<ChangeImpact> {
  const basis = { limit, withinDays: days };
  if (!baseline) return { ...basis, decisionsUsed: 0, note: 'first version of this policy: nothing to compare against' };
  const { apps, from, to } = await recentApplications(audit, now, limit, days);
  const report = await simulate({ baseline, candidate, applications: apps, maxChanged: 100 });
  return {
    ...basis,
    decisionsUsed: report.applications,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    note: `${report.applications} of the most recent recorded decisions (at most ${limit}, within ${days} days) re-decided under ${baseline.policy.version} and ${candidate.policy.version}${report.invalid ? `; ${report.invalid} could not be decided` : ''}`,
    baseline: { version: baseline.policy.version, byOption: report.baseline.byOption, accountActions: report.baseline.accountActions },
    candidate: { version: candidate.policy.version, byOption: report.candidate.byOption, accountActions: report.candidate.accountActions },
    transitions: report.transitions,
    changedApplications: report.changedApplications,
    changed: report.changed as unknown as Record<string, unknown>[],
  };
}
