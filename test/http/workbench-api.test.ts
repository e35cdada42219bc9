import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, ROOT, TOKENS, type TestApp } from '../helpers/app.js';

const shipped = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');

describe('the routes the workbench adds to the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('GET /v1/schemas/policy.json is open and is the schema with the fact and operator vocabulary', async () => {
    const res = await request(t.app).get('/v1/schemas/policy.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = JSON.parse(res.text);
    expect(schema.$id).toBe('https://tideover.dev/schemas/policy.schema.json');
    expect(schema.$defs.FactName.oneOf.map((f: { const: string }) => f.const)).toContain('postPlanDsr');
    expect(schema.$defs.OperatorName.oneOf.map((f: { const: string }) => f.const)).toContain('lessThanInclusive');
  });

  it('POST /v1/policies/diff says which parameter changed and which rules read it', async () => {
    const candidate = shipped.replace(/dsrApproveMax: \{ value: 0\.55/, 'dsrApproveMax: { value: 0.50').replace(/version: 1\.0\.0/, 'version: 1.2.0');
    expect(candidate).not.toBe(shipped);
    const res = await request(t.app).post('/v1/policies/diff').set('Authorization', `Bearer ${TOKENS.admin}`).send({ baseline: { version: 'restructuring@1.0.0' }, candidate: { policy: candidate } });
    expect(res.status).toBe(200);
    const changed = res.body.parameters.changed.find((p: { name: string }) => p.name === 'dsrApproveMax');
    expect(changed).toMatchObject({ from: '0.55', to: '0.5', readByEngine: true });
    expect(changed.usedByRules).toContain('PP-01');
    expect(res.body.new.version).toBe('1.2.0');
  });

  it('POST /v1/policies/diff names each bad side by pointer (400), and needs a policy role', async () => {
    const res = await request(t.app).post('/v1/policies/diff').set('Authorization', `Bearer ${TOKENS.admin}`).send({ baseline: { version: 'restructuring@9.9.9' }, candidate: { policy: 'kind: nope' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/baseline/version', '/candidate/policy']));
    expect((await request(t.app).post('/v1/policies/diff').set('Authorization', `Bearer ${TOKENS.decide}`).send({})).status).toBe(403);
  });

  it('GET /v1/policies/{policyId}/versions/{version} answers a published version with its YAML and tests, for an author to start a draft from', async () => {
    const res = await request(t.app).get('/v1/policies/restructuring/versions/1.0.0').set('Authorization', `Bearer ${TOKENS.author}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ policyId: 'restructuring', version: '1.0.0', origin: 'REPOSITORY' });
    expect(res.body.policy).toBe(shipped);
    expect(res.body.tests).toContain('kind: PolicyTests');
    expect((await request(t.app).get('/v1/policies/restructuring/versions/9.9.9').set('Authorization', `Bearer ${TOKENS.author}`)).status).toBe(404);
    const bad = await request(t.app).get('/v1/policies/Nope_1/versions/x').set('Authorization', `Bearer ${TOKENS.author}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/path/policyId', '/path/version']);
    expect((await request(t.app).get('/v1/policies/restructuring/versions/1.0.0').set('Authorization', `Bearer ${TOKENS.decide}`)).status).toBe(403);
  });
});
