import type { RestructuringApplication } from '../generated/application.js';
import { arrangementStatus } from '../core/arrangements/status.js';
import { TideoverError } from '../core/errors.js';
import { addDays, dateOf } from '../core/money/dates.js';
import { parseMoney } from '../core/money/decimal.js';
import { OUTCOME_COLUMNS, tallyOutcomes, type ArrangementOutcome, type DecidedOutcome, type OutcomeRow } from '../core/reports/outcomes.js';
import type { ArrangementStore } from '../ports/arrangement-store.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import { isEventRecord } from './audit-events.js';

export interface OutcomeReport {
  from: string;
  to: string;
  /** Arrangement statuses are taken on this day: `to`, or today when `to` is later. */
  statusAsOf: string;
  rows: OutcomeRow[];
}

const MAX_DAYS = 3660;

/** Decisions made and arrangements accepted from `from` to `to` (dates, inclusive), tallied by vulnerability, hardship reason and option. */
export async function outcomeReport(deps: { audit: AuditStore; arrangements: ArrangementStore; clock: Clock }, from: string, to: string): Promise<OutcomeReport> {
  if (to < from) throw new TideoverError('INVALID_BODY', 'to is before from', [{ pointer: '/query/to', message: `to (${to}) is before from (${from})` }]);
  if (addDays(from, MAX_DAYS) < to) throw new TideoverError('INVALID_BODY', 'the period is too long', [{ pointer: '/query/to', message: `a report covers at most ${MAX_DAYS} days` }]);
  const decided: DecidedOutcome[] = [];
  for await (const r of deps.audit.export({ from, to: addDays(to, 1) })) {
    if (isEventRecord(r) || r.application === null) continue;
    const app = r.application as RestructuringApplication;
    // Only presence: a record kept without consent has no details, and none are needed here.
    const vulnerable = app.vulnerability !== undefined;
    for (const o of r.outcomes) if (o.option !== 'ACCOUNT_ACTION') decided.push({ vulnerable, hardshipReason: app.borrower.hardship.reason, option: o.option, decision: o.decision });
  }
  const today = dateOf(deps.clock.now());
  const statusAsOf = to < today ? to : today;
  const arrangements: ArrangementOutcome[] = (await deps.arrangements.listAccepted(from, to)).map((a) => ({
    vulnerable: a.vulnerable,
    hardshipReason: a.hardshipReason,
    option: a.option,
    status: arrangementStatus(
      { acceptedOn: dateOf(a.acceptedAt), schedule: a.schedule.map((s) => ({ dueDate: s.dueDate, amount: parseMoney(s.amount) })), ...(a.observationPeriodEnd ? { observationPeriodEnd: a.observationPeriodEnd } : {}), rules: a.rules },
      a.payments.map((p) => ({ dueDate: p.dueDate, paidOn: p.paidOn, amount: parseMoney(p.amount) })),
      statusAsOf,
    ).status,
  }));
  return { from, to, statusAsOf, rows: tallyOutcomes(decided, arrangements) };
}

/** The report's rows as CSV: a header of the row fields, then one line per segment (an empty cell for a null rate). */
export function outcomeReportCsv(rows: OutcomeRow[]): string {
  const cell = (v: unknown) => (v === null ? '' : String(v));
  return [OUTCOME_COLUMNS.join(','), ...rows.map((r) => OUTCOME_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
