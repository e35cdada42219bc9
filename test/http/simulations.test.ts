import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies } from '../../src/app/check-policies.js';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { PolicySet } from '../../src/app/policy-set.js';
import { authenticate, KeyRing, type Role } from '../../src/adapters/http/auth.js';
import { errorHandler } from '../../src/adapters/http/problem.js';
import { simulationRoutes } from '../../src/adapters/http/routes/simulations.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { ROOT, exampleApplication } from '../helpers/app.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');
const CANDIDATE = TEXT.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$10.60');
const ADMIN = 'tok-policy-admin-0123456789';
const DECIDER = 'tok-decide-only-0123456789';

function key(id: string, token: string, roles: [Role, ...Role[]]) {
  return { id, sha256: createHash('sha256').update(token).digest('hex'), roles };
}

function applications(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const a = exampleApplication();
    a.applicationId = `HTTP-${i}`;
    a.borrower.monthlyDebtServiceOther = (2000 + i * 150).toFixed(2);
    a.request = { options: ['INSTALLMENT', 'PENALTY_WAIVER'], desiredTermMonths: 6 };
    return a;
  });
}

let app: express.Express;
const post = (body: unknown, token = ADMIN) => request(app).post('/v1/simulations').set('Authorization', `Bearer ${token}`).send(body as object);

beforeAll(async () => {
  const makeEvaluator = evaluatorFactory('jre');
  const checked = await checkPolicies(await loadPolicyFiles([join(ROOT, 'policies')]), makeEvaluator);
  const set = new PolicySet(checked.loaded, checked.problems, '2026-01-01T00:00:00Z');
  app = express();
  app.use(authenticate(new KeyRing([key('admin', ADMIN, ['policy-admin']), key('servicing', DECIDER, ['decide'])])));
  app.use(simulationRoutes({ policies: () => set, makeEvaluator, bodyLimit: 4 * 1024 * 1024 }));
  app.use(errorHandler(() => {}));
}, 60_000);

describe('POST /v1/simulations', () => {
  it('needs a token with the role policy-admin', async () => {
    const body = { baseline: { version: '1.0.0' }, candidate: { policy: CANDIDATE }, applications: applications(1) };
    expect((await request(app).post('/v1/simulations').send(body)).status).toBe(401);
    const res = await post(body, DECIDER);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers the report for a loaded baseline version and a candidate given as YAML', async () => {
    const res = await post({ baseline: { version: 'restructuring@1.0.0' }, candidate: { policy: CANDIDATE }, applications: applications(12) });
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    expect(res.body).toMatchObject({ read: 12, applications: 12, invalid: 0, aborted: false });
    expect(res.body.baseline.policy).toMatchObject({ id: 'restructuring', version: '1.0.0' });
    expect(res.body.candidate.policy.sha256).toBe(createHash('sha256').update(CANDIDATE).digest('hex'));
    expect(res.body.transitions.INSTALLMENT['COUNTEROFFER→APPROVE']).toBeGreaterThan(0);
    expect(res.body.changed[0]).toMatchObject({ applicationId: expect.stringMatching(/^HTTP-/), option: expect.any(String), line: expect.any(Number) });
  });

  it('the same policy on both sides changes nothing', async () => {
    const res = await post({ baseline: { policy: TEXT }, candidate: { version: '1.0.0' }, applications: applications(3) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ applications: 3, changedApplications: 0, changed: [] });
  });

  it('a candidate that is not valid YAML is 422 with each located problem under /candidate/policy', async () => {
    const res = await post({ baseline: { version: '1.0.0' }, candidate: { policy: TEXT.replace('kind: RestructuringPolicy', 'kind: RestructuringPolicy\n  bad: [indent') }, applications: applications(1) });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = JSON.parse(res.text);
    expect(p.code).toBe('POLICY_YAML_SYNTAX');
    expect(p.errors.length).toBeGreaterThan(0);
    for (const e of p.errors) {
      expect(e.pointer).toBe('/candidate/policy');
      expect(e.detail).toMatch(/^\d+:\d+: \S/);
    }
  });

  it('a candidate with a semantic error is 422 naming the line and column', async () => {
    const res = await post({ baseline: { version: '1.0.0' }, candidate: { policy: TEXT.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }') }, applications: applications(1) });
    expect(res.status).toBe(422);
    const p = JSON.parse(res.text);
    expect(p.code).toBe('POLICY_SEMANTIC');
    expect(p.errors).toContainEqual({ pointer: '/candidate/policy', detail: expect.stringMatching(/^\d+:\d+: unknown fact "fraudFlagg"/) });
  });

  it('an unknown baseline version is 422 NO_POLICY', async () => {
    const res = await post({ baseline: { version: '9.9.9' }, candidate: { policy: CANDIDATE }, applications: applications(1) });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'NO_POLICY', errors: [{ pointer: '/baseline/version' }] });
  });

  it('body errors are 400 naming each field', async () => {
    const bad = applications(2);
    bad[1]!.borrower.riskScore = 'high';
    const res = await post({ baseline: { version: '1.0.0', policy: TEXT }, candidate: { policy: 42 }, applications: bad, extra: true });
    expect(res.status).toBe(400);
    const p = JSON.parse(res.text);
    expect(p.code).toBe('INVALID_BODY');
    const pointers = p.errors.map((e: any) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/extra', '/baseline', '/candidate/policy', '/applications/1/borrower/riskScore']));
    expect(p.errors.find((e: any) => e.pointer === '/applications/1/borrower/riskScore').detail).toBe('/applications/1/borrower/riskScore must be of type integer');

    const missing = await post({ candidate: { policy: CANDIDATE } });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).errors.map((e: any) => e.pointer)).toEqual(['/applications', '/baseline']); // sorted by pointer
  });

  it('more than 1,000 inline applications is 400', async () => {
    const one = applications(1)[0]!;
    const res = await post({ baseline: { version: '1.0.0' }, candidate: { version: '1.0.0' }, applications: Array.from({ length: 1001 }, () => one) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors).toEqual([{ pointer: '/applications', detail: expect.stringContaining('at most 1000') }]);
  });
});
