import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TOKENS, type TestApp } from '../helpers/app.js';

const PROBLEM = /^application\/problem\+json/;
const TWO_DECIMALS = /^(0|[1-9]\d*)\.\d{2}$/;
type Body = Record<string, any>;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const post = (body: unknown) => request(t.app).post('/v1/schedules').set('Authorization', `Bearer ${TOKENS.decide}`).send(body as object);
const cents = (s: string) => BigInt(s.replace('.', ''));

function expectAmounts(res: Body) {
  for (const k of ['regularPayment', 'totalInterest', 'totalPayment', ...(res.gracePayment !== undefined ? ['gracePayment'] : [])]) expect(res[k], k).toMatch(TWO_DECIMALS);
  for (const row of res.schedule as Body[]) for (const k of ['payment', 'principal', 'interest', 'closingBalance']) expect(row[k], `period ${row.period} ${k}`).toMatch(TWO_DECIMALS);
}

function expectConsistent(res: Body, principal: string) {
  const rows = res.schedule as Body[];
  expect(rows.map((r) => r.period)).toEqual(rows.map((_, i) => i + 1));
  expect(rows.reduce((a, r) => a + cents(r.principal as string), 0n)).toBe(cents(principal));
  expect(rows.reduce((a, r) => a + cents(r.interest as string), 0n)).toBe(cents(res.totalInterest as string));
  expect(rows.reduce((a, r) => a + cents(r.payment as string), 0n)).toBe(cents(res.totalPayment as string));
  for (const r of rows) expect(cents(r.payment as string)).toBe(cents(r.principal as string) + cents(r.interest as string));
  expect(rows.at(-1)!.closingBalance).toBe('0.00');
}

describe('POST /v1/schedules', () => {
  it('reproduces worked example A of docs/domain.md (50,000.00 at 10.8% over 12 months, equal installment)', async () => {
    const res = await post({ principal: '50000.00', annualRate: '0.108', termMonths: 12, method: 'EQUAL_INSTALLMENT' });
    expect(res.status, res.text).toBe(200);
    const s = res.body as Body;
    expect(s.regularPayment).toBe('4414.42');
    expect(s.totalInterest).toBe('2973.05');
    expect(s.totalPayment).toBe('52973.05');
    expect(s.gracePayment).toBeUndefined();
    expect(s.schedule).toHaveLength(12);
    expect(s.schedule[0]).toMatchObject({ period: 1, payment: '4414.42', principal: '3964.42', interest: '450.00', closingBalance: '46035.58' });
    expect(s.schedule[11]).toMatchObject({ period: 12, payment: '4414.43', principal: '4375.05', interest: '39.38', closingBalance: '0.00' });
    for (const row of (s.schedule as Body[]).slice(0, 11)) expect(row.payment).toBe('4414.42');
    expect(s.aprIrr).toMatch(/^0\.10[78]\d{3}$/);
    expectAmounts(s);
    expectConsistent(s, '50000.00');
  });

  it("reproduces the grace of worked example C of docs/domain.md (30,270.00, 24 months after 3 interest-only months)", async () => {
    const res = await post({ principal: '30270.00', annualRate: '0.108', termMonths: 24, graceMonths: 3, method: 'EQUAL_INSTALLMENT' });
    expect(res.status, res.text).toBe(200);
    const s = res.body as Body;
    expect(s.gracePayment).toBe('272.43');
    expect(s.regularPayment).toBe('1408.01');
    expect(s.schedule).toHaveLength(27);
    for (const p of [0, 1, 2]) expect(s.schedule[p]).toMatchObject({ period: p + 1, payment: '272.43', principal: '0.00', interest: '272.43', closingBalance: '30270.00' });
    expect(s.schedule[3]).toMatchObject({ period: 4, payment: '1408.01', principal: '1135.58', interest: '272.43', closingBalance: '29134.42' });
    expect(s.schedule[26]).toMatchObject({ period: 27, payment: '1408.03', principal: '1395.47', interest: '12.56', closingBalance: '0.00' });
    expect(s.totalInterest).toBe('4339.55');
    expect(s.totalPayment).toBe('34609.55');
    expectAmounts(s);
    expectConsistent(s, '30270.00');
  });

  it('equal principal (example B) declines and still sums to the principal', async () => {
    const res = await post({ principal: '50000.00', annualRate: '0.108', termMonths: 12, method: 'EQUAL_PRINCIPAL' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.regularPayment).toBe('4616.67');
    expect(res.body.totalInterest).toBe('2925.00');
    expectAmounts(res.body);
    expectConsistent(res.body, '50000.00');
  });

  it('gives due dates when firstDueDate is given, clamped to month ends', async () => {
    const res = await post({ principal: '1200.00', annualRate: '0', termMonths: 3, method: 'EQUAL_PRINCIPAL', firstDueDate: '2026-01-31' });
    expect(res.status, res.text).toBe(200);
    expect((res.body.schedule as Body[]).map((r) => r.dueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(res.body.totalInterest).toBe('0.00');
  });

  it('a zero rate with equal installment splits the principal evenly', async () => {
    const res = await post({ principal: '100.00', annualRate: '0', termMonths: 3, method: 'EQUAL_INSTALLMENT' });
    expect(res.status, res.text).toBe(200);
    expect((res.body.schedule as Body[]).map((r) => r.payment)).toEqual(['33.33', '33.33', '33.34']);
    expectConsistent(res.body, '100.00');
  });

  describe('bad input → 400 naming the field', () => {
    const valid = () => ({ principal: '50000.00', annualRate: '0.108', termMonths: 12, method: 'EQUAL_INSTALLMENT' }) as Body;
    it.each([
      ['a rate above 1', '/annualRate', { annualRate: '1.5' }],
      ['a rate as a number', '/annualRate', { annualRate: 0.108 }],
      ['termMonths 0', '/termMonths', { termMonths: 0 }],
      ['termMonths 601', '/termMonths', { termMonths: 601 }],
      ['termMonths not an integer', '/termMonths', { termMonths: 12.5 }],
      ['termMonths as a string', '/termMonths', { termMonths: '12' }],
      ['principal with 3 decimals', '/principal', { principal: '100.001' }],
      ['principal as a number', '/principal', { principal: 50000 }],
      ['principal zero', '/principal', { principal: '0.00' }],
      ['principal negative', '/principal', { principal: '-5.00' }],
      ['graceMonths negative', '/graceMonths', { graceMonths: -1 }],
      ['graceMonths over 120', '/graceMonths', { graceMonths: 121 }],
      ['grace + term over 600', '/graceMonths', { termMonths: 590, graceMonths: 11 }],
      ['an unknown method', '/method', { method: 'BALLOON' }],
      ['an impossible firstDueDate', '/firstDueDate', { firstDueDate: '2026-02-30' }],
      ['an unknown field', '/extra', { extra: true }],
    ] as [string, string, Body][])('%s → %s', async (_what, ptr, patch) => {
      const res = await post({ ...valid(), ...patch });
      expect(res.status, res.text).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('INVALID_BODY');
      expect((res.body.errors as Body[]).map((e) => e.pointer)).toContain(ptr);
    });

    it('a firstDueDate outside 2000-2099 (a schedule that would run past the answers\' dates) → 400 naming /firstDueDate, not a 500', async () => {
      for (const patch of [{ firstDueDate: '9999-12-31', termMonths: 2 }, { firstDueDate: '9999-12-31', termMonths: 1, graceMonths: 1 }, { firstDueDate: '9999-01-31', termMonths: 24 }]) {
        const res = await post({ ...valid(), ...patch });
        expect(res.status, `${JSON.stringify(patch)} → ${res.text}`).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect((res.body.errors as Body[]).map((e) => e.pointer)).toContain('/firstDueDate');
      }
      // first due dates run from 2000 to 2099, so schedules of up to 600 months end before 2200
      const last = await post({ ...valid(), termMonths: 600, method: 'EQUAL_PRINCIPAL', firstDueDate: '2099-12-31' });
      expect(last.status, last.text).toBe(200);
      expect(last.body.schedule.at(-1).dueDate).toBe('2149-11-30');
    });

    it('a missing field → 400 naming it, several at once', async () => {
      const res = await post({ method: 'EQUAL_INSTALLMENT', termMonths: 0 });
      expect(res.status).toBe(400);
      expect((res.body.errors as Body[]).map((e) => e.pointer)).toEqual(expect.arrayContaining(['/principal', '/annualRate', '/termMonths']));
    });
  });
});
