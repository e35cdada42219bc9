import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { prepareScreening, type ScreeningSetup } from '../../src/app/screening-policies.js';
import { Screener, type InvalidRecord, type ScreeningResult } from '../../src/app/screening-run.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { readBook } from '../../src/adapters/screening/snapshot-reader.js';

const base = {
  loanId: 'L-1', borrowerId: 'B-1', asOf: '2026-12-01', product: 'JIEBEI_CREDIT_LINE', repaymentMethod: 'EQUAL_INSTALLMENT',
  outstandingPrincipal: '30000.00', accruedInterest: '270.00', annualRate: '0.108', remainingTermMonths: 12, currentScheduledPayment: '2640.00',
  nextDueDate: '2026-12-10', daysPastDue: 0, monthlyIncome: '12000.00', fraudFlag: 'NONE', arrangementActive: false, signals: {},
};
const s1 = { ...base, signals: { salaryCreditLateDays: 7, creditScore: 610, creditScore90dAgo: 680, utilisation: '0.95', utilisation90dAgo: '0.70' } };
const s2 = { ...base, loanId: 'L-2', signals: { salaryCreditLateDays: 0, creditScore: 700, creditScore90dAgo: 700, utilisation: '0.30', utilisation90dAgo: '0.30' } };

let setup: ScreeningSetup;
let screener: Screener;
beforeAll(async () => {
  setup = await prepareScreening(await loadPolicyFiles(['policies']), evaluatorFactory('compiled'), '2026-12-01T00:00:00Z');
  screener = new Screener({ screeningPolicies: setup.screeningPolicies, decisionPolicies: () => setup.decisionPolicies });
});

async function runText(text: string, format: 'ndjson' | 'csv') {
  const results: ScreeningResult[] = [];
  const invalid: InvalidRecord[] = [];
  const tally = await screener.run(readBook(Readable.from([text]), format), { result: (r) => void results.push(r), invalid: (i) => void invalid.push(i) });
  return { results, invalid, tally };
}

describe('a screening run', () => {
  it('loads the shipped policies after their tests pass', () => {
    expect(setup.ok).toBe(true);
    expect(setup.screeningPolicies.map((p) => p.version)).toEqual(['1.0.0']);
  });

  it('gives S1 its tier, points, ranked reasons with values, contact date and an offer for every plan option', async () => {
    const { result } = await screener.screen({ line: 1, value: s1 });
    expect(result).toMatchObject({ loanId: 'L-1', asOf: '2026-12-01', policyVersion: '1.0.0', tier: 'HIGH', points: 60, contactBy: '2026-12-08' });
    expect(result!.reasons.map((r) => [r.rank, r.code, r.points])).toEqual([[1, 'SALARY_LATE', 25], [2, 'SCORE_DROP', 20], [3, 'UTILISATION_RISING', 15]]);
    expect(result!.reasons[1]!.values).toEqual({ creditScore: '610', creditScore90dAgo: '680', creditScoreDrop: '70' });
    expect(result!.reasons[1]!.text.zh).toBe('您的信用评分在90天内从680降至610。');
    expect(result!.offer!.options.map((o) => o.option)).toEqual(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN']);
    // Nothing is on file for a pre-application: every option asks for the basic documents.
    for (const o of result!.offer!.options) expect(o.requiredDocuments).toEqual(expect.arrayContaining(['ID', 'HARDSHIP_STATEMENT']));
    const approved = result!.offer!.options.filter((o) => o.decision === 'APPROVE');
    for (const o of approved) expect(o.plan?.regularPayment).toMatch(/^\d+\.\d{2}$/);
  });

  it('gives LOW and WATCH loans no offer and no contact date', async () => {
    const { result } = await screener.screen({ line: 1, value: s2 });
    expect(result).toMatchObject({ tier: 'LOW', points: 0, reasons: [] });
    expect(result!.offer).toBeUndefined();
    expect(result!.contactBy).toBeUndefined();
  });

  it('reports bad NDJSON records by line and field and goes on to the end', async () => {
    const text = [JSON.stringify(s1), '{"loanId": "L-9",', '', JSON.stringify({ ...s2, annualRate: 0.108 }), JSON.stringify({ ...s2, loanId: 'L-3' })].join('\n');
    const { results, invalid, tally } = await runText(text, 'ndjson');
    expect(results.map((r) => r.loanId)).toEqual(['L-1', 'L-3']);
    expect(invalid.map((i) => i.line)).toEqual([2, 4]);
    expect(invalid[0]!.errors[0]!.message).toMatch(/not valid JSON/);
    expect(invalid[1]).toMatchObject({ loanId: 'L-2', errors: [{ field: '/annualRate', message: '/annualRate must be of type string' }] });
    expect(tally.counts).toMatchObject({ read: 4, screened: 2, invalid: 2, offers: 1, byTier: { HIGH: 1, LOW: 1 } });
  });

  it('reads CSV with the same field names (signals.<name>, empty = unknown) to the same results as NDJSON', async () => {
    const header = 'loanId,borrowerId,asOf,product,repaymentMethod,outstandingPrincipal,accruedInterest,annualRate,remainingTermMonths,currentScheduledPayment,nextDueDate,daysPastDue,monthlyIncome,fraudFlag,arrangementActive,signals.salaryCreditLateDays,signals.creditScore,signals.creditScore90dAgo,signals.utilisation,signals.utilisation90dAgo';
    const row = (s: typeof s1, sig: string) => `${s.loanId},${s.borrowerId},${s.asOf},${s.product},${s.repaymentMethod},${s.outstandingPrincipal},${s.accruedInterest},${s.annualRate},${s.remainingTermMonths},${s.currentScheduledPayment},${s.nextDueDate},${s.daysPastDue},${s.monthlyIncome},${s.fraudFlag},${s.arrangementActive},${sig}`;
    const csv = [header, row(s1, '7,610,680,0.95,0.70'), row(s2, '0,700,700,0.30,0.30'), row({ ...s2, loanId: 'L-4' }, 'x,700,700,,'), 'L-5,too,few'].join('\n');
    const fromCsv = await runText(csv, 'csv');
    const fromJson = await runText([s1, s2].map((s) => JSON.stringify(s)).join('\n'), 'ndjson');
    expect(fromCsv.results).toEqual(fromJson.results);
    expect(fromCsv.invalid.map((i) => i.line)).toEqual([4, 5]);
    expect(fromCsv.invalid[0]!.errors).toEqual([{ field: '/signals/salaryCreditLateDays', message: '/signals/salaryCreditLateDays must be of type integer' }]);
    expect(fromCsv.invalid[1]!.errors[0]!.message).toMatch(/column/i);
  });

  it('refuses a snapshot dated before any screening policy is effective, naming asOf', async () => {
    const { invalid } = await screener.screen({ line: 7, value: { ...s2, asOf: '2025-06-30' } });
    expect(invalid).toEqual({ line: 7, loanId: 'L-2', errors: [{ field: '/asOf', message: 'no screening policy is effective on 2025-06-30' }] });
  });
});
