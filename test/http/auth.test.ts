import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ROUTES as OPENAPI_ROUTES } from '../../src/adapters/http/openapi.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, exampleApplication, ROOT, TOKENS, type TestApp } from '../helpers/app.js';

const PROBLEM = /^application\/problem\+json/;
const bearer = (t: string) => `Bearer ${t}`;
type Token = keyof typeof TOKENS;

let t: TestApp;
let decisionId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const res = await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication());
  expect(res.status, res.text).toBe(200);
  decisionId = res.body.decisionId as string;
});
afterAll(async () => {
  await t.close();
});

interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: () => string;
  body?: () => object | string;
  /** Content-Type of a text body (YAML drafts). */
  type?: string;
  /** The status the right role gets when a 2xx needs state this table does not build (an unknown change: 404). */
  rightStatus?: number;
  /** A token whose key lacks every role the route accepts (none for routes any role may call). */
  wrong: Token[];
  right: Token[];
}

const POLICY_TEXT = readFileSync(join(ROOT, 'policies', 'restructuring', '1.0.0.yaml'), 'utf8');
const SCHEDULE = { principal: '50000.00', annualRate: '0.108', termMonths: 12, method: 'EQUAL_INSTALLMENT' };

const ROUTES: Record<string, Route> = {
  'POST /v1/decisions': { method: 'post', path: () => '/v1/decisions', body: exampleApplication, wrong: ['audit', 'none'], right: ['decide', 'admin'] },
  'POST /v1/schedules': { method: 'post', path: () => '/v1/schedules', body: () => SCHEDULE, wrong: ['audit', 'none'], right: ['decide', 'admin'] },
  'GET /v1/policies': { method: 'get', path: () => '/v1/policies', wrong: [], right: ['decide', 'audit', 'admin', 'none', 'author', 'approver'] },
  'GET /v1/decisions/:id': { method: 'get', path: () => `/v1/decisions/${decisionId}`, wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  'GET /v1/decisions': { method: 'get', path: () => '/v1/decisions?limit=5', wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  'GET /v1/decisions/export': { method: 'get', path: () => '/v1/decisions/export', wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  'POST /v1/decisions/:id/replay': { method: 'post', path: () => `/v1/decisions/${decisionId}/replay`, wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  'GET /v1/audit/verify': { method: 'get', path: () => '/v1/audit/verify', wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  'GET /v1/policies/status': { method: 'get', path: () => '/v1/policies/status', wrong: ['decide', 'audit'], right: ['admin', 'none'] },
  'POST /v1/policies/reload': { method: 'post', path: () => '/v1/policies/reload', wrong: ['decide', 'audit'], right: ['admin', 'none'] },
  'POST /v1/policies/validate': { method: 'post', path: () => '/v1/policies/validate', body: () => ({ policy: POLICY_TEXT, fileName: '1.0.0.yaml' }), wrong: ['decide', 'audit', 'screen'], right: ['admin', 'none', 'author', 'approver'] },
  'GET /v1/policies/shadow': { method: 'get', path: () => '/v1/policies/shadow', wrong: ['decide', 'audit'], right: ['admin', 'none'] },
  'POST /v1/simulations': {
    method: 'post',
    path: () => '/v1/simulations',
    body: () => ({ baseline: { version: '1.0.0' }, candidate: { version: '1.0.0' }, applications: [exampleApplication()] }),
    wrong: ['decide', 'audit'],
    right: ['admin', 'none'],
  },
  // Publication: authors write drafts, approvers decide changes; the draft `authz` lives through these rows in order.
  'GET /v1/policy-drafts': { method: 'get', path: () => '/v1/policy-drafts', wrong: ['decide', 'audit'], right: ['author', 'approver', 'admin'] },
  'PUT /v1/policy-drafts/:policyId': { method: 'put', path: () => '/v1/policy-drafts/authz', type: 'application/yaml', body: () => POLICY_TEXT, wrong: ['decide', 'approver', 'admin'], right: ['author'] },
  'PUT /v1/policy-drafts/:policyId/tests': { method: 'put', path: () => '/v1/policy-drafts/authz/tests', type: 'application/yaml', body: () => 'cases: []\n', wrong: ['decide', 'approver', 'admin'], right: ['author'] },
  'GET /v1/policy-drafts/:policyId': { method: 'get', path: () => '/v1/policy-drafts/authz', wrong: ['decide', 'audit'], right: ['author', 'approver', 'admin'] },
  'POST /v1/policy-drafts/:policyId/try': { method: 'post', path: () => '/v1/policy-drafts/authz/try', body: exampleApplication, wrong: ['decide', 'admin'], right: ['author', 'approver'] },
  'POST /v1/policy-drafts/:policyId/submit': { method: 'post', path: () => '/v1/policy-drafts/authz/submit', wrong: ['decide', 'approver', 'admin'], right: ['author'], rightStatus: 422 },
  'DELETE /v1/policy-drafts/:policyId': { method: 'delete', path: () => '/v1/policy-drafts/authz', wrong: ['decide', 'approver', 'admin'], right: ['author'] },
  'GET /v1/policy-changes': { method: 'get', path: () => '/v1/policy-changes?status=PENDING', wrong: ['decide', 'audit'], right: ['author', 'approver', 'admin'] },
  'GET /v1/policy-changes/:id': { method: 'get', path: () => '/v1/policy-changes/unknown', wrong: ['decide', 'audit'], right: ['author', 'approver', 'admin'], rightStatus: 404 },
  'POST /v1/policy-changes/:id/approve': { method: 'post', path: () => '/v1/policy-changes/unknown/approve', body: () => ({}), wrong: ['decide', 'author', 'admin'], right: ['approver'], rightStatus: 404 },
  'POST /v1/policy-changes/:id/reject': { method: 'post', path: () => '/v1/policy-changes/unknown/reject', body: () => ({ reason: 'x' }), wrong: ['decide', 'author', 'admin'], right: ['approver'], rightStatus: 404 },
  'POST /v1/policies/:policyId/rollback': { method: 'post', path: () => '/v1/policies/restructuring/rollback', body: () => ({ toVersion: '9.9.9' }), wrong: ['decide', 'approver', 'admin'], right: ['author'], rightStatus: 404 },
  'GET /v1/audit/events': { method: 'get', path: () => '/v1/audit/events', wrong: ['decide', 'author', 'approver'], right: ['audit', 'admin'] },
  'GET /v1/policies/:policyId/versions/:version': { method: 'get', path: () => '/v1/policies/restructuring/versions/1.0.0', wrong: ['decide', 'screen'], right: ['author', 'approver', 'none', 'audit'] },
  'POST /v1/policies/diff': { method: 'post', path: () => '/v1/policies/diff', body: () => ({ baseline: { version: 'restructuring@1.0.0' }, candidate: { policy: POLICY_TEXT } }), wrong: ['decide', 'audit', 'screen'], right: ['author', 'approver', 'none'] },
  // Arrangements and the outcome report (docs/forbearance.md); accepting the same offer twice gives the same arrangement.
  'POST /v1/arrangements': { method: 'post', path: () => '/v1/arrangements', body: () => ({ decisionId, option: 'PERSONALISED_PLAN', acceptedAt: new Date().toISOString() }), wrong: ['audit', 'none'], right: ['decide', 'admin'] },
  'GET /v1/arrangements': { method: 'get', path: () => '/v1/arrangements?loanId=L-55001', wrong: ['audit', 'none'], right: ['decide', 'admin'] },
  'GET /v1/arrangements/:id': { method: 'get', path: () => '/v1/arrangements/unknown', wrong: ['audit', 'none'], right: ['decide', 'admin'], rightStatus: 404 },
  'POST /v1/arrangements/:id/payments': { method: 'post', path: () => '/v1/arrangements/unknown/payments', body: () => ({ dueDate: '2026-03-15', paidOn: '2026-03-15', amount: '1.00' }), wrong: ['audit', 'none'], right: ['decide', 'admin'], rightStatus: 404 },
  'GET /v1/reports/outcomes': { method: 'get', path: () => '/v1/reports/outcomes?from=2026-01-01&to=2026-12-31', wrong: ['decide', 'none'], right: ['audit', 'admin'] },
  // Book screening (docs/screening.md): only keys with the screen role.
  'POST /v1/screenings': { method: 'post', path: () => '/v1/screenings', type: 'text/csv', body: () => 'loanId\nL-1\n', wrong: ['decide', 'audit', 'admin'], right: ['screen'], rightStatus: 202 },
  'GET /v1/screenings/:id': { method: 'get', path: () => '/v1/screenings/unknown', wrong: ['decide', 'audit', 'admin'], right: ['screen'], rightStatus: 404 },
  'GET /v1/screenings/:id/results': { method: 'get', path: () => '/v1/screenings/unknown/results', wrong: ['decide', 'audit', 'admin'], right: ['screen'], rightStatus: 404 },
  'GET /v1/outreach': { method: 'get', path: () => '/v1/outreach?dueBy=2026-12-31', wrong: ['decide', 'audit', 'admin'], right: ['screen'] },
};

it('every route the OpenAPI document marks as protected is in this table', () => {
  const protectedRoutes = Object.entries(OPENAPI_ROUTES).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.roles)
      .map(([method]) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  expect(protectedRoutes.filter((r) => !(r in ROUTES))).toEqual([]);
});

function call(route: Route, authorization?: string) {
  let req = request(t.app)[route.method](route.path());
  if (authorization !== undefined) req = req.set('Authorization', authorization);
  if (route.type) req = req.set('Content-Type', route.type);
  return route.body ? req.send(route.body()) : req;
}

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  const p = JSON.parse(res.text) as { status: number; code: string; type: string; title: string };
  expect(p).toMatchObject({ status, code });
  return p;
}

describe.each(Object.entries(ROUTES))('%s', (_name, route) => {
  it('without a token → 401 problem+json with WWW-Authenticate', async () => {
    const res = await call(route);
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  it('with an unknown or malformed token → 401', async () => {
    for (const auth of ['Bearer tok-unknown-0123456789', `Basic ${Buffer.from('a:b').toString('base64')}`, `bearer ${TOKENS.admin}`, `Bearer  ${TOKENS.admin}`, TOKENS.admin, 'Bearer short']) {
      const res = await call(route, auth);
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    }
  });

  if (route.wrong.length)
    it('with a token lacking the role → 403', async () => {
      for (const tok of route.wrong) {
        const res = await call(route, bearer(TOKENS[tok]));
        expectProblem(res, 403, 'FORBIDDEN');
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
    });

  it('with the right role → 2xx', async () => {
    for (const tok of route.right) {
      const res = await call(route, bearer(TOKENS[tok]));
      if (route.rightStatus) {
        expect(res.status, `${tok}: ${res.text.slice(0, 300)}`).toBe(route.rightStatus);
        continue;
      }
      expect(res.status, `${tok}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    }
  });
});

describe('open routes', () => {
  it.each(['/healthz', '/readyz', '/metrics'])('%s answers 200 without a token', async (path) => {
    const res = await request(t.app).get(path);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('/healthz and /readyz report their status', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).toMatchObject({ status: 'ready', checks: { policies: 'ok', audit: 'ok' } });
  });

  it('/metrics is Prometheus text', async () => {
    const res = await request(t.app).get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# (HELP|TYPE) /m);
  });

  it('an unknown route → 404 problem, not a 401 hint about what exists', async () => {
    const res = await request(t.app).get('/v1/nothing-here');
    expectProblem(res, 404, 'NOT_FOUND');
  });
});

describe('secrets and personal data stay out of the logs', () => {
  it('after requests with every token, no log line holds a token, the borrower id or the income', async () => {
    const before = t.logs.length;
    for (const [name, tok] of Object.entries(TOKENS) as [Token, string][]) {
      for (const route of Object.values(ROUTES)) await call(route, bearer(tok));
      // a token in the wrong place, a bad body carrying personal data, a near-miss token
      await request(t.app).post('/v1/decisions').set('Authorization', bearer(tok)).set('Idempotency-Key', tok).send(exampleApplication());
      const bad = exampleApplication();
      bad.borrower.monthlyIncomeAfter = 14000;
      bad.borrower.riskScore = 'B-88213';
      await request(t.app).post('/v1/decisions').set('Authorization', bearer(tok)).send(bad);
      await request(t.app).post('/v1/decisions').set('Authorization', bearer(tok)).set('Content-Type', 'application/json').send('{"borrowerId":"B-88213","income":"14000.00",');
      await request(t.app).get(`/v1/decisions?borrowerId=B-88213`).set('Authorization', bearer(tok));
      await request(t.app).get(`/v1/nothing?token=${tok}`).set('Authorization', bearer(`${tok}x`));
      await request(t.app).post('/v1/decisions').set('Authorization', bearer(tok)).set('Tideover-Policy-Version', '1.0.0').send(exampleApplication());
      expect(name).toBeTruthy();
    }
    await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.admin)).set('Accept-Language', 'zh').send(exampleApplication());
    const lines = t.logs.slice(before);
    expect(lines.length).toBeGreaterThan(40); // the requests were logged
    for (const line of t.logs) {
      for (const tok of Object.values(TOKENS)) expect(line, 'a token leaked into the logs').not.toContain(tok);
      expect(line, 'the borrower id leaked into the logs').not.toContain('B-88213');
      expect(line, 'the income leaked into the logs').not.toContain('14000.00');
    }
  });
});

describe('rate limit', () => {
  it('the 4th request within a minute with the same key gets 429 problem+json with Retry-After', async () => {
    const limited = await buildTestApp({ rateLimitPerMinute: 3 });
    try {
      const get = (tok: string) => request(limited.app).get('/v1/policies').set('Authorization', bearer(tok));
      for (let i = 0; i < 3; i++) expect((await get(TOKENS.decide)).status).toBe(200);
      const fourth = await get(TOKENS.decide);
      expectProblem(fourth, 429, 'RATE_LIMITED');
      const retry = Number(fourth.headers['retry-after']);
      expect(Number.isInteger(retry)).toBe(true);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      // still limited on other routes for the same key
      const post = await request(limited.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication());
      expectProblem(post, 429, 'RATE_LIMITED');
      // another key has its own window
      expect((await get(TOKENS.audit)).status).toBe(200);
      // the open health routes are not limited
      expect((await request(limited.app).get('/healthz')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
