import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

// Real records, written by the decision service to a SQLite trail, against schemas/audit-record.schema.json and the
// recorded variants it references (recorded-application, recorded-decision): what the OpenAPI document and the
// workbench's client promise is what the trail holds.

const schemaDir = join(ROOT, 'schemas');
const schemas = Object.fromEntries(
  readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(schemaDir, f), 'utf8'))]),
);
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true, validateFormats: false });
for (const s of Object.values(schemas)) ajv.addSchema(s);
const validator = (file: string): ValidateFunction => ajv.getSchema(schemas[file].$id)!;

function expectValid(file: string, value: unknown): void {
  const validate = validator(file);
  expect(validate(value), `${file}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
}

const AUDIT = `Bearer ${TOKENS.audit}`;
const withoutConsent = { ...exampleApplication(), applicationId: 'APP-no-consent', vulnerability: { drivers: ['HEALTH', 'LIFE_EVENT'], consentToRecord: false, needs: ['WRITTEN_ONLY'] } };
const withConsent = { ...exampleApplication(), applicationId: 'APP-consent', vulnerability: { drivers: ['CAPABILITY'], consentToRecord: true, needs: ['LARGE_PRINT'] } };

describe('stored audit records match the audit-record schema and its recorded variants (SQLite trail, shadow policy on)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await buildTestApp({ shadow: { version: '1.1.0' } });
    for (const [name, body] of Object.entries({ withoutConsent, withConsent, plain: exampleApplication() })) {
      const res = await request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).send(body);
      expect(res.status).toBe(200);
      ids[name] = res.body.decisionId;
    }
  }, 60_000);
  afterAll(() => t.close());

  it('without consent: the record (challenger included) is valid; its application is the ApplicationWithoutConsent variant, which the application schema itself refuses', async () => {
    const res = await request(t.app).get(`/v1/decisions/${ids.withoutConsent}`).set('Authorization', AUDIT);
    expect(res.status).toBe(200);
    expectValid('audit-record.schema.json', res.body);
    expect(res.body.challenger, 'the shadow policy recorded a challenger').toBeDefined();
    expect(res.body.application.vulnerability).toEqual({ drivers: [], consentToRecord: false });
    expect(validator('application.schema.json')(res.body.application)).toBe(false);
    expect(ajv.validate({ $ref: `${schemas['recorded-application.schema.json'].$id}#/$defs/ApplicationWithoutConsent` }, res.body.application)).toBe(true);
    expect(res.body.decision.contactNeeds).toEqual([]);
    expect(res.body.decision.explanation.rules).toBeUndefined();
  });

  it('with consent and without vulnerability: the recorded application is a valid RestructuringApplication', async () => {
    for (const id of [ids.withConsent, ids.plain]) {
      const res = await request(t.app).get(`/v1/decisions/${id}`).set('Authorization', AUDIT);
      expectValid('audit-record.schema.json', res.body);
      expectValid('application.schema.json', res.body.application);
    }
  });

  it('a recorded decision is not a DecisionResult (no rule trees) until explain=full rebuilds them, and both forms are valid records', async () => {
    const recorded = await request(t.app).get(`/v1/decisions/${ids.plain}`).set('Authorization', AUDIT);
    expect(validator('decision.schema.json')(recorded.body.decision)).toBe(false);
    const full = await request(t.app).get(`/v1/decisions/${ids.plain}?explain=full`).set('Authorization', AUDIT);
    expect(full.status).toBe(200);
    expect(full.body.decision.explanation.rules.length).toBeGreaterThan(0);
    expectValid('audit-record.schema.json', full.body);
    expectValid('decision.schema.json', full.body.decision);
  });

  it('the list and the NDJSON export hold valid records', async () => {
    const list = await request(t.app).get('/v1/decisions').set('Authorization', AUDIT);
    expect(list.body.records.length).toBeGreaterThanOrEqual(3);
    for (const r of list.body.records) expectValid('audit-record.schema.json', r);
    const exported = await request(t.app).get('/v1/decisions/export').set('Authorization', AUDIT).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => done(null, text));
    });
    const lines = (exported.body as string).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expectValid('audit-record.schema.json', JSON.parse(line));
  });

  it('a chain event record (a policy published) is a valid record: application null, decision its type and data', async () => {
    const res = await request(t.app).get('/v1/decisions?applicationId=event:POLICY_PUBLISHED').set('Authorization', AUDIT);
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeGreaterThan(0);
    for (const r of res.body.records) {
      expect(r.application).toBeNull();
      expectValid('audit-record.schema.json', r);
    }
  });
});

describe('the recorded variants name the same fields as the schemas they vary', () => {
  const keys = (s: { properties: object }) => Object.keys(s.properties).sort();
  const app = schemas['application.schema.json'];
  const decision = schemas['decision.schema.json'];
  const withoutConsent = schemas['recorded-application.schema.json'].$defs.ApplicationWithoutConsent;
  const recorded = schemas['recorded-decision.schema.json'];

  it('ApplicationWithoutConsent: every application field, the same required ones and vulnerability', () => {
    expect(keys(withoutConsent)).toEqual(keys(app));
    expect([...withoutConsent.required].sort()).toEqual([...app.required, 'vulnerability'].sort());
  });

  it('RecordedDecision: every decision field and the same required ones; RecordedExplanation: every explanation field, rules optional', () => {
    expect(keys(recorded)).toEqual(keys(decision));
    expect([...recorded.required].sort()).toEqual([...decision.required].sort());
    expect(keys(recorded.$defs.RecordedExplanation)).toEqual(keys(decision.$defs.Explanation));
    expect(recorded.$defs.RecordedExplanation.required).not.toContain('rules');
  });
});
