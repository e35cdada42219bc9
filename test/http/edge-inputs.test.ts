import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const decide = (body: unknown, token = TOKENS.decide) => request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${token}`).send(body as object);
const schedule = (body: unknown) => request(t.app).post('/v1/schedules').set('Authorization', `Bearer ${TOKENS.decide}`).send(body as object);
const pointers = (res: request.Response) => (res.body.errors as { pointer: string }[]).map((e) => e.pointer);

describe('input dates have a stated range', () => {
  it.each([
    ['/loan/nextDueDate', (a: Record<string, any>) => (a.loan.nextDueDate = '1900-01-01')],
    ['/receivedAt', (a: Record<string, any>) => (a.receivedAt = '2199-03-01T10:00:00+08:00')],
    ['/receivedAt', (a: Record<string, any>) => (a.receivedAt = '1999-12-31T10:00:00+08:00')],
    ['/borrower/hardship/expectedRecoveryDate', (a: Record<string, any>) => (a.borrower.hardship.expectedRecoveryDate = '2150-01-01')],
  ])('%s out of range is a located 400', async (pointer, edit) => {
    const a = exampleApplication();
    edit(a);
    const res = await decide(a);
    expect(res.status).toBe(400);
    expect(pointers(res)).toContain(pointer);
    expect(JSON.stringify(res.body.errors)).toMatch(/years 2000 to 2099/);
  });
});

describe('a receivedAt ahead of the server clock', () => {
  const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('more than 5 minutes ahead is refused naming /receivedAt', async () => {
    const res = await decide({ ...exampleApplication(), receivedAt: ahead(365 * 86_400_000) });
    expect(res.status).toBe(400);
    expect(pointers(res)).toEqual(['/receivedAt']);
    expect(res.body.errors[0].detail).toMatch(/in the future; at most 5 minutes ahead/);
  });

  it('up to 5 minutes ahead (clock skew) is decided', async () => {
    expect((await decide({ ...exampleApplication(), receivedAt: ahead(4 * 60_000) })).status).toBe(200);
  });

  it('a policy-admin pinning a version may still try a future date', async () => {
    const res = await decide({ ...exampleApplication(), receivedAt: ahead(365 * 86_400_000) }, TOKENS.admin).set('Tideover-Policy-Version', '1.0.0');
    expect(res.status).toBe(200);
  });
});

describe('a waiver request is never rounded up', () => {
  it('requestWaiverPct 0.995 is granted as 0.99, not 1.00', async () => {
    const a = exampleApplication();
    a.request.requestWaiverPct = '0.995';
    const res = await decide(a);
    expect(res.status).toBe(200);
    const waiver = res.body.options.find((o: { option: string }) => o.option === 'PENALTY_WAIVER').waiver;
    expect(waiver).toMatchObject({ waiverPct: '0.99', waiverAmount: '44.55', penaltyRemaining: '0.45' });
  });
});

describe('/v1/schedules answers only what its schemas represent', () => {
  it('a level payment whose rounding drift reaches half the payment is refused naming term and rate', async () => {
    const res = await schedule({ principal: '100000.00', annualRate: '0.36', termMonths: 360, method: 'EQUAL_INSTALLMENT' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: '/termMonths', detail: expect.stringMatching(/termMonths 360 at annualRate 0\.36/) }]);
  });

  it('a long schedule just inside the bound keeps every row level and ends with a last payment near it', async () => {
    const res = await schedule({ principal: '100000.00', annualRate: '0.10', termMonths: 360, method: 'EQUAL_INSTALLMENT' });
    expect(res.status).toBe(200);
    const rows = res.body.schedule as { payment: string; principal: string }[];
    expect(rows.every((r) => Number(r.principal) > 0)).toBe(true);
    expect(Math.abs(Number(rows.at(-1)!.payment) - Number(res.body.regularPayment))).toBeLessThan(Number(res.body.regularPayment) / 2);
  });

  it('a principal whose totals exceed the Money schema is refused, naming /principal', async () => {
    const res = await schedule({ principal: '999999999999999.99', annualRate: '0.5', termMonths: 12, method: 'EQUAL_PRINCIPAL' });
    expect(res.status).toBe(400);
    expect(pointers(res)).toEqual(['/principal']);
  });

  it('a first due date outside 2000-2099 is a located 400', async () => {
    const res = await schedule({ principal: '1000.00', annualRate: '0.1', termMonths: 600, method: 'EQUAL_PRINCIPAL', firstDueDate: '2190-01-31' });
    expect(res.status).toBe(400);
    expect(pointers(res)).toEqual(['/firstDueDate']);
  });

  it('interest is multiplied first: an exact half-cent tie rounds up (1200.60 at 10 %: 10.005 -> 10.01)', async () => {
    const res = await schedule({ principal: '1200.60', annualRate: '0.1', termMonths: 12, method: 'EQUAL_PRINCIPAL' });
    expect(res.status).toBe(200);
    expect(res.body.schedule[0].interest).toBe('10.01');
  });
});
