import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_RULES, arrangementHistory, arrangementStatus, type ArrangementTerms, type ReportedPayment } from '../../../src/core/arrangements/status.js';
import { addDays, monthlyDates } from '../../../src/core/money/dates.js';

const terms = (n: number, first = '2026-04-15', observation?: string): ArrangementTerms => ({
  acceptedOn: '2026-03-05',
  schedule: monthlyDates(first, n).map((dueDate) => ({ dueDate, amount: 100000n })),
  ...(observation ? { observationPeriodEnd: observation } : {}),
  rules: DEFAULT_STATUS_RULES,
});

/** A schedule and, for each payment, how many days late it was paid (null: never) and whether in full. */
const scenario = fc.record({
  n: fc.integer({ min: 1, max: 30 }),
  lateness: fc.array(fc.option(fc.integer({ min: -3, max: 60 }), { nil: null }), { minLength: 30, maxLength: 30 }),
  partial: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  asOfOffset: fc.integer({ min: 0, max: 1200 }),
});

function paymentsOf(t: ArrangementTerms, lateness: (number | null)[], partial: boolean[]): ReportedPayment[] {
  const out: ReportedPayment[] = [];
  t.schedule.forEach((s, i) => {
    const late = lateness[i];
    if (late === null || late === undefined) return;
    out.push({ dueDate: s.dueDate, paidOn: addDays(s.dueDate, late), amount: partial[i] ? s.amount - 1n : s.amount });
  });
  return out;
}

describe('arrangement status (property)', () => {
  it('paying every instalment in full on its due date is never BROKEN and ends COMPLETED on the last due date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 2000 }), (n, offset) => {
        const t = terms(n);
        const pays = t.schedule.map((s) => ({ dueDate: s.dueDate, paidOn: s.dueDate, amount: s.amount }));
        const asOf = addDays('2026-03-05', offset);
        const s = arrangementStatus(t, pays, asOf);
        expect(s.status).not.toBe('BROKEN');
        const last = t.schedule.at(-1)!.dueDate;
        if (asOf >= last) expect(s).toEqual({ status: 'COMPLETED', since: last });
      }),
    );
  });

  it('once BROKEN, always BROKEN later, with the same brokenDate = missed due date + 30 days', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 500 }), ({ n, lateness, partial, asOfOffset }, more) => {
        const t = terms(n);
        const pays = paymentsOf(t, lateness, partial);
        const asOf = addDays('2026-03-05', asOfOffset);
        const s = arrangementStatus(t, pays, asOf);
        if (s.status !== 'BROKEN') return;
        const later = arrangementStatus(t, pays, addDays(asOf, more));
        expect(later).toEqual(s);
        expect(t.schedule.some((x) => addDays(x.dueDate, 30) === s.brokenDate)).toBe(true);
      }),
    );
  });

  it('an instalment never paid in full is BROKEN exactly from the 31st day after its due date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.nat(), (n, pick) => {
        const t = terms(n);
        const missed = pick % n;
        const pays = t.schedule.filter((_, i) => i !== missed).map((s) => ({ dueDate: s.dueDate, paidOn: s.dueDate, amount: s.amount }));
        const due = t.schedule[missed]!.dueDate;
        expect(arrangementStatus(t, pays, addDays(due, 30)).status).not.toBe('BROKEN');
        expect(arrangementStatus(t, pays, addDays(due, 31))).toEqual({ status: 'BROKEN', since: addDays(due, 30), brokenDate: addDays(due, 30) });
      }),
    );
  });

  it('reporting one more payment never turns a kept arrangement into a broken one', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ n, lateness, partial, asOfOffset }, pick) => {
        const t = terms(n);
        const pays = paymentsOf(t, lateness, partial);
        const asOf = addDays('2026-03-05', asOfOffset);
        const before = arrangementStatus(t, pays, asOf);
        const s = t.schedule[pick % n]!;
        const after = arrangementStatus(t, [...pays, { dueDate: s.dueDate, paidOn: s.dueDate, amount: s.amount }], asOf);
        if (before.status !== 'BROKEN') expect(after.status).not.toBe('BROKEN');
      }),
    );
  });

  it('the history starts in TRIAL on acceptance, never repeats a status and ends with the status on asOf', () => {
    fc.assert(
      fc.property(scenario, ({ n, lateness, partial, asOfOffset }) => {
        const t = terms(n, '2026-04-15', '2027-04-15');
        const pays = paymentsOf(t, lateness, partial);
        const asOf = addDays('2026-03-05', asOfOffset);
        const h = arrangementHistory(t, pays, asOf);
        expect(h[0]).toEqual({ status: 'TRIAL', since: '2026-03-05' });
        for (let i = 1; i < h.length; i++) {
          expect(h[i]!.status).not.toBe(h[i - 1]!.status);
          expect(h[i]!.since >= h[i - 1]!.since).toBe(true);
        }
        expect(h.at(-1)).toEqual(arrangementStatus(t, pays, asOf));
      }),
    );
  });
});

describe('arrangement status (examples)', () => {
  const t = terms(24, '2026-04-15', '2027-04-15');
  const onTime = (k: number) => t.schedule.slice(0, k).map((s) => ({ dueDate: s.dueDate, paidOn: s.dueDate, amount: s.amount }));
  it('two on-time payments make it PERFORMING from the second payment', () => {
    expect(arrangementStatus(t, onTime(1), '2026-05-01').status).toBe('TRIAL');
    expect(arrangementStatus(t, onTime(2), '2026-05-20')).toEqual({ status: 'PERFORMING', since: '2026-05-15' });
  });
  it('a trial payment 6 days late keeps it in TRIAL; 5 days late is within the tolerance', () => {
    const late = (days: number) => [onTime(1)[0]!, { dueDate: '2026-05-15', paidOn: addDays('2026-05-15', days), amount: 100000n }];
    expect(arrangementStatus(t, late(5), '2026-06-01').status).toBe('PERFORMING');
    expect(arrangementStatus(t, late(6), '2026-06-01').status).toBe('TRIAL');
  });
  it('every payment kept to the observation end passes observation, and to 24 months after the first due date, probation', () => {
    expect(arrangementStatus(t, onTime(13), '2027-04-15')).toEqual({ status: 'OBSERVATION_PASSED', since: '2027-04-15' });
    const long = terms(36, '2026-04-15', '2027-04-15');
    const paid = long.schedule.slice(0, 25).map((s) => ({ dueDate: s.dueDate, paidOn: s.dueDate, amount: s.amount }));
    expect(arrangementStatus(long, paid, '2028-04-14').status).toBe('OBSERVATION_PASSED');
    expect(arrangementStatus(long, paid, '2028-04-15')).toEqual({ status: 'PROBATION_PASSED', since: '2028-04-15' });
  });
  it('part payments add up: the day the sum reaches the amount is the day it was paid in full', () => {
    const pays = [
      { dueDate: '2026-04-15', paidOn: '2026-04-10', amount: 50000n },
      { dueDate: '2026-04-15', paidOn: '2026-04-19', amount: 50000n },
      { dueDate: '2026-05-15', paidOn: '2026-05-15', amount: 100000n },
    ];
    expect(arrangementStatus(t, pays, '2026-06-01')).toEqual({ status: 'PERFORMING', since: '2026-05-15' });
  });
});
