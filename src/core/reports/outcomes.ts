import type { ArrangementStatus } from '../arrangements/status.js';
import { ratio } from '../money/exact-decimal.js';

/** One option decided for one application, as the outcome report counts it. */
export interface DecidedOutcome {
  vulnerable: boolean;
  hardshipReason: string;
  option: string;
  decision: string;
}

/** One arrangement and its status at the end of the period. */
export interface ArrangementOutcome {
  vulnerable: boolean;
  hardshipReason: string;
  option: string;
  status: ArrangementStatus;
}

/** Counts and rates for one segment (vulnerability × hardship reason) and option. Rates are 4-decimal strings, null with nothing to divide by. */
export interface OutcomeRow {
  vulnerability: 'PRESENT' | 'ABSENT';
  hardshipReason: string;
  option: string;
  decided: number;
  approved: number;
  counteroffered: number;
  referred: number;
  declined: number;
  pendingDocuments: number;
  approvalRate: string | null;
  arrangements: number;
  kept: number;
  broken: number;
  cured: number;
  keptRate: string | null;
  brokenRate: string | null;
  curedRate: string | null;
}

/** Kept: not broken once in payment (PERFORMING or beyond); cured: the observation or probation passed, or paid off. */
const KEPT = new Set<ArrangementStatus>(['PERFORMING', 'OBSERVATION_PASSED', 'PROBATION_PASSED', 'COMPLETED']);
const CURED = new Set<ArrangementStatus>(['OBSERVATION_PASSED', 'PROBATION_PASSED', 'COMPLETED']);

const rate = (n: number, d: number): string | null => (d === 0 ? null : ratio(BigInt(n), BigInt(d)));

/**
 * Outcome monitoring (Consumer Duty analogue): for each vulnerability × hardship reason × option, how
 * options were decided and how the arrangements made of them turned out, so a firm can show that
 * vulnerable customers fare as well as others. Rows sorted by vulnerability, reason, option.
 */
export function tallyOutcomes(decided: DecidedOutcome[], arrangements: ArrangementOutcome[]): OutcomeRow[] {
  const rows = new Map<string, OutcomeRow>();
  const row = (vulnerable: boolean, hardshipReason: string, option: string): OutcomeRow => {
    const key = `${vulnerable ? 'PRESENT' : 'ABSENT'}\u0000${hardshipReason}\u0000${option}`;
    let r = rows.get(key);
    if (!r) {
      r = { vulnerability: vulnerable ? 'PRESENT' : 'ABSENT', hardshipReason, option, decided: 0, approved: 0, counteroffered: 0, referred: 0, declined: 0, pendingDocuments: 0, approvalRate: null, arrangements: 0, kept: 0, broken: 0, cured: 0, keptRate: null, brokenRate: null, curedRate: null };
      rows.set(key, r);
    }
    return r;
  };
  for (const d of decided) {
    const r = row(d.vulnerable, d.hardshipReason, d.option);
    r.decided++;
    if (d.decision === 'APPROVE') r.approved++;
    else if (d.decision === 'COUNTEROFFER') r.counteroffered++;
    else if (d.decision === 'REFER') r.referred++;
    else if (d.decision === 'DECLINE') r.declined++;
    else if (d.decision === 'PENDING_DOCUMENTS') r.pendingDocuments++;
  }
  for (const a of arrangements) {
    const r = row(a.vulnerable, a.hardshipReason, a.option);
    r.arrangements++;
    if (KEPT.has(a.status)) r.kept++;
    if (a.status === 'BROKEN') r.broken++;
    if (CURED.has(a.status)) r.cured++;
  }
  for (const r of rows.values()) {
    r.approvalRate = rate(r.approved, r.decided);
    r.keptRate = rate(r.kept, r.arrangements);
    r.brokenRate = rate(r.broken, r.arrangements);
    r.curedRate = rate(r.cured, r.arrangements);
  }
  const order = (r: OutcomeRow) => `${r.vulnerability}\u0000${r.hardshipReason}\u0000${r.option}`;
  return [...rows.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

export const OUTCOME_COLUMNS: (keyof OutcomeRow)[] = ['vulnerability', 'hardshipReason', 'option', 'decided', 'approved', 'counteroffered', 'referred', 'declined', 'pendingDocuments', 'approvalRate', 'arrangements', 'kept', 'broken', 'cured', 'keptRate', 'brokenRate', 'curedRate'];
