import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDecision } from '../../src/app/replay.js';
import { exampleApplication } from '../helpers/app.js';
import { FB_TOKENS, buildForbearanceApp, type ForbearanceApp } from '../helpers/forbearance-app.js';

const DECIDE = `Bearer ${FB_TOKENS.decide}`;
const AUDIT = `Bearer ${FB_TOKENS.audit}`;

const pgUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const pgSchema = `arr_e2e_${process.pid}_${randomBytes(3).toString('hex')}`;
pgUrl.searchParams.set('schema', pgSchema);
const pgReachable = await new pg.Client({ connectionString: pgUrl.toString().replace(/[?&]schema=[^&]*/, ''), connectionTimeoutMillis: 3000 })
  .connect()
  .then(async (c) => (await c.end(), true))
  .catch(() => false);
const backends: [string, string | undefined][] = [['SQLite', undefined]];
if (pgReachable || process.env.TEST_DATABASE_URL) backends.push(['PostgreSQL', pgUrl.toString()]);

describe.each(backends)('arrangements end to end (%s): decide → accept → pay → PERFORMING → miss → BROKEN → declined', (backend, auditUrl) => {
  let t: ForbearanceApp;
  beforeAll(async () => {
    t = await buildForbearanceApp({ now: '2026-03-01T02:00:05.000Z', ...(auditUrl ? { auditUrl } : {}) });
  });
  afterAll(async () => {
    await t.close();
    if (backend === 'PostgreSQL') {
      const c = new pg.Client({ connectionString: pgUrl.toString().replace(/[?&]schema=[^&]*/, '') });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await c.end();
    }
  });

  let decisionId = '';
  let arrangementId = '';
  const get = (asOf?: string) => request(t.app).get(`/v1/arrangements/${arrangementId}${asOf ? `?asOf=${asOf}` : ''}`).set('Authorization', DECIDE);
  const pay = (dueDate: string, paidOn: string, amount: string) => request(t.app).post(`/v1/arrangements/${arrangementId}/payments`).set('Authorization', DECIDE).send({ dueDate, paidOn, amount });

  it('an approved installment plan, once accepted, is an arrangement in TRIAL holding its schedule', async () => {
    const d = await request(t.app).post('/v1/decisions').set('Authorization', DECIDE).send(exampleApplication());
    expect(d.status).toBe(200);
    decisionId = d.body.decisionId;
    const plan = d.body.options.find((o: { option: string }) => o.option === 'INSTALLMENT').plan;
    t.setNow('2026-03-05T02:00:00.000Z');
    const res = await request(t.app).post('/v1/arrangements').set('Authorization', DECIDE).send({ decisionId, option: 'INSTALLMENT', acceptedAt: '2026-03-05T10:00:00+08:00' });
    expect(res.status).toBe(201);
    arrangementId = res.body.arrangementId;
    expect(res.headers.location).toBe(`/v1/arrangements/${arrangementId}`);
    expect(res.body).toMatchObject({ loanId: 'L-55001', decisionId, option: 'INSTALLMENT', decision: 'APPROVE', status: 'TRIAL', since: '2026-03-05' });
    expect(res.body.schedule.map((s: { dueDate: string; amount: string }) => [s.dueDate, s.amount])).toEqual(plan.schedule.map((r: { dueDate: string; payment: string }) => [r.dueDate, r.payment]));
    // Accepting again returns the same arrangement.
    const again = await request(t.app).post('/v1/arrangements').set('Authorization', DECIDE).send({ decisionId, option: 'INSTALLMENT', acceptedAt: '2026-03-05T10:00:00+08:00' });
    expect(again.body.arrangementId).toBe(arrangementId);
  });

  it('two on-time payments make it PERFORMING', async () => {
    t.setNow('2026-03-15T08:00:00.000Z');
    expect((await pay('2026-03-15', '2026-03-15', '5205.10')).body.status).toBe('TRIAL');
    t.setNow('2026-04-15T08:00:00.000Z');
    const res = await pay('2026-04-15', '2026-04-14', '5205.10');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'PERFORMING', since: '2026-04-14' });
    expect((await get('2026-05-16')).body.status).toBe('PERFORMING');
  });

  it('the next payment missed by 31 days makes it BROKEN, with brokenDate = due date + 30', async () => {
    t.setNow('2026-06-15T08:00:00.000Z');
    expect((await get('2026-06-14')).body.status).toBe('PERFORMING');
    const res = await get();
    expect(res.body).toMatchObject({ status: 'BROKEN', brokenDate: '2026-06-14', asOf: '2026-06-15' });
    expect(res.body.history.map((h: { status: string }) => h.status)).toEqual(['TRIAL', 'PERFORMING', 'BROKEN']);
    const list = await request(t.app).get('/v1/arrangements?loanId=L-55001').set('Authorization', DECIDE);
    expect(list.body.arrangements.map((a: { arrangementId: string; status: string }) => [a.arrangementId, a.status])).toEqual([[arrangementId, 'BROKEN']]);
  });

  it('each status transition is a record in the audit chain, and the chain verifies', async () => {
    const page = await t.audit.list({ applicationId: 'event:ARRANGEMENT_STATUS', limit: 100 });
    const statuses = page.records.map((r) => (r.decision as { data: { status: string; arrangementId: string } }).data);
    expect(statuses.map((s) => s.status).sort()).toEqual(['BROKEN', 'PERFORMING', 'TRIAL']);
    expect(statuses.every((s) => s.arrangementId === arrangementId)).toBe(true);
    expect((await t.audit.verify()).ok).toBe(true);
  });

  it('a new application for the loan without priorRestructurings is declined with PRIOR_ARRANGEMENT_NOT_KEPT_12M, and its replay matches', async () => {
    t.setNow('2026-06-20T02:00:00.000Z');
    const app: Record<string, any> = { ...exampleApplication(), applicationId: 'APP-2026-000999', receivedAt: '2026-06-20T10:00:00+08:00' };
    app.loan.nextDueDate = '2026-07-15';
    const res = await request(t.app).post('/v1/decisions').set('Authorization', DECIDE).send(app);
    expect(res.status).toBe(200);
    for (const option of ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN']) {
      const o = res.body.options.find((x: { option: string }) => x.option === option);
      expect(o.decision).toBe('DECLINE');
      expect(o.reasonCodes.map((r: { code: string }) => r.code)).toContain('PRIOR_ARRANGEMENT_NOT_KEPT_12M');
    }
    const reason = res.body.notice.reasons.find((r: { code: string }) => r.code === 'PRIOR_ARRANGEMENT_NOT_KEPT_12M');
    expect(reason.text).toContain('2026-06-14');
    const record = await t.audit.get(res.body.decisionId);
    expect((record!.application as { loan: { priorRestructurings: unknown[] } }).loan.priorRestructurings).toEqual([
      { id: arrangementId, type: 'INSTALLMENT', effectiveDate: '2026-03-05', status: 'BROKEN', brokenDate: '2026-06-14' },
    ]);
    expect((await replayDecision(t.audit, res.body.decisionId, t.makeEvaluator)).identical).toBe(true);
  });

  it('a given priorRestructurings entry with the arrangement id wins over the one on record', async () => {
    const app: Record<string, any> = { ...exampleApplication(), applicationId: 'APP-2026-001000', receivedAt: '2026-06-20T10:00:00+08:00' };
    app.loan.nextDueDate = '2026-07-15';
    app.loan.priorRestructurings = [{ id: arrangementId, type: 'INSTALLMENT', effectiveDate: '2026-03-05', status: 'ACTIVE' }];
    const res = await request(t.app).post('/v1/decisions').set('Authorization', DECIDE).send(app);
    const inst = res.body.options.find((x: { option: string }) => x.option === 'INSTALLMENT');
    expect(inst.reasonCodes.map((r: { code: string }) => r.code)).not.toContain('PRIOR_ARRANGEMENT_NOT_KEPT_12M');
  });

  it('the outcome report counts the three decisions (approved, declined by G-06, referred by G-07) and the broken arrangement, in JSON and CSV', async () => {
    const json = await request(t.app).get('/v1/reports/outcomes?from=2026-03-01&to=2026-06-30').set('Authorization', AUDIT);
    expect(json.status).toBe(200);
    const row = json.body.rows.find((r: { option: string; vulnerability: string }) => r.option === 'INSTALLMENT' && r.vulnerability === 'ABSENT');
    expect(row).toMatchObject({ hardshipReason: 'INCOME_REDUCTION', decided: 3, approved: 1, referred: 1, declined: 1, arrangements: 1, broken: 1, kept: 0, brokenRate: '1.0000', approvalRate: '0.3333' });
    const csv = await request(t.app).get('/v1/reports/outcomes?from=2026-03-01&to=2026-06-30').set('Authorization', AUDIT).set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('vulnerability,hardshipReason,option,decided,approved,counteroffered,referred,declined,pendingDocuments,approvalRate,arrangements,kept,broken,cured,keptRate,brokenRate,curedRate');
    expect(lines).toContain('ABSENT,INCOME_REDUCTION,INSTALLMENT,3,1,0,1,1,0,0.3333,1,0,1,0,0.0000,1.0000,0.0000');
  });
});

describe('arrangement requests that cannot be met are refused with the field named', () => {
  let t: ForbearanceApp;
  beforeAll(async () => {
    t = await buildForbearanceApp({ now: '2026-03-01T02:00:05.000Z' });
  });
  afterAll(() => t.close());

  it('an unknown decision is 404; a declined option, a bad date or a foreign due date is 400 naming the field', async () => {
    const post = (body: unknown) => request(t.app).post('/v1/arrangements').set('Authorization', DECIDE).send(body as object);
    expect((await post({ decisionId: 'nope', option: 'INSTALLMENT', acceptedAt: '2026-03-05T10:00:00+08:00' })).status).toBe(404);
    const d = await request(t.app).post('/v1/decisions').set('Authorization', DECIDE).send({ ...exampleApplication(), borrower: { ...exampleApplication().borrower, fraudFlag: 'CONFIRMED' } });
    const declined = await post({ decisionId: d.body.decisionId, option: 'INSTALLMENT', acceptedAt: '2026-03-05T10:00:00+08:00' });
    expect(declined.status).toBe(400);
    expect(declined.body.errors[0].pointer).toBe('/option');
    const bad = await post({ decisionId: d.body.decisionId, option: 'PENALTY_WAIVER', acceptedAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/acceptedAt', '/option']);
    const ok = await request(t.app).post('/v1/decisions').set('Authorization', DECIDE).send(exampleApplication());
    const arr = await post({ decisionId: ok.body.decisionId, option: 'PERSONALISED_PLAN', acceptedAt: '2026-03-01T11:00:00+08:00' });
    expect(arr.status).toBe(201);
    const foreign = await request(t.app).post(`/v1/arrangements/${arr.body.arrangementId}/payments`).set('Authorization', DECIDE).send({ dueDate: '2026-03-16', paidOn: '2026-03-01', amount: '1.00' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].pointer).toBe('/dueDate');
    expect((await request(t.app).get(`/v1/arrangements/${arr.body.arrangementId}?asOf=2026-02-30`).set('Authorization', DECIDE)).status).toBe(400);
    expect((await request(t.app).get('/v1/arrangements').set('Authorization', DECIDE)).status).toBe(400);
    expect((await request(t.app).get('/v1/arrangements?loanId=L-55001').set('Authorization', AUDIT)).status).toBe(403);
    expect((await request(t.app).get('/v1/reports/outcomes?from=2026-03-01&to=2026-06-30').set('Authorization', DECIDE)).status).toBe(403);
  });
});
