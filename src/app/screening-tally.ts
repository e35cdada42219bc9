import { TIERS, type Tier } from '../core/screening/model.js';
import type { InvalidRecord, ScreeningResult } from './screening-run.js';

export interface ScreeningCounts {
  read: number;
  screened: number;
  invalid: number;
  offers: number;
  byTier: Record<Tier, number>;
  /** Reason code → loans it was given to. */
  reasons: Record<string, number>;
  /** `id@version` → sha256 of every screening policy version used. */
  policies: Record<string, string>;
  /** The first invalid records, for the summary (all are counted). */
  invalidSamples: InvalidRecord[];
}

const MAX_SAMPLES = 20;

/** The running counts of a screening run; tallies of chunks merge into the run's. */
export class ScreeningTally {
  readonly counts: ScreeningCounts = { read: 0, screened: 0, invalid: 0, offers: 0, byTier: Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>, reasons: {}, policies: {}, invalidSamples: [] };

  add(r: ScreeningResult, policy?: { id: string; version: string; sha256: string }): void {
    const c = this.counts;
    c.read++;
    c.screened++;
    c.byTier[r.tier]++;
    if (r.offer) c.offers++;
    for (const reason of r.reasons) c.reasons[reason.code] = (c.reasons[reason.code] ?? 0) + 1;
    if (policy) c.policies[`${policy.id}@${policy.version}`] = policy.sha256;
  }

  addInvalid(i: InvalidRecord): void {
    this.counts.read++;
    this.counts.invalid++;
    if (this.counts.invalidSamples.length < MAX_SAMPLES) this.counts.invalidSamples.push(i);
  }

  merge(other: ScreeningCounts): void {
    const c = this.counts;
    c.read += other.read;
    c.screened += other.screened;
    c.invalid += other.invalid;
    c.offers += other.offers;
    for (const t of TIERS) c.byTier[t] += other.byTier[t];
    for (const [k, v] of Object.entries(other.reasons)) c.reasons[k] = (c.reasons[k] ?? 0) + v;
    Object.assign(c.policies, other.policies);
    for (const i of other.invalidSamples) if (c.invalidSamples.length < MAX_SAMPLES) c.invalidSamples.push(i);
  }

  /** Reason codes by how many loans got them, most first (ties by code). */
  topReasons(n = 5): { code: string; loans: number }[] {
    return Object.entries(this.counts.reasons)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([code, loans]) => ({ code, loans }));
  }
}
