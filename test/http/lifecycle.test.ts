import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

const ADMIN = `Bearer ${TOKENS.admin}`;
const POLICY = join('restructuring', '1.0.0.yaml');

function policyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-lifecycle-'));
  cpSync(join(ROOT, 'policies'), dir, { recursive: true });
  return dir;
}

describe('safe reload: files only add versions', () => {
  let t: TestApp;
  let dir: string;
  const LATEST = join('restructuring', '1.1.0.yaml');
  const NEXT = join('restructuring', '1.2.0.yaml');
  const december = () => ({ ...exampleApplication(), receivedAt: '2026-12-05T10:00:00+08:00' });
  beforeAll(async () => {
    dir = policyDir();
    t = await buildTestApp({ policyDir: dir });
  });
  afterAll(async () => t.close());

  it('a broken new version dropped in while requests run fails no request, keeps the old set, and status names the file and line', async () => {
    const good = readFileSync(join(dir, LATEST), 'utf8').replace(/^(\s+version:\s*)1\.1\.0/m, '$11.2.0');
    const broken = good.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }');
    const brokenLine = broken.slice(0, broken.indexOf('fraudFlagg')).split('\n').length;
    const before = (await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(december())).body.policy.sha256;

    const inflight = Array.from({ length: 40 }, () => request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(december()));
    writeFileSync(join(dir, NEXT), broken);
    writeFileSync(join(dir, 'restructuring', '1.2.0.test.yaml'), readFileSync(join(dir, 'restructuring', '1.1.0.test.yaml'), 'utf8'));
    const reload = await request(t.app).post('/v1/policies/reload').set('Authorization', ADMIN);
    const answers = await Promise.all(inflight);

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((a) => a.body.policy.sha256))).toEqual(new Set([before]));
    expect(reload.status).toBe(422);
    const status = (await request(t.app).get('/v1/policies/status').set('Authorization', ADMIN)).body;
    expect(status.lastReload.ok).toBe(false);
    expect(status.lastReload.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: expect.stringContaining('1.2.0.yaml'), line: brokenLine, message: expect.stringContaining('unknown fact "fraudFlagg"') })]));
    const after = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(december());
    expect(after.status).toBe(200);
    expect(after.body.policy.sha256).toBe(before);

    // Fixing the new file brings it in: published as approved by the repository's review, then served.
    writeFileSync(join(dir, NEXT), good);
    const fixed = await request(t.app).post('/v1/policies/reload').set('Authorization', ADMIN);
    expect(fixed.status).toBe(200);
    const next = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(december());
    expect(next.body.policy).toMatchObject({ version: '1.2.0' });
    expect(next.body.policy.sha256).not.toBe(before);
  });

  it('a new version whose own tests fail is never served', async () => {
    const tests = join(dir, 'restructuring', '1.3.0.test.yaml');
    writeFileSync(join(dir, 'restructuring', '1.3.0.yaml'), readFileSync(join(dir, LATEST), 'utf8').replace(/^(\s+version:\s*)1\.1\.0/m, '$11.3.0'));
    writeFileSync(tests, readFileSync(join(dir, 'restructuring', '1.1.0.test.yaml'), 'utf8').replace('accountAction: FREEZE', 'accountAction: NONE'));
    const reload = await request(t.app).post('/v1/policies/reload').set('Authorization', ADMIN);
    expect(reload.status).toBe(422);
    expect(reload.body.problems.some((p: { code: string }) => p.code === 'POLICY_TEST_FAILED')).toBe(true);
    const res = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(december());
    expect(res.body.policy.version).toBe('1.2.0');
    rmSync(join(dir, 'restructuring', '1.3.0.yaml'));
    rmSync(tests);
  });

  it('a published version edited in place is refused: the published content keeps serving, and status, logs and a metric say why', async () => {
    const published = readFileSync(join(dir, POLICY), 'utf8');
    const before = (await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(exampleApplication())).body.policy;
    expect(before.version).toBe('1.0.0');
    writeFileSync(join(dir, POLICY), published.replace('dsrApproveMax: { value: 0.55,', 'dsrApproveMax: { value: 0.60,'));
    const reload = await request(t.app).post('/v1/policies/reload').set('Authorization', ADMIN);
    expect(reload.status).toBe(200);
    const after = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(exampleApplication());
    expect(after.body.policy.sha256).toBe(before.sha256);
    const status = (await request(t.app).get('/v1/policies/status').set('Authorization', ADMIN)).body;
    expect(status.refusedFiles).toEqual([expect.objectContaining({ policyId: 'restructuring', version: '1.0.0', publishedSha256: before.sha256, message: expect.stringContaining('already published with other content') })]);
    expect(t.logs.join('')).toContain('policy file refused');
    const metrics = (await request(t.app).get('/metrics')).text;
    expect(metrics).toMatch(/tideover_policy_files_refused_total\{policy="restructuring"\} 1/);
    writeFileSync(join(dir, POLICY), published);
    await request(t.app).post('/v1/policies/reload').set('Authorization', ADMIN);
    expect((await request(t.app).get('/v1/policies/status').set('Authorization', ADMIN)).body.refusedFiles).toEqual([]);
  });
});

describe('versions side by side', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = policyDir();
    const v100 = readFileSync(join(dir, POLICY), 'utf8');
    const v110 = v100.replace('  version: 1.0.0', '  version: 1.1.0').replace('  effectiveFrom: 2026-01-01', '  effectiveFrom: 2026-07-01').replace('dsrApproveMax: { value: 0.55,', 'dsrApproveMax: { value: 0.60,');
    writeFileSync(join(dir, 'restructuring', '1.1.0.yaml'), v110);
    // 1.1.0 carries its own (small) test file: the 1.0.0 cases pin 1.0.0's thresholds.
    const tests = readFileSync(join(dir, 'restructuring', '1.0.0.test.yaml'), 'utf8');
    writeFileSync(join(dir, 'restructuring', '1.1.0.test.yaml'), `${tests.slice(0, tests.indexOf('cases:'))}cases:\n  - name: confirmed fraud declines everything\n    patch: { borrower: { fraudFlag: CONFIRMED } }\n    expect: { accountAction: FREEZE, decisions: { INSTALLMENT: DECLINE } }\n`);
    t = await buildTestApp({ policyDir: dir });
  });
  afterAll(async () => t.close());

  it('each application is decided by the version effective on its receipt date, and says why', async () => {
    const early = { ...exampleApplication(), receivedAt: '2026-06-30T23:00:00+08:00' };
    const late = { ...exampleApplication(), receivedAt: '2026-07-01T09:00:00+08:00' };
    const a = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(early);
    const b = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(late);
    expect(a.body.policy.version).toBe('1.0.0');
    expect(b.body.policy.version).toBe('1.1.0');
    expect(b.body.policy.selectedBy).toContain('effective 2026-07-01');
  });

  it('an application received before every version has no policy: 422 NO_POLICY', async () => {
    const res = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send({ ...exampleApplication(), receivedAt: '2025-12-31T10:00:00+08:00' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('NO_POLICY');
  });

  it('replay of an old decision uses the recorded 1.0.0 snapshot even after the file is gone from the set', async () => {
    const a = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send({ ...exampleApplication(), receivedAt: '2026-03-01T10:00:00+08:00' });
    expect(a.body.policy.version).toBe('1.0.0');
    const replay = await request(t.app).post(`/v1/decisions/${a.body.decisionId}/replay`).set('Authorization', ADMIN);
    expect(replay.body).toMatchObject({ identical: true, policy: { version: '1.0.0' } });
  });
});

describe('validation for editors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('answers the same located errors as policy check, plus warnings', async () => {
    const text = readFileSync(join(ROOT, 'policies', POLICY), 'utf8').replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }').replace('  longPlanMonths:', '  spare: { value: 1 }\n  longPlanMonths:');
    const res = await request(t.app).post('/v1/policies/validate').set('Authorization', ADMIN).send({ policy: text, fileName: '1.0.0.yaml' });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors[0]).toMatchObject({ message: 'unknown fact "fraudFlagg"; did you mean "fraudFlag"?', line: text.slice(0, text.indexOf('fraudFlagg')).split('\n').length, path: 'rules[0].conditions.any[0].fact' });
    expect(res.body.warnings.map((w: { message: string }) => w.message)).toContain('parameter "spare" is not used by any rule');
  });

  it('runs the given test cases too', async () => {
    const policy = readFileSync(join(ROOT, 'policies', POLICY), 'utf8');
    const tests = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.test.yaml'), 'utf8');
    const res = await request(t.app).post('/v1/policies/validate').set('Authorization', ADMIN).send({ policy, tests, fileName: '1.0.0.yaml' });
    expect(res.body).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(res.body.cases.passed).toBe(res.body.cases.total);
  });

  it('a body without policy text is a 400 naming /policy', async () => {
    const res = await request(t.app).post('/v1/policies/validate').set('Authorization', ADMIN).send({ yaml: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/policy', '/yaml']);
  });
});
