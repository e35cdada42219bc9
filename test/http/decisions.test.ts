import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, exampleApplication, ROOT, TOKENS, type TestApp } from '../helpers/app.js';

// ajv and ajv-formats are CommonJS: the default import is module.exports, whose .default is the export.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const schema = (name: string): object => JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(schema('common.schema.json'));
const validateDecision = ajv.compile(schema('decision.schema.json'));

const PROBLEM = /^application\/problem\+json/;
const OPTIONS = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'];
const bearer = (t: string) => `Bearer ${t}`;

type Body = Record<string, any>;

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: { pointer: string; detail: string }[];
}

function expectProblem(res: request.Response, status: number, code: string): Problem {
  expect(res.status, String(res.text).slice(0, 500)).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  const p = JSON.parse(res.text) as Problem;
  expect(p).toMatchObject({ status, code });
  expect(typeof p.type).toBe('string');
  expect(typeof p.title).toBe('string');
  expect(typeof p.detail).toBe('string');
  return p;
}

const pointers = (p: Problem) => (p.errors ?? []).map((e) => e.pointer);

/** A condition tree node (ExplainNode) and all its descendants. */
function* nodes(n: Body): Generator<Body> {
  yield n;
  for (const k of ['all', 'any'] as const) for (const c of (n[k] ?? []) as Body[]) yield* nodes(c);
  if (n.not) yield* nodes(n.not as Body);
}

function declined(): Body {
  const a = exampleApplication();
  a.borrower.fraudFlag = 'CONFIRMED';
  return a;
}

describe('POST /v1/decisions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown, token = TOKENS.decide) => request(t.app).post('/v1/decisions').set('Authorization', bearer(token)).send(body as object);

  it('is matched as the router matched it: any letter case, one trailing slash, with the same headers and record', async () => {
    const res = await request(t.app).post('/V1/Decisions/').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication() as object);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(await t.audit.get((res.body as Body).decisionId)).toBeDefined();
    expect((await request(t.app).post('/v1/decisions/x').set('Authorization', bearer(TOKENS.decide)).send({})).status).toBe(405);
  });

  it('a POST whose URL is in absolute form (as a proxy sends it) is decided by the routed path alike', async () => {
    const server = createServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = JSON.stringify(exampleApplication());
      const got = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `http://127.0.0.1:${port}/v1/decisions?explain=none`, headers: { Authorization: bearer(TOKENS.decide), 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject).end(body);
      });
      expect(got.status, got.text).toBe(200);
      expect((JSON.parse(got.text) as Body).explanation.rules).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('an unauthenticated request is refused before its body is read, with the challenge header', async () => {
    const res = await request(t.app).post('/v1/decisions').send(exampleApplication() as object);
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('the example application', () => {
    let res: request.Response;
    beforeAll(async () => {
      res = await post(exampleApplication());
    });

    it('gets 200 with decisionId, applicationId, decidedAt and the policy that decided', () => {
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const d = res.body as Body;
      expect(typeof d.decisionId).toBe('string');
      expect(d.decisionId.length).toBeGreaterThan(0);
      expect(d.applicationId).toBe('APP-2026-000123');
      expect(Number.isNaN(Date.parse(d.decidedAt))).toBe(false);
      expect(d.policy).toMatchObject({ id: 'restructuring', version: '1.0.0' });
      expect(d.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof d.policy.selectedBy).toBe('string');
      expect(d.policy.selectedBy.length).toBeGreaterThan(0);
      expect(d.policy.selectedBy).not.toMatch(/pinned/);
    });

    it('decides all four options, each with requested flag, decision, reasons, documents and security requirement', () => {
      const d = res.body as Body;
      expect((d.options as Body[]).map((o) => o.option)).toEqual(OPTIONS);
      const requested = new Set(exampleApplication().request.options as string[]);
      for (const o of d.options as Body[]) {
        expect(o.requested).toBe(requested.has(o.option));
        expect(['APPROVE', 'COUNTEROFFER', 'REFER', 'DECLINE', 'PENDING_DOCUMENTS']).toContain(o.decision);
        expect(Array.isArray(o.reasonCodes)).toBe(true);
        expect(Array.isArray(o.requiredDocuments)).toBe(true);
        expect(['NONE', 'GUARANTOR', 'COLLATERAL', 'GUARANTOR_OR_COLLATERAL']).toContain(o.securityRequirement);
      }
    });

    it('carries an account action and an explanation whose rule conditions carry a state', () => {
      const d = res.body as Body;
      expect(['NONE', 'RESTRICT_NEW_DRAWS', 'FREEZE']).toContain(d.accountAction.action);
      expect(Array.isArray(d.accountAction.reasonCodes)).toBe(true);
      const rules = d.explanation.rules as Body[];
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) {
        expect(typeof r.ruleId).toBe('string');
        expect(typeof r.fired).toBe('boolean');
        for (const n of nodes(r.conditions as Body)) expect(['passed', 'failed', 'not_evaluated', 'fact_missing']).toContain(n.state);
      }
      // fired rules are listed and each appears among the evaluated rules
      const evaluated = new Set(rules.map((r) => r.ruleId));
      for (const id of d.explanation.firedRules as string[]) expect(evaluated.has(id)).toBe(true);
    });

    it('validates against schemas/decision.schema.json', () => {
      const ok = validateDecision(res.body);
      expect(validateDecision.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
  });

  describe('bad bodies', () => {
    it('lists every invalid field with its JSON pointer, several at once', async () => {
      const a = exampleApplication();
      delete a.loan.loanId; // missing
      a.borrower.identityVerified = 'yes'; // wrong type
      a.jurisdiction = 'UK'; // unknown enum value
      a.loan.outstandingPrincipal = 30000; // money as a JSON number
      a.loan.accruedInterest = '270.001'; // three decimals
      a.loan.feesOutstanding = '-1.00'; // negative
      a.borrower.hardship.startDate = '2026-02-30'; // impossible date
      a.applicationId = 'A'.repeat(65); // id too long
      a.borrower.riskScoreKeyFactors = Array.from({ length: 11 }, (_, i) => `factor ${i}`); // too many items
      a.borrower.favouriteColour = 'teal'; // unknown extra field
      const p = expectProblem(await post(a), 400, 'INVALID_BODY');
      const got = new Set(pointers(p));
      for (const ptr of [
        '/loan/loanId',
        '/borrower/identityVerified',
        '/jurisdiction',
        '/loan/outstandingPrincipal',
        '/loan/accruedInterest',
        '/loan/feesOutstanding',
        '/borrower/hardship/startDate',
        '/applicationId',
        '/borrower/riskScoreKeyFactors',
        '/borrower/favouriteColour',
      ])
        expect(got, `missing ${ptr} in ${JSON.stringify(p.errors)}`).toContain(ptr);
      for (const e of p.errors ?? []) expect(typeof e.detail).toBe('string');
    });

    it.each([
      ['a missing top-level field', '/loan', (a: Body) => delete a.loan],
      ['a missing nested field', '/borrower/hardship/reason', (a: Body) => delete a.borrower.hardship.reason],
      ['a wrong type (string for integer)', '/borrower/riskScore', (a: Body) => (a.borrower.riskScore = '700')],
      ['a wrong type (object for array)', '/documents', (a: Body) => (a.documents = {})],
      ['an unknown enum value', '/loan/product', (a: Body) => (a.loan.product = 'PAYDAY')],
      ['an unknown option', '/request/options/0', (a: Body) => (a.request.options = ['BANKRUPTCY'])],
      ['money as a JSON number', '/borrower/monthlyIncomeAfter', (a: Body) => (a.borrower.monthlyIncomeAfter = 14000)],
      ['money with 3 decimals', '/loan/currentScheduledPayment', (a: Body) => (a.loan.currentScheduledPayment = '5158.680')],
      ['a negative amount', '/loan/accruedPenaltyInterest', (a: Body) => (a.loan.accruedPenaltyInterest = '-1.00')],
      ['an impossible date', '/loan/nextDueDate', (a: Body) => (a.loan.nextDueDate = '2026-02-30')],
      ['an impossible date-time', '/receivedAt', (a: Body) => (a.receivedAt = '2026-13-01T10:00:00+08:00')],
      ['an id longer than 64 characters', '/borrower/borrowerId', (a: Body) => (a.borrower.borrowerId = 'B'.repeat(65))],
      ['a too-long array', '/request/options', (a: Body) => (a.request.options = ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION', 'INSTALLMENT'])],
      ['an unknown extra field', '/loan/colour', (a: Body) => (a.loan.colour = 'red')],
      ['an unknown extra top-level field', '/extra', (a: Body) => (a.extra = 1)],
    ] as [string, string, (a: Body) => unknown][])('%s → 400 naming %s', async (_what, ptr, mutate) => {
      const a = exampleApplication();
      mutate(a);
      const p = expectProblem(await post(a), 400, 'INVALID_BODY');
      expect(pointers(p)).toContain(ptr);
    });

    it('a body that is not an object → 400 naming the root', async () => {
      for (const body of ['[]', '"text"', '42', 'null', 'true']) {
        const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', 'application/json').send(body);
        const p = expectProblem(res, 400, res.body.code === 'INVALID_JSON' ? 'INVALID_JSON' : 'INVALID_BODY');
        expect(p.errors?.length ?? 0).toBeGreaterThan(0);
      }
    });

    it('__proto__ keys → 400 FORBIDDEN_KEY naming the pointer', async () => {
      const raw = JSON.stringify(exampleApplication()).replace('"borrower":{', '"borrower":{"__proto__":{"isAdmin":true},');
      const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', 'application/json').send(raw);
      const p = expectProblem(res, 400, 'FORBIDDEN_KEY');
      expect(pointers(p)).toContain('/borrower/__proto__');
    });

    it('constructor keys → 400 FORBIDDEN_KEY naming the pointer', async () => {
      const a = exampleApplication();
      a.loan.overdueItems = [{ constructor: { prototype: { polluted: true } } }];
      const p = expectProblem(await post(a), 400, 'FORBIDDEN_KEY');
      expect(pointers(p)).toContain('/loan/overdueItems/0/constructor');
      expect(({} as Body).polluted).toBeUndefined();
    });

    it('malformed JSON → 400 INVALID_JSON', async () => {
      for (const raw of ['{"applicationId": ', '{applicationId: "x"}', "{'a': 1}", '{"a":1,}']) {
        const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', 'application/json').send(raw);
        expectProblem(res, 400, 'INVALID_JSON');
      }
    });

    it('an empty body → 400', async () => {
      const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', 'application/json').send('');
      // body-parser reads an empty JSON body as {}, so it is reported as missing fields (INVALID_BODY), not INVALID_JSON
      const p = expectProblem(res, 400, res.body.code === 'INVALID_JSON' ? 'INVALID_JSON' : 'INVALID_BODY');
      expect((p.errors ?? []).length).toBeGreaterThan(0);
    });

    it('non-JSON content type → 415', async () => {
      const json = JSON.stringify(exampleApplication());
      for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
        const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', ct).send(json);
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('no content type → 415', async () => {
      const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(Buffer.from(JSON.stringify(exampleApplication())));
      // supertest sends application/octet-stream for a Buffer
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('body over the limit → 413', async () => {
      const small = await buildTestApp({ bodyLimit: 2048 });
      try {
        const a = exampleApplication();
        a.borrower.hardship.statement = 'x'.repeat(3000);
        const res = await request(small.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(a);
        expectProblem(res, 413, 'BODY_TOO_LARGE');
        // the compact example (about 1.9 KB) is under the limit and still decided
        const fits = await request(small.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication());
        expect(fits.status, fits.text).toBe(200);
        // a small invalid body is still read and validated
        const tiny = await request(small.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send({ applicationId: 'x' });
        expectProblem(tiny, 400, 'INVALID_BODY');
      } finally {
        await small.close();
      }
    });
  });

  describe('Accept-Language', () => {
    const reasonTexts = (d: Body): string[] => [
      ...(d.options as Body[]).flatMap((o) => (o.reasonCodes as Body[]).map((r) => r.text as string)),
      ...((d.accountAction.reasonCodes as Body[]) ?? []).map((r) => r.text as string),
    ];
    const HAN = /\p{Script=Han}/u;

    it('zh gives Chinese reason texts; the English default does not', async () => {
      const zh = await post(declined()).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.5');
      expect(zh.status, zh.text).toBe(200);
      expect(zh.body.language).toBe('zh');
      const zhTexts = reasonTexts(zh.body);
      expect(zhTexts.length).toBeGreaterThan(0);
      expect(zhTexts.some((s) => HAN.test(s))).toBe(true);

      const en = await post(declined());
      expect(en.status).toBe(200);
      expect(en.body.language).toBe('en');
      const enTexts = reasonTexts(en.body);
      expect(enTexts.length).toBeGreaterThan(0);
      for (const s of enTexts) expect(HAN.test(s), s).toBe(false);
      // the same codes are given either way
      expect((zh.body.options as Body[]).map((o) => o.reasonCodes.map((r: Body) => r.code))).toEqual((en.body.options as Body[]).map((o) => o.reasonCodes.map((r: Body) => r.code)));
    });

    it('en ranked above zh keeps English', async () => {
      const res = await post(declined()).set('Accept-Language', 'en;q=1, zh;q=0.5');
      expect(res.status).toBe(200);
      expect(res.body.language).toBe('en');
      for (const s of reasonTexts(res.body)) expect(HAN.test(s)).toBe(false);
    });
  });

  describe('idempotency', () => {
    it('same key and same body twice → same decisionId, the second marked Idempotent-Replayed', async () => {
      const key = `idem-${Date.now()}-a`;
      const first = await post(exampleApplication()).set('Idempotency-Key', key);
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await post(exampleApplication()).set('Idempotency-Key', key);
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.decisionId).toBe(first.body.decisionId);
      expect(second.body).toEqual(first.body);
    });

    it('a body holding a lone surrogate is hashed like any other: a retry is replayed, never a 500', async () => {
      const key = `idem-${Date.now()}-s`;
      const app = exampleApplication();
      app.borrower.hardship.statement = 'income fell \ud800 by half';
      const first = await post(app).set('Idempotency-Key', key);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const second = await post(app).set('Idempotency-Key', key);
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.decisionId).toBe(first.body.decisionId);
    });

    it('same key and a different body → 422 IDEMPOTENCY_CONFLICT', async () => {
      const key = `idem-${Date.now()}-b`;
      expect((await post(exampleApplication()).set('Idempotency-Key', key)).status).toBe(200);
      const other = exampleApplication();
      other.loan.daysPastDue = 5;
      expectProblem(await post(other).set('Idempotency-Key', key), 422, 'IDEMPOTENCY_CONFLICT');
    });

    it('no key → two different decision ids', async () => {
      const a = await post(exampleApplication());
      const b = await post(exampleApplication());
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(a.body.decisionId).not.toBe(b.body.decisionId);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
    });

    it('keys are scoped per caller', async () => {
      const key = `idem-${Date.now()}-c`;
      const mine = await post(exampleApplication(), TOKENS.decide).set('Idempotency-Key', key);
      const theirs = await post(exampleApplication(), TOKENS.admin).set('Idempotency-Key', key);
      expect(mine.status).toBe(200);
      expect(theirs.status).toBe(200);
      expect(theirs.body.decisionId).not.toBe(mine.body.decisionId);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      // and another caller's different body under the same key is no conflict
      const differentBody = await post(declined(), TOKENS.admin).set('Idempotency-Key', `${key}-x`);
      expect(differentBody.status).toBe(200);
      const mineAgain = await post(declined(), TOKENS.decide).set('Idempotency-Key', `${key}-x`);
      expect(mineAgain.status).toBe(200);
      expect(mineAgain.body.decisionId).not.toBe(differentBody.body.decisionId);
    });

    it('concurrent requests with the same key and body all get the one decision', async () => {
      const key = `idem-${Date.now()}-d`;
      const all = await Promise.all(Array.from({ length: 5 }, () => post(exampleApplication()).set('Idempotency-Key', key)));
      for (const r of all) expect(r.status, r.text).toBe(200);
      expect(new Set(all.map((r) => r.body.decisionId)).size).toBe(1);
      expect(all.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    });

    it('a retry whose JSON differs only in key order or whitespace is the same request', async () => {
      const key = `idem-${Date.now()}-e`;
      const a = exampleApplication();
      const first = await post(a).set('Idempotency-Key', key);
      expect(first.status).toBe(200);
      const spaced = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Idempotency-Key', key).set('Content-Type', 'application/json').send(JSON.stringify(a, null, 2));
      expect(spaced.status, spaced.text).toBe(200);
      expect(spaced.body.decisionId).toBe(first.body.decisionId);
      // JSON objects are unordered (RFC 8259): the same members in another order are the same body
      const reordered: Body = {};
      for (const k of Object.keys(a).reverse()) reordered[k] = a[k];
      const again = await post(reordered).set('Idempotency-Key', key);
      expect(again.status, again.text).toBe(200);
      expect(again.body.decisionId).toBe(first.body.decisionId);
    });

    it('an invalid Idempotency-Key header → 400', async () => {
      expectProblem(await post(exampleApplication()).set('Idempotency-Key', 'k'.repeat(129)), 400, 'INVALID_BODY');
    });
  });

  describe('policy pinning', () => {
    it('Tideover-Policy-Version with the decide-only token → 403', async () => {
      expectProblem(await post(exampleApplication(), TOKENS.decide).set('Tideover-Policy-Version', '1.0.0'), 403, 'FORBIDDEN');
    });

    it('with the admin token → 200 and policy.selectedBy says pinned', async () => {
      const res = await post(exampleApplication(), TOKENS.admin).set('Tideover-Policy-Version', '1.0.0');
      expect(res.status, res.text).toBe(200);
      expect(res.body.policy.version).toBe('1.0.0');
      expect(res.body.policy.selectedBy).toMatch(/pinned/i);
    });

    it('policyId@version form works too', async () => {
      const res = await post(exampleApplication(), TOKENS.admin).set('Tideover-Policy-Version', 'restructuring@1.0.0');
      expect(res.status, res.text).toBe(200);
      expect(res.body.policy.selectedBy).toMatch(/pinned/i);
    });

    it('an unknown version → 422 NO_POLICY', async () => {
      expectProblem(await post(exampleApplication(), TOKENS.admin).set('Tideover-Policy-Version', '9.9.9'), 422, 'NO_POLICY');
      expectProblem(await post(exampleApplication(), TOKENS.admin).set('Tideover-Policy-Version', 'other@1.0.0'), 422, 'NO_POLICY');
    });

    it('a malformed version header → 400', async () => {
      expectProblem(await post(exampleApplication(), TOKENS.admin).set('Tideover-Policy-Version', 'latest'), 400, 'INVALID_BODY');
    });
  });

  describe('schema-valid far-future dates (found by test/property/hostile-bodies.test.ts)', () => {
    // The schema accepts any calendar date up to 9999-12-31; date arithmetic past year 9999 must not become a 500.
    it.each([
      ['loan.nextDueDate in year 9999', (a: Body) => (a.loan.nextDueDate = '9999-06-30')],
      ['an ACTIVE prior plan effective in year 9999', (a: Body) => (a.loan.priorRestructurings = [{ type: 'INSTALLMENT', effectiveDate: '9999-12-31', status: 'ACTIVE' }])],
      ['receivedAt on 9999-12-31', (a: Body) => (a.receivedAt = '9999-12-31T00:00:00Z')],
    ] as [string, (a: Body) => unknown][])('%s → a decision or a 4xx problem, never a 5xx', async (_what, mutate) => {
      const a = exampleApplication();
      mutate(a);
      const res = await post(a);
      expect(res.status, res.text).toBeLessThan(500);
      if (res.status !== 200) expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  it('an application received before any policy is effective → 422 NO_POLICY', async () => {
    const a = exampleApplication();
    a.receivedAt = '2020-01-01T00:00:00Z';
    expectProblem(await post(a), 422, 'NO_POLICY');
  });
});

describe('a decision is not answered without its record', () => {
  it('closed audit store → 503 AUDIT_UNAVAILABLE problem and nothing else', async () => {
    const t = await buildTestApp();
    await t.audit.close();
    const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication());
    const p = expectProblem(res, 503, 'AUDIT_UNAVAILABLE');
    const body = JSON.parse(res.text) as Body;
    expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['code', 'detail', 'status', 'title', 'type']));
    for (const leak of ['decisionId', 'options', 'accountAction', 'explanation', 'policy']) expect(body[leak]).toBeUndefined();
    expect(res.text).not.toContain('APP-2026-000123');
    expect(p.detail).not.toMatch(/sqlite|database|stack/i);
    // with an idempotency key too (the lookup itself fails)
    const keyed = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Idempotency-Key', 'k1').send(exampleApplication());
    expectProblem(keyed, 503, 'AUDIT_UNAVAILABLE');
    // and readiness reports it
    expect((await request(t.app).get('/readyz')).status).toBe(503);
  });
});

describe('the audit trail over HTTP', () => {
  let t: TestApp;
  const made: Body[] = [];
  const audit = (path: string) => request(t.app).get(path).set('Authorization', bearer(TOKENS.audit));

  beforeAll(async () => {
    t = await buildTestApp();
    const decide = async (a: Body) => {
      const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(a);
      expect(res.status, res.text).toBe(200);
      made.push(res.body as Body);
      return res.body as Body;
    };
    for (let i = 0; i < 4; i++) {
      const a = exampleApplication();
      a.applicationId = `APP-LIST-${i}`;
      await decide(a);
    }
    for (let i = 0; i < 3; i++) {
      const a = declined();
      a.applicationId = `APP-FRAUD-${i}`;
      a.borrower.borrowerId = 'B-FRAUD';
      await decide(a);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /v1/decisions/:id returns the recorded decision (rule trees left out) as soon as the 200 was answered, and ?explain=full the answer itself', async () => {
    // a fresh decision, read back immediately: the record was durable before the answer
    const res = await request(t.app).post('/v1/decisions?explain=full').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication());
    expect(res.status).toBe(200);
    made.push(res.body as Body);
    const got = await audit(`/v1/decisions/${res.body.decisionId}`);
    expect(got.status, got.text).toBe(200);
    expect(got.body.decisionId).toBe(res.body.decisionId);
    expect(got.body.decision.decisionId).toBe(res.body.decisionId);
    expect(got.body.decision.options).toEqual(res.body.options);
    const { rules, ...recordedExplanation } = res.body.explanation;
    expect(rules.length).toBeGreaterThan(50);
    expect(got.body.decision).toEqual({ ...res.body, explanation: recordedExplanation });
    expect(got.body.requestHash).toBeUndefined();
    const full = await audit(`/v1/decisions/${res.body.decisionId}?explain=full`);
    expect(full.status, full.text).toBe(200);
    expect(full.body.decision).toEqual(res.body);
    expect(full.body.hash).toBe(got.body.hash);
    const bad = await audit(`/v1/decisions/${res.body.decisionId}?explain=rules`);
    expectProblem(bad, 400, 'INVALID_BODY');
    expect(bad.body.errors[0].pointer).toBe('/query/explain');
    // the trail holds a keyed hash, never the raw borrower id
    expect(JSON.stringify(got.body.borrowerIdHash)).not.toContain('B-88213');
  });

  it('GET /v1/decisions/:id of an unknown id → 404 problem', async () => {
    expectProblem(await audit('/v1/decisions/no-such-decision'), 404, 'NOT_FOUND');
  });

  it('lists by applicationId', async () => {
    const res = await audit('/v1/decisions?applicationId=APP-LIST-2');
    expect(res.status, res.text).toBe(200);
    expect(res.body.records).toHaveLength(1);
    expect(res.body.records[0].applicationId).toBe('APP-LIST-2');
    expect(res.body.records[0].decisionId).toBe(made[2]!.decisionId);
  });

  it('lists by borrowerId (matched through the keyed hash)', async () => {
    const res = await audit('/v1/decisions?borrowerId=B-FRAUD');
    expect(res.status, res.text).toBe(200);
    expect((res.body.records as Body[]).map((r) => r.applicationId).sort()).toEqual(['APP-FRAUD-0', 'APP-FRAUD-1', 'APP-FRAUD-2']);
  });

  it('lists by option and decision together', async () => {
    const res = await audit('/v1/decisions?option=PENALTY_WAIVER&decision=DECLINE');
    expect(res.status, res.text).toBe(200);
    const ids = (res.body.records as Body[]).map((r) => r.applicationId as string).sort();
    expect(ids).toEqual(['APP-FRAUD-0', 'APP-FRAUD-1', 'APP-FRAUD-2']);
    const frozen = await audit('/v1/decisions?option=ACCOUNT_ACTION&decision=FREEZE');
    expect((frozen.body.records as Body[]).map((r) => r.applicationId as string).sort()).toEqual(['APP-FRAUD-0', 'APP-FRAUD-1', 'APP-FRAUD-2']);
  });

  it('pages with limit and cursor, without duplicates or gaps', async () => {
    const all = await audit('/v1/decisions?limit=1000');
    expect(all.status).toBe(200);
    const expected = (all.body.records as Body[]).map((r) => r.decisionId as string);
    expect(expected.length).toBeGreaterThanOrEqual(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await audit(`/v1/decisions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      expect((res.body.records as Body[]).length).toBeLessThanOrEqual(2);
      seen.push(...(res.body.records as Body[]).map((r) => r.decisionId as string));
      cursor = res.body.nextCursor as string | undefined;
      pages++;
      expect(pages).toBeLessThan(50);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 2));
  });

  it.each(['from=2026-02-30', 'to=2026-04-31', 'from=2026-02-29T00:00:00Z'])('rejects an impossible calendar date in the range (%s) with 400', async (q) => {
    const name = q.split('=')[0]!;
    for (const path of ['/v1/decisions', '/v1/decisions/export']) {
      const p = expectProblem(await audit(`${path}?${q}`), 400, 'INVALID_BODY');
      expect(pointers(p)).toContain(`/query/${name}`);
    }
  });

  it('rejects bad list queries with 400 naming the parameter', async () => {
    const p = expectProblem(await audit('/v1/decisions?limit=0&option=NOPE&color=red'), 400, 'INVALID_BODY');
    expect(pointers(p)).toEqual(expect.arrayContaining(['/query/limit', '/query/option', '/query/color']));
  });

  it('export returns one NDJSON line per record', async () => {
    const res = await audit('/v1/decisions/export').buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = res.body as string;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').filter((l) => l.length > 0);
    const records = lines.map((l) => JSON.parse(l) as Body);
    expect(records.length).toBe(made.length);
    expect(records.map((r) => r.decisionId)).toEqual(made.map((d) => d.decisionId));
    for (const r of records) expect(r.requestHash).toBeUndefined();
  });

  it('verify returns ok true with the right record count', async () => {
    const res = await audit('/v1/audit/verify');
    expect(res.status, res.text).toBe(200);
    expect(res.body.ok).toBe(true);
    // The chain also holds the policy publications recorded at start (files imported as published versions).
    const events = (await audit('/v1/audit/events')).body.events as unknown[];
    expect(events.length).toBeGreaterThan(0);
    expect(res.body.records).toBe(made.length + events.length);
  });

  it('replay returns identical true', async () => {
    for (const d of [made[0]!, made[4]!]) {
      const res = await request(t.app).post(`/v1/decisions/${d.decisionId}/replay`).set('Authorization', bearer(TOKENS.audit));
      expect(res.status, res.text).toBe(200);
      expect(res.body.decisionId).toBe(d.decisionId);
      expect(res.body.identical).toBe(true);
      expect(res.body.differences).toEqual([]);
    }
  });

  it('replay of an unknown id → 404', async () => {
    expectProblem(await request(t.app).post('/v1/decisions/nope/replay').set('Authorization', bearer(TOKENS.audit)), 404, 'NOT_FOUND');
  });
});

describe('explain levels', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('the default answer explains only the fired rules (explain=fired), explain=full every rule and explain=none no rule trees, while the trail can rebuild them all', async () => {
    const post = (q: string) => request(t.app).post(`/v1/decisions${q}`).set('Authorization', `Bearer ${TOKENS.decide}`).send(exampleApplication());
    const full = await post('?explain=full');
    const byDefault = await post('');
    const fired = await post('?explain=fired');
    const none = await post('?explain=none');
    expect(full.body.explanation.rules.some((r: { fired: boolean }) => !r.fired)).toBe(true);
    expect(fired.body.explanation.rules.length).toBeGreaterThan(0);
    expect(fired.body.explanation.rules.every((r: { fired: boolean }) => r.fired)).toBe(true);
    expect(fired.body.explanation.rules).toEqual(full.body.explanation.rules.filter((r: { fired: boolean }) => r.fired));
    expect(byDefault.body.explanation).toEqual(fired.body.explanation);
    expect(byDefault.body.options).toEqual(full.body.options);
    expect(JSON.stringify(byDefault.body).length).toBeLessThan(JSON.stringify(full.body).length / 2);
    expect(none.body.explanation).toMatchObject({ rules: [], firedRules: full.body.explanation.firedRules });
    const record = await request(t.app).get(`/v1/decisions/${none.body.decisionId}?explain=full`).set('Authorization', `Bearer ${TOKENS.audit}`);
    expect(record.body.decision.explanation.rules).toHaveLength(full.body.explanation.rules.length);
    const bad = await post('?explain=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/query/explain');
  });
});
