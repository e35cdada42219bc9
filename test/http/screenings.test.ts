import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScreeningApp, DECIDE_TOKEN, SCREEN_TOKEN } from '../helpers/screening-app.js';

const base = {
  loanId: 'L-1', borrowerId: 'B-1', asOf: '2026-12-01', product: 'JIEBEI_CREDIT_LINE', repaymentMethod: 'EQUAL_INSTALLMENT',
  outstandingPrincipal: '30000.00', accruedInterest: '270.00', annualRate: '0.108', remainingTermMonths: 12, currentScheduledPayment: '2640.00',
  nextDueDate: '2026-12-10', daysPastDue: 0, monthlyIncome: '12000.00', fraudFlag: 'NONE', arrangementActive: false, signals: {},
};
const book = [
  { ...base, loanId: 'L-1', signals: { salaryCreditLateDays: 7, creditScore: 610, creditScore90dAgo: 680, utilisation: '0.95', utilisation90dAgo: '0.70' } },
  { ...base, loanId: 'L-2' },
  { ...base, loanId: 'L-3', daysPastDue: 3, signals: { salaryCreditMissingMonths: 1, externalArrears: true } },
  { ...base, loanId: 'L-4', signals: { minimumPaymentStreak: 4, autopayCancelledAt: '2026-11-21' } },
];
const ndjson = `${book.map((s) => JSON.stringify(s)).join('\n')}\n{"loanId": "L-5", "annualRate": 0.1}\n`;
const auth = { Authorization: `Bearer ${SCREEN_TOKEN}` };

let t: Awaited<ReturnType<typeof buildScreeningApp>>;
beforeAll(async () => {
  t = await buildScreeningApp();
});
afterAll(async () => t?.close());

async function screen(body: string, type = 'application/x-ndjson') {
  const res = await request(t.app).post('/v1/screenings').set(auth).set('Content-Type', type).send(body);
  await t.screening.service.drain();
  return res;
}

describe('POST /v1/screenings', () => {
  it('answers 202 with a run id, then the run reads SUCCEEDED with exact counts and its SCREENING_RUN audit record', async () => {
    const res = await screen(ndjson);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/screenings/${res.body.id}`);
    expect(res.body).toMatchObject({ status: 'QUEUED', format: 'ndjson', inputBytes: Buffer.byteLength(ndjson) });
    expect(res.body.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    const run = await request(t.app).get(`/v1/screenings/${res.body.id}`).set(auth);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'SUCCEEDED', progress: { fraction: 1, records: 5 } });
    expect(run.body.summary).toMatchObject({ read: 5, screened: 4, invalid: 1, offers: 2, byTier: { HIGH: 1, CRITICAL: 1, WATCH: 1, LOW: 1, EXCLUDED: 0 } });
    expect(run.body.summary.invalidSamples[0]).toMatchObject({ line: 5, loanId: 'L-5' });
    const events = (await t.audit.list({ applicationId: 'event:SCREENING_RUN', limit: 10 })).records;
    const record = events.find((r) => r.seq === run.body.auditSeq);
    expect(record?.decision).toMatchObject({ type: 'SCREENING_RUN', data: { runId: res.body.id, input: { sha256: res.body.inputSha256 }, policies: [{ id: 'screening', version: '1.0.0' }], counts: { byTier: { HIGH: 1, CRITICAL: 1 } } } });
  });

  it('takes CSV and streams results as NDJSON, filtered by tier', async () => {
    const csv = readFileSync('examples/book.csv', 'utf8');
    const res = await screen(csv, 'text/csv');
    expect(res.status).toBe(202);
    const all = await request(t.app).get(`/v1/screenings/${res.body.id}/results`).set(auth);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/application\/x-ndjson/);
    const rows = all.text.trim().split('\n').map((l) => JSON.parse(l));
    const run = (await request(t.app).get(`/v1/screenings/${res.body.id}`).set(auth)).body;
    expect(rows.length).toBe(run.summary.screened);
    expect(run.summary.invalid).toBe(2);
    const high = await request(t.app).get(`/v1/screenings/${res.body.id}/results?tier=HIGH,critical`).set(auth);
    const tiers = new Set(high.text.trim().split('\n').map((l) => JSON.parse(l).tier));
    expect([...tiers].sort()).toEqual(['CRITICAL', 'HIGH']);
  });

  it('refuses other content types, unknown runs and tiers, and callers without the screen role', async () => {
    expect((await request(t.app).post('/v1/screenings').set(auth).set('Content-Type', 'application/json').send('{}')).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await request(t.app).get('/v1/screenings/nope').set(auth)).status).toBe(404);
    const bad = await request(t.app).get('/v1/screenings/nope/results?tier=SEVERE').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/query/tier');
    expect((await request(t.app).post('/v1/screenings').set('Authorization', `Bearer ${DECIDE_TOKEN}`).set('Content-Type', 'text/csv').send('a')).status).toBe(403);
    expect((await request(t.app).get('/v1/outreach?dueBy=2026-12-31')).status).toBe(401);
  });
});

describe('GET /v1/outreach', () => {
  it('lists loans to contact by the date, earliest contactBy first, with reasons and the offer', async () => {
    await screen(ndjson);
    const res = await request(t.app).get('/v1/outreach?dueBy=2026-12-08').set(auth);
    expect(res.status).toBe(200);
    const mine = res.body.loans.filter((l: { loanId: string }) => l.loanId === 'L-1' || l.loanId === 'L-3');
    expect(mine.map((l: { loanId: string; contactBy: string }) => [l.loanId, l.contactBy])).toEqual([['L-3', '2026-12-03'], ['L-1', '2026-12-08']]);
    expect(mine[0].reasons[0]).toMatchObject({ rank: 1, code: 'SALARY_MISSING' });
    expect(mine[0].message).toEqual({
      en: 'Your usual salary credit has been missing for 1 month(s). The loan is 3 day(s) past due. The credit bureau reports arrears with another lender.',
      zh: '您的工资已连续1个月未入账。该贷款已逾期3天。征信报告显示在其他机构有逾期。',
    });
    expect(mine[0].offer.options).toHaveLength(3);
    const dates = res.body.loans.map((l: { contactBy: string }) => l.contactBy);
    expect(dates).toEqual([...dates].sort());
    const early = await request(t.app).get('/v1/outreach?dueBy=2026-12-02').set(auth);
    expect(early.body.loans.every((l: { contactBy: string }) => l.contactBy <= '2026-12-02')).toBe(true);
  });

  it('pages with a cursor and refuses a bad date', async () => {
    const first = await request(t.app).get('/v1/outreach?dueBy=2026-12-31&limit=1').set(auth);
    expect(first.body.loans).toHaveLength(1);
    const next = await request(t.app).get(`/v1/outreach?dueBy=2026-12-31&limit=1&cursor=${first.body.nextCursor}`).set(auth);
    expect(next.body.loans[0].contactBy >= first.body.loans[0].contactBy).toBe(true);
    expect(next.body.loans[0].loanId).not.toBe(first.body.loans[0].loanId);
    const bad = await request(t.app).get('/v1/outreach?dueBy=2026-13-01').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/query/dueBy');
  });
});

describe('POST /v1/screenings past the request timeout', () => {
  it('a book whose upload and fsync outlast REQUEST_TIMEOUT_MS gets 503 TIMEOUT and no run is created behind it (a retry would duplicate it); the spooled book is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-screening-timeout-'));
    const slow = await buildScreeningApp({ auditUrl: `sqlite:${join(dir, 'audit.db')}`, requestTimeoutMs: 300 });
    const { spool } = slow.screening;
    // The book arrives whole, but syncing it to a slow disk takes longer than the request may.
    const receive = spool.receive.bind(spool);
    let received!: () => void;
    const done = new Promise<void>((ok) => (received = ok));
    spool.receive = async (...a) => {
      const input = await receive(...a);
      await new Promise((ok) => setTimeout(ok, 600));
      setTimeout(received, 300); // the route has gone on by then
      return input;
    };
    try {
      const res = await request(slow.app).post('/v1/screenings').set(auth).set('Content-Type', 'application/x-ndjson').send(ndjson);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('TIMEOUT');
      await done;
      await slow.screening.service.drain();
      const db = new Database(join(dir, 'audit.db'), { readonly: true });
      const runs = db.prepare('SELECT COUNT(*) FROM screening_runs').pluck().get();
      db.close();
      expect(runs).toBe(0);
      expect(readdirSync(spool.dir)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
