import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoanSnapshot } from '../../src/generated/loan-snapshot.js';
import { loadScreeningPolicy } from '../../src/core/screening/compile.js';
import { screenLoan } from '../../src/core/screening/screen.js';

const policy = loadScreeningPolicy(readFileSync('policies/screening/1.0.0.yaml', 'utf8'), 'policies/screening/1.0.0.yaml', 'sha').policy!;

// An independent reading of the default points table, written from the table itself: integer arithmetic
// on cents and hundredths, JavaScript Date for the calendar; nothing shared with the implementation.
const DAY = 86_400_000;
const hundredths = (r: string) => Math.round(Number(r) * 100); // rates in the generator have at most 2 decimals
const cents = (m: string) => Math.round(Number(m) * 100);
const days = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;
const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

function reference(s: LoanSnapshot): { tier: string; points: number | null; fired: string[]; contactBy?: string } {
  if (s.fraudFlag !== 'NONE') return { tier: 'EXCLUDED', points: null, fired: ['X-01'] };
  if (s.arrangementActive) return { tier: 'EXCLUDED', points: null, fired: ['X-02'] };
  if (s.daysPastDue >= 30) return { tier: 'EXCLUDED', points: null, fired: ['X-03'] };
  const g = s.signals;
  const table: [string, number, boolean][] = [
    ['EW-01', 25, g.salaryCreditLateDays !== undefined && g.salaryCreditLateDays >= 5 && (g.salaryCreditMissingMonths === undefined || g.salaryCreditMissingMonths === 0)],
    ['EW-02', 40, g.salaryCreditMissingMonths !== undefined && g.salaryCreditMissingMonths >= 1],
    ['EW-03', 20, g.creditScore !== undefined && g.creditScore90dAgo !== undefined && g.creditScore90dAgo - g.creditScore >= 50],
    ['EW-04', 15, g.minimumPaymentStreak !== undefined && g.minimumPaymentStreak >= 3],
    ['EW-05', 15, g.utilisation !== undefined && g.utilisation90dAgo !== undefined && hundredths(g.utilisation) >= 90 && hundredths(g.utilisation) - hundredths(g.utilisation90dAgo) >= 20],
    ['EW-06', 10, g.autopayCancelledAt !== undefined && days(g.autopayCancelledAt, s.asOf) >= 0 && days(g.autopayCancelledAt, s.asOf) < 30],
    ['EW-07', 10, g.overdraftDaysLast30 !== undefined && g.overdraftDaysLast30 >= 10],
    ['EW-08', 30, g.externalArrears === true],
    ['EW-09', 15, g.missedPaymentsLast12m !== undefined && g.missedPaymentsLast12m >= 1],
    ['EW-10', 30, s.daysPastDue >= 1 && s.daysPastDue <= 29],
    ['EW-11', 15, s.monthlyIncome !== undefined && cents(s.monthlyIncome) > 0 && 2 * cents(s.currentScheduledPayment) >= cents(s.monthlyIncome)],
  ];
  const fired = table.filter(([, , f]) => f);
  const points = fired.reduce((n, [, p]) => n + p, 0);
  const tier = points >= 70 ? 'CRITICAL' : points >= 40 ? 'HIGH' : points >= 20 ? 'WATCH' : 'LOW';
  let contactBy: string | undefined;
  if (tier === 'CRITICAL') contactBy = plus(s.asOf, 2);
  if (tier === 'HIGH') {
    const d = [plus(s.asOf, 7), plus(s.nextDueDate, -1)].sort()[0]!;
    contactBy = d < s.asOf ? s.asOf : d;
  }
  return { tier, points, fired: fired.map(([id]) => id), ...(contactBy ? { contactBy } : {}) };
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const date = (from: string, span: number) => fc.integer({ min: 0, max: span }).map((n) => plus(from, n));
const rate = fc.integer({ min: 0, max: 100 }).map((n) => (n / 100).toFixed(2));
const money = fc.integer({ min: 0, max: 5_000_000 }).map((n) => (n / 100).toFixed(2));

const snapshot: fc.Arbitrary<LoanSnapshot> = fc
  .record({
    asOf: date('2026-01-01', 700),
    dueIn: fc.integer({ min: -5, max: 40 }),
    daysPastDue: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 45 })),
    currentScheduledPayment: money,
    monthlyIncome: opt(money),
    fraudFlag: fc.constantFrom('NONE', 'NONE', 'NONE', 'SUSPECTED', 'CONFIRMED'),
    arrangementActive: fc.constantFrom(false, false, false, true),
    s: fc.record({
      salaryCreditLateDays: opt(fc.integer({ min: 0, max: 20 })),
      salaryCreditMissingMonths: opt(fc.integer({ min: 0, max: 3 })),
      creditScore: opt(fc.integer({ min: 0, max: 1000 })),
      creditScore90dAgo: opt(fc.integer({ min: 0, max: 1000 })),
      minimumPaymentStreak: opt(fc.integer({ min: 0, max: 6 })),
      utilisation: opt(rate),
      utilisation90dAgo: opt(rate),
      autopayAgo: opt(fc.integer({ min: -5, max: 40 })),
      overdraftDaysLast30: opt(fc.integer({ min: 0, max: 30 })),
      externalArrears: opt(fc.boolean()),
      missedPaymentsLast12m: opt(fc.integer({ min: 0, max: 4 })),
    }),
  })
  .map(({ asOf, dueIn, s, monthlyIncome, ...rest }) => {
    const { autopayAgo, ...signals } = s;
    const clean = Object.fromEntries(Object.entries(signals).filter(([, v]) => v !== undefined));
    return {
      loanId: 'L-1', borrowerId: 'B-1', asOf, product: 'JIEBEI_CREDIT_LINE', repaymentMethod: 'EQUAL_INSTALLMENT',
      outstandingPrincipal: '10000.00', accruedInterest: '0.00', annualRate: '0.108', remainingTermMonths: 12,
      nextDueDate: plus(asOf, dueIn), ...rest, ...(monthlyIncome !== undefined ? { monthlyIncome } : {}),
      signals: { ...clean, ...(autopayAgo !== undefined ? { autopayCancelledAt: plus(asOf, -autopayAgo) } : {}) },
    } as LoanSnapshot;
  });

describe('screening points (property)', () => {
  it('agrees with an independent reimplementation of the points table on generated books', () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        const got = screenLoan(s, policy);
        const want = reference(s);
        expect({ tier: got.tier, points: got.points, fired: got.reasons.map((r) => r.ruleId).sort(), contactBy: got.contactBy }).toEqual({ ...want, fired: [...want.fired].sort(), contactBy: want.contactBy });
      }),
      { numRuns: 3000 },
    );
  });

  it('ranks reasons by points, then code, and numbers them from 1', () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        const rs = screenLoan(s, policy).reasons;
        rs.forEach((r, i) => {
          expect(r.rank).toBe(i + 1);
          if (i > 0) expect(rs[i - 1]!.points > r.points || (rs[i - 1]!.points === r.points && rs[i - 1]!.code < r.code)).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
