import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

const AUTHOR = `Bearer ${TOKENS.author}`;
const APPROVER = `Bearer ${TOKENS.approver}`;
const BOTH = `Bearer ${TOKENS.authorApprover}`;
const AUDIT = `Bearer ${TOKENS.audit}`;
const ADMIN = `Bearer ${TOKENS.admin}`;

const SHIPPED = readFileSync(join(ROOT, 'policies', 'restructuring', '1.1.0.yaml'), 'utf8');
const SHIPPED_TESTS = readFileSync(join(ROOT, 'policies', 'restructuring', '1.1.0.test.yaml'), 'utf8');
/** The shipped latest version under a new number: valid, every test passes, every rule fires. */
const V120 = SHIPPED.replace(/^(\s+version:\s*)1\.1\.0/m, '$11.2.0');
const DECEMBER = () => ({ ...exampleApplication(), receivedAt: '2026-12-05T10:00:00+08:00' });

async function putDraft(t: TestApp, policy: string, tests?: string, auth = AUTHOR) {
  const p = await request(t.app).put('/v1/policy-drafts/restructuring').set('Authorization', auth).set('Content-Type', 'application/yaml').send(policy);
  if (tests === undefined) return p;
  return request(t.app).put('/v1/policy-drafts/restructuring/tests').set('Authorization', auth).set('Content-Type', 'application/yaml').send(tests);
}

async function servedVersion(t: TestApp): Promise<string> {
  const res = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(DECEMBER());
  return res.body.policy.version;
}

async function until(fn: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return fn();
}

describe('drafts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('a saved draft answers its located validation problems, test results and rule coverage, and never serves', async () => {
    const broken = V120.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }');
    const res = await putDraft(t, broken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ policyId: 'restructuring', version: '1.2.0', createdBy: 'author', updatedBy: 'author', tests: null });
    expect(res.body.check.valid).toBe(false);
    expect(res.body.check.errors[0]).toMatchObject({ file: 'restructuring/1.2.0.yaml', line: broken.slice(0, broken.indexOf('fraudFlagg')).split('\n').length, message: expect.stringContaining('unknown fact "fraudFlagg"') });
    const fixed = await putDraft(t, V120, SHIPPED_TESTS);
    expect(fixed.body.check).toMatchObject({ valid: true, rulesNeverFired: [], submittable: true, refusals: [] });
    expect(fixed.body.check.tests.cases).toBeGreaterThan(100);
    expect(fixed.body.check.tests.failed).toBe(0);
    expect(fixed.body.check.coverage.find((c: { ruleId: string }) => c.ruleId === 'G-01').fired).toBeGreaterThan(0);
    expect(await servedVersion(t)).toBe('1.1.0');
    const list = await request(t.app).get('/v1/policy-drafts').set('Authorization', APPROVER);
    expect(list.body.drafts.map((d: { policyId: string }) => d.policyId)).toEqual(['restructuring']);
  });

  it('try decides with the draft and records nothing', async () => {
    await putDraft(t, V120.replace('dsrApproveMax: { value: 0.55,', 'dsrApproveMax: { value: 0.20,'), SHIPPED_TESTS);
    const before = (await request(t.app).get('/v1/audit/verify').set('Authorization', AUDIT)).body.records;
    const res = await request(t.app).post('/v1/policy-drafts/restructuring/try').set('Authorization', AUTHOR).send(DECEMBER());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ recorded: false, policy: { version: '1.2.0' }, decision: { policy: { version: '1.2.0' } } });
    expect(res.body.note).toMatch(/nothing was recorded/);
    expect((await request(t.app).get('/v1/audit/verify').set('Authorization', AUDIT)).body.records).toBe(before);
  });

  it('a draft needs the policy-author role to write and is discarded with DELETE', async () => {
    expect((await putDraft(t, V120, undefined, APPROVER)).status).toBe(403);
    expect((await request(t.app).put('/v1/policy-drafts/restructuring').set('Authorization', AUTHOR).set('Content-Type', 'application/json').send('{}')).status).toBe(415);
    expect((await request(t.app).delete('/v1/policy-drafts/restructuring').set('Authorization', AUTHOR)).status).toBe(204);
    expect((await request(t.app).get('/v1/policy-drafts/restructuring').set('Authorization', AUTHOR)).status).toBe(404);
  });
});

describe('submit is refused with every reason', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  const submit = () => request(t.app).post('/v1/policy-drafts/restructuring/submit').set('Authorization', AUTHOR);
  const reasons = (res: request.Response) => res.body.refusals.map((r: { reason: string }) => r.reason);

  it('a draft without tests', async () => {
    await putDraft(t, V120);
    const res = await submit();
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CHANGE_REFUSED');
    expect(reasons(res)).toContain('NO_TESTS');
  });

  it('a draft with a failing test, naming the case and line', async () => {
    await putDraft(t, V120, SHIPPED_TESTS.replace('accountAction: FREEZE', 'accountAction: NONE'));
    const res = await submit();
    expect(res.status).toBe(422);
    expect(reasons(res)).toContain('TEST_FAILED');
    const failed = res.body.refusals.find((r: { reason: string }) => r.reason === 'TEST_FAILED');
    expect(failed.problems[0]).toMatchObject({ file: 'restructuring/1.2.0.test.yaml', code: 'POLICY_TEST_FAILED' });
    expect(failed.problems[0].line).toBeGreaterThan(1);
  });

  it('a draft with a rule no test fires, naming the rule', async () => {
    const extra = V120.replace(/^rules:\n/m, 'rules:\n  - id: Z-99\n    description: Never met by any test case.\n    option: INSTALLMENT\n    conditions:\n      all:\n        - { fact: riskScore, operator: lessThan, value: 1 }\n    outcome: DECLINE\n    reasonCodes: [FRAUD_OR_FALSE_DOCUMENTS]\n');
    await putDraft(t, extra, SHIPPED_TESTS);
    const res = await submit();
    expect(res.status).toBe(422);
    expect(reasons(res)).toEqual(['RULE_NEVER_FIRED']);
    expect(res.body.refusals[0].rules).toEqual(['Z-99']);
  });

  it('a version not greater than every published one, with the other reasons at once', async () => {
    await putDraft(t, SHIPPED.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }'), 'cases: []');
    const res = await submit();
    expect(res.status).toBe(422);
    expect(res.body.errors.length).toBe(res.body.refusals.length);
    expect(reasons(res)).toContain('VALIDATION_ERRORS');
    await putDraft(t, SHIPPED, SHIPPED_TESTS);
    const same = await submit();
    expect(reasons(same)).toEqual(['VERSION_NOT_GREATER']);
  });
});

describe('maker–checker approval', () => {
  let t: TestApp;
  let changeId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    await putDraft(t, V120.replace('Default hardship restructuring policy', 'Reviewed hardship restructuring policy'), SHIPPED_TESTS, BOTH);
    for (let i = 0; i < 3; i++) await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(DECEMBER());
  });
  afterAll(async () => t.close());

  it('submit creates a PENDING change with the semantic diff and the impact on recent decisions', async () => {
    const res = await request(t.app).post('/v1/policy-drafts/restructuring/submit').set('Authorization', BOTH);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ policyId: 'restructuring', version: '1.2.0', status: 'PENDING', submittedBy: 'author-approver', author: 'author-approver', replaces: '1.1.0' });
    expect(res.body.diff.metadata).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'description' })]));
    expect(res.body.impact).toMatchObject({ decisionsUsed: 3, limit: 10000, withinDays: 90 });
    changeId = res.body.id;
    const pending = await request(t.app).get('/v1/policy-changes?status=PENDING').set('Authorization', APPROVER);
    expect(pending.body.changes.map((c: { id: string }) => c.id)).toEqual([changeId]);
  });

  it('the key that submitted it cannot approve it, even holding policy-approver: 403 that says so', async () => {
    const res = await request(t.app).post(`/v1/policy-changes/${changeId}/approve`).set('Authorization', BOTH).send({ comment: 'mine' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('SELF_APPROVAL');
    expect(res.body.detail).toMatch(/never approves a change it submitted or last edited/);
    expect(await servedVersion(t)).toBe('1.1.0');
  });

  it('a second key with policy-approver approves, and the version then serves', async () => {
    const res = await request(t.app).post(`/v1/policy-changes/${changeId}/approve`).set('Authorization', APPROVER).send({ comment: 'four eyes' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'APPROVED', decidedBy: 'approver', comment: 'four eyes' });
    expect(await until(async () => (await servedVersion(t)) === '1.2.0')).toBe(true);
    const policies = await request(t.app).get('/v1/policies').set('Authorization', AUTHOR);
    expect(policies.body.policies.find((p: { version: string }) => p.version === '1.2.0')).toMatchObject({ approvedBy: 'approver', submittedBy: 'author-approver', origin: 'API' });
    expect(policies.body.policies.find((p: { version: string }) => p.version === '1.0.0')).toMatchObject({ approvedBy: 'repository-review', origin: 'REPOSITORY' });
  });

  it('a decided change cannot be decided again, and the published version cannot be changed through the API', async () => {
    expect((await request(t.app).post(`/v1/policy-changes/${changeId}/reject`).set('Authorization', APPROVER).send({ reason: 'late' })).status).toBe(409);
    await putDraft(t, V120, SHIPPED_TESTS);
    const again = await request(t.app).post('/v1/policy-drafts/restructuring/submit').set('Authorization', AUTHOR);
    expect(again.status).toBe(422);
    expect(again.body.refusals.map((r: { reason: string }) => r.reason)).toEqual(['VERSION_NOT_GREATER']);
  });

  it('the chain holds the publication records and verifies', async () => {
    const events = await request(t.app).get('/v1/audit/events?type=POLICY_PUBLISHED').set('Authorization', AUDIT);
    expect(events.status).toBe(200);
    const mine = events.body.events.find((e: { data: { version: string } }) => e.data.version === '1.2.0');
    expect(mine).toMatchObject({ type: 'POLICY_PUBLISHED', callerKeyId: 'approver', data: { policyId: 'restructuring', author: 'author-approver', submittedBy: 'author-approver', approvedBy: 'approver', comment: 'four eyes', origin: 'API' } });
    expect(mine.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events.body.events.filter((e: { data: { origin: string } }) => e.data.origin === 'REPOSITORY').length).toBe(2);
    expect((await request(t.app).get('/v1/audit/events').set('Authorization', APPROVER)).status).toBe(403);
    const verify = await request(t.app).get('/v1/audit/verify').set('Authorization', AUDIT);
    expect(verify.body.ok).toBe(true);
  });

  it('a rejected change never serves, and its rejection is recorded with the reason', async () => {
    await putDraft(t, V120.replace(/^(\s+version:\s*)1\.2\.0/m, '$11.3.0'), SHIPPED_TESTS);
    const sub = await request(t.app).post('/v1/policy-drafts/restructuring/submit').set('Authorization', AUTHOR);
    expect(sub.status).toBe(201);
    expect((await request(t.app).post(`/v1/policy-changes/${sub.body.id}/reject`).set('Authorization', APPROVER).send({})).status).toBe(400);
    const rej = await request(t.app).post(`/v1/policy-changes/${sub.body.id}/reject`).set('Authorization', APPROVER).send({ reason: 'no business case' });
    expect(rej.body).toMatchObject({ status: 'REJECTED', reason: 'no business case' });
    await t.runtime.reload('test');
    expect(await servedVersion(t)).toBe('1.2.0');
    const events = await request(t.app).get('/v1/audit/events?type=POLICY_CHANGE_REJECTED').set('Authorization', AUDIT);
    expect(events.body.events).toEqual([expect.objectContaining({ data: expect.objectContaining({ version: '1.3.0', rejectedBy: 'approver', reason: 'no business case' }) })]);
  });

  it('rollback prepares a new version with the old content, through the same approval', async () => {
    const res = await request(t.app).post('/v1/policies/restructuring/rollback').set('Authorization', AUTHOR).send({ toVersion: '1.1.0' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'ROLLBACK', rollbackTo: '1.1.0', version: '1.2.1', status: 'PENDING', replaces: '1.2.0' });
    expect(await servedVersion(t)).toBe('1.2.0');
    expect((await request(t.app).post(`/v1/policy-changes/${res.body.id}/approve`).set('Authorization', AUTHOR).send({})).status).toBe(403);
    expect((await request(t.app).post(`/v1/policy-changes/${res.body.id}/approve`).set('Authorization', APPROVER).send({})).status).toBe(200);
    expect(await until(async () => (await servedVersion(t)) === '1.2.1')).toBe(true);
  });
});

describe('readiness and status', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-ready-'));
    cpSync(join(ROOT, 'policies'), dir, { recursive: true });
    mkdirSync(join(dir, 'future'));
    writeFileSync(join(dir, 'future', '1.0.0.yaml'), SHIPPED.replace(/^(\s+id:\s*)restructuring/m, '$1future').replace(/^(\s+version:\s*)1\.1\.0/m, '$11.0.0').replace(/^(\s+effectiveFrom:\s*)\S+/m, '$12090-01-01'));
    writeFileSync(join(dir, 'future', '1.0.0.test.yaml'), SHIPPED_TESTS);
    t = await buildTestApp({ policyDir: dir });
  });
  afterAll(async () => t.close());

  it('/readyz is 503 while a configured policy has no version effective today, naming it', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.policies).toBe('no servable version of future');
  });

  it('status lists drafts and changes pending', async () => {
    await putDraft(t, V120, SHIPPED_TESTS);
    const before = (await request(t.app).get('/v1/policies/status').set('Authorization', ADMIN)).body;
    expect(before).toMatchObject({ draftsPending: 1, changesPending: 0, refusedFiles: [] });
    expect((await request(t.app).post('/v1/policy-drafts/restructuring/submit').set('Authorization', AUTHOR)).status).toBe(201);
    const after = (await request(t.app).get('/v1/policies/status').set('Authorization', ADMIN)).body;
    expect(after).toMatchObject({ draftsPending: 0, changesPending: 1, changes: [expect.objectContaining({ version: '1.2.0', submittedBy: 'author' })] });
  });
});
