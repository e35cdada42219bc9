import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, exampleApplication, TOKENS, type TestApp } from '../helpers/app.js';
import { dataDir, startService, TOKEN, type Service } from '../helpers/service.js';

// Operational surface: Prometheus metrics (against a real service process, where the composition root wires the
// decision, audit and reload counters), readiness, security headers, CORS off by default, 404s, and no internals
// in any answer.

const PROBLEM = /^application\/problem\+json/;
const bearer = (t: string) => `Bearer ${t}`;

/** Stack frames, source positions and internal paths that must never reach a client. */
const INTERNALS: [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>]+ \(|\bat (?:file:|node:|\/|async )|\n\s+at /],
  ['/src/', /\/src\//],
  ['node_modules', /node_modules/],
  ['Error:', /Error:/],
  ['source position', /\.[jt]s:\d+/],
];

function expectNoInternals(what: string, res: request.Response): void {
  const text = `${JSON.stringify(res.headers)}\n${res.text ?? ''}`;
  for (const [name, re] of INTERNALS) expect(re.test(text), `${what} leaks ${name}: ${text.slice(0, 800)}`).toBe(false);
  expect(text.includes(process.cwd()), `${what} leaks the working directory`).toBe(false);
}

// ---------------------------------------------------------------------------------------------------------------
// Prometheus text format

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return out;
}

/** The sum of the samples named `name` whose labels include `match` (0 when none exists yet). */
function value(samples: Sample[], name: string, match: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

function has(samples: Sample[], name: string, match: Record<string, string> = {}): boolean {
  return samples.some((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

describe('GET /metrics on a real service process (RATE_LIMIT_PER_MINUTE=2)', () => {
  let svc: Service;
  const base = () => `http://127.0.0.1:${svc.port}`;
  /** Calls that count against the key's per-minute limit, in order: a decision, a reload, then a refused one. */
  let limited = 0;

  const scrape = async (): Promise<Sample[]> => {
    const res = await request(base()).get('/metrics').timeout(10_000);
    expect(res.status).toBe(200);
    return parseMetrics(res.text);
  };
  /** Scrapes until `ok` holds (the latency histogram is observed when the response closes), at most 2 s. */
  const scrapeUntil = async (ok: (s: Sample[]) => boolean): Promise<Sample[]> => {
    let s = await scrape();
    for (let i = 0; i < 40 && !ok(s); i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await scrape();
    }
    return s;
  };

  beforeAll(async () => {
    svc = await startService(dataDir(), { RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    if (!svc || svc.proc.exitCode !== null || svc.proc.signalCode !== null) return;
    svc.proc.kill('SIGTERM');
    const timer = setTimeout(() => svc.proc.kill('SIGKILL'), 10_000);
    await svc.exited;
    clearTimeout(timer);
  });

  it('is open (no token), Prometheus text, and lists every tideover metric with process defaults', async () => {
    const res = await request(base()).get('/metrics').timeout(10_000);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*\bversion=0\.0\.4/);
    for (const name of [
      'tideover_decisions_total',
      'tideover_account_actions_total',
      'tideover_http_request_duration_seconds',
      'tideover_audit_commit_seconds',
      'tideover_policy_reloads_total',
      'tideover_rate_limited_total',
    ])
      expect(res.text, name).toContain(`# TYPE ${name} `);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).not.toContain(TOKEN);
  });

  it('a decision increments tideover_decisions_total for each option and decision, and records audit commit time and HTTP latency', async () => {
    const before = await scrape();
    const res = await request(base()).post('/v1/decisions').set('Authorization', bearer(TOKEN)).send(exampleApplication()).timeout(15_000);
    limited++;
    expect(res.status, res.text).toBe(200);
    const options = res.body.options as { option: string; decision: string }[];
    expect(options.length).toBeGreaterThan(0);

    const route = { route: '/v1/decisions', method: 'POST', status: '200' };
    const after = await scrapeUntil((s) => value(s, 'tideover_http_request_duration_seconds_count', route) > value(before, 'tideover_http_request_duration_seconds_count', route));

    const expected = new Map<string, number>();
    for (const o of options) expected.set(`${o.option}/${o.decision}`, (expected.get(`${o.option}/${o.decision}`) ?? 0) + 1);
    for (const [key, n] of expected) {
      const [option, decision] = key.split('/') as [string, string];
      expect(has(after, 'tideover_decisions_total', { option, decision }), `tideover_decisions_total{option="${option}",decision="${decision}"}`).toBe(true);
      expect(value(after, 'tideover_decisions_total', { option, decision }) - value(before, 'tideover_decisions_total', { option, decision }), key).toBe(n);
    }
    expect(value(after, 'tideover_decisions_total') - value(before, 'tideover_decisions_total')).toBe(options.length);
    expect(value(after, 'tideover_account_actions_total', { action: res.body.accountAction.action }) - value(before, 'tideover_account_actions_total', { action: res.body.accountAction.action })).toBe(1);

    // The audit commit histogram saw exactly this one append.
    expect(value(after, 'tideover_audit_commit_seconds_count') - value(before, 'tideover_audit_commit_seconds_count')).toBe(1);
    expect(value(after, 'tideover_audit_commit_seconds_bucket', { le: '+Inf' }) - value(before, 'tideover_audit_commit_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(value(after, 'tideover_audit_commit_seconds_sum')).toBeGreaterThan(0);

    // The latency histogram has buckets for the matched route, method and status, cumulative up to +Inf.
    const buckets = after.filter((s) => s.name === 'tideover_http_request_duration_seconds_bucket' && Object.entries(route).every(([k, v]) => s.labels[k] === v));
    expect(buckets.length).toBeGreaterThan(1);
    expect(buckets.map((b) => b.labels.le)).toContain('+Inf');
    const inf = buckets.find((b) => b.labels.le === '+Inf')!;
    expect(inf.value).toBeGreaterThanOrEqual(1);
    const finite = buckets.filter((b) => b.labels.le !== '+Inf').sort((a, b) => Number(a.labels.le) - Number(b.labels.le));
    for (let i = 1; i < finite.length; i++) expect(finite[i]!.value).toBeGreaterThanOrEqual(finite[i - 1]!.value);
    expect(inf.value).toBeGreaterThanOrEqual(finite.at(-1)!.value);
    expect(value(after, 'tideover_http_request_duration_seconds_count', route)).toBe(inf.value);
  });

  it('POST /v1/policies/reload increments tideover_policy_reloads_total{result="ok"}', async () => {
    const before = await scrape();
    const res = await request(base()).post('/v1/policies/reload').set('Authorization', bearer(TOKEN)).timeout(15_000);
    limited++;
    expect(res.status, res.text).toBe(200);
    const after = await scrape();
    expect(has(after, 'tideover_policy_reloads_total', { result: 'ok' })).toBe(true);
    expect(value(after, 'tideover_policy_reloads_total', { result: 'ok' }) - value(before, 'tideover_policy_reloads_total', { result: 'ok' })).toBe(1);
    expect(value(after, 'tideover_policy_reloads_total', { result: 'failed' })).toBe(0);
  });

  it('the third call in the minute is 429 with Retry-After and counts in tideover_rate_limited_total; open routes stay open', async () => {
    expect(limited).toBe(2); // the decision and the reload above used the key's two calls
    const before = await scrape();
    expect(value(before, 'tideover_rate_limited_total')).toBe(0);
    const res = await request(base()).get('/v1/policies').set('Authorization', bearer(TOKEN)).timeout(10_000);
    expect(res.status, res.text).toBe(429);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retry = Number(res.headers['retry-after']);
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expectNoInternals('429', res);

    const after = await scrapeUntil((s) => has(s, 'tideover_http_request_duration_seconds_count', { status: '429' }));
    expect(value(after, 'tideover_rate_limited_total') - value(before, 'tideover_rate_limited_total')).toBe(1);
    expect(has(after, 'tideover_http_request_duration_seconds_bucket', { method: 'GET', status: '429' })).toBe(true);
    // Liveness, readiness and metrics are mounted before the limiter.
    expect((await request(base()).get('/healthz').timeout(10_000)).status).toBe(200);
    expect((await request(base()).get('/readyz').timeout(10_000)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// In process

describe('readiness, security headers, CORS, 404 and error bodies (in process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('GET /readyz is 200 with every check ok when policies are loaded and the audit store can write', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { policies: 'ok', audit: 'ok' } });
  });

  it('helmet headers are on every kind of answer, and X-Powered-By on none', async () => {
    const answers: [string, request.Response][] = [
      ['GET /healthz', await request(t.app).get('/healthz')],
      ['GET /metrics', await request(t.app).get('/metrics')],
      ['GET /nope (404)', await request(t.app).get('/nope')],
      ['POST /v1/decisions without a token (401)', await request(t.app).post('/v1/decisions').send({})],
      ['POST /v1/decisions invalid JSON (400)', await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).set('Content-Type', 'application/json').send('{')],
      ['POST /v1/decisions (200)', await request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication())],
    ];
    for (const [what, res] of answers) {
      const h = res.headers;
      expect(h['x-content-type-options'], what).toBe('nosniff');
      expect(h['x-frame-options'], what).toBe('SAMEORIGIN');
      expect(h['content-security-policy'], what).toMatch(/default-src 'self'/);
      expect(h['content-security-policy'], what).toMatch(/object-src 'none'/);
      expect(h['strict-transport-security'], what).toMatch(/max-age=\d+/);
      expect(h['referrer-policy'], what).toBe('no-referrer');
      expect(h['cross-origin-opener-policy'], what).toBe('same-origin');
      expect(h['x-dns-prefetch-control'], what).toBe('off');
      expect(h['x-powered-by'], what).toBeUndefined();
      expect(h['x-request-id'], what).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(answers.at(-1)![1].status).toBe(200);
  });

  it('sends no CORS headers by default, whatever the Origin, including preflights', async () => {
    const origins = ['https://evil.example', 'null', 'http://127.0.0.1', '*'];
    for (const origin of origins) {
      const answers: [string, request.Response][] = [
        ['GET /healthz', await request(t.app).get('/healthz').set('Origin', origin)],
        ['POST /v1/decisions', await request(t.app).post('/v1/decisions').set('Origin', origin).set('Authorization', bearer(TOKENS.decide)).send(exampleApplication())],
        ['GET /v1/policies 401', await request(t.app).get('/v1/policies').set('Origin', origin)],
        [
          'OPTIONS /v1/decisions preflight',
          await request(t.app).options('/v1/decisions').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization, content-type'),
        ],
      ];
      for (const [what, res] of answers) {
        for (const h of Object.keys(res.headers)) expect(h.startsWith('access-control-'), `${what} with Origin ${origin} sent ${h}`).toBe(false);
        expect(res.headers.vary ?? '', what).not.toMatch(/origin/i);
      }
      // Express answers OPTIONS itself with an Allow list; without Access-Control-* headers a browser refuses it.
      expect(answers.at(-1)![1].status, 'preflight').toBeLessThan(500);
    }
  });

  it('a known path under a method it does not take is 405 problem+json with Allow', async () => {
    const cases: [string, () => request.Test, string][] = [
      ['PUT /v1/decisions', () => request(t.app).put('/v1/decisions').set('Authorization', bearer(TOKENS.admin)).send({}), 'GET, HEAD, POST'],
      ['DELETE /v1/policies', () => request(t.app).delete('/v1/policies').set('Authorization', bearer(TOKENS.admin)), 'GET, HEAD'],
      ['PATCH /healthz', () => request(t.app).patch('/healthz'), 'GET, HEAD'],
    ];
    for (const [what, make, allow] of cases) {
      const res = await make();
      expect(res.status, `${what}: ${res.text}`).toBe(405);
      expect(res.headers['content-type'], what).toMatch(PROBLEM);
      expect(String(res.headers.allow).split(', ').sort().join(', '), what).toBe(allow);
      expect(JSON.parse(res.text), what).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
      expectNoInternals(what, res);
    }
  });

  it('unknown routes are 404 problem+json naming the route, with a bounded detail', async () => {
    const cases: [string, () => request.Test][] = [
      ['GET /nope', () => request(t.app).get('/nope')],
      ['GET /', () => request(t.app).get('/')],
      ['POST /v1/nope', () => request(t.app).post('/v1/nope').set('Authorization', bearer(TOKENS.admin)).send({})],
      ['GET /v2/decisions', () => request(t.app).get('/v2/decisions').set('Authorization', bearer(TOKENS.admin))],
      ['GET /V1/DECISIONS/EXPORT/x', () => request(t.app).get('/V1/DECISIONS/EXPORT/x').set('Authorization', bearer(TOKENS.admin))],
      ['GET a 5,000-character path', () => request(t.app).get(`/${'a'.repeat(5_000)}`)],
      ['GET a path with an encoded NUL and traversal', () => request(t.app).get('/v1/%2e%2e/%00/etc/passwd')],
    ];
    for (const [what, make] of cases) {
      const res = await make();
      expect(res.status, `${what}: ${res.text}`).toBe(404);
      expect(res.headers['content-type'], what).toMatch(PROBLEM);
      const p = JSON.parse(res.text) as Record<string, unknown>;
      expect(p, what).toMatchObject({ status: 404, code: 'NOT_FOUND', type: 'https://tideover.dev/problems/not-found', title: 'No such resource.' });
      expect(typeof p.detail, what).toBe('string');
      expect((p.detail as string).length, what).toBeLessThanOrEqual(300);
      expect(p.instance, what).toBe(`urn:request:${res.headers['x-request-id']}`);
      expectNoInternals(what, res);
    }
    expect((JSON.parse((await request(t.app).get('/nope')).text) as { detail: string }).detail).toBe('No route GET /nope.');
  });

  it('no error answer carries a stack trace or an internal path', async () => {
    const d = () => request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide));
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const cases: [string, number, () => request.Test][] = [
      ['invalid JSON', 400, () => d().set('Content-Type', 'application/json').send('{"a":')],
      ['JSON with a trailing comma', 400, () => d().set('Content-Type', 'application/json').send('{"a":1,}')],
      ['empty body', 400, () => d().set('Content-Type', 'application/json').send('')],
      ['nesting 5,000 deep', 400, () => d().set('Content-Type', 'application/json').send(deep)],
      ['__proto__ key', 400, () => d().set('Content-Type', 'application/json').send('{"__proto__":{"x":1}}')],
      ['constructor.prototype key', 400, () => d().set('Content-Type', 'application/json').send('{"constructor":{"prototype":{"x":1}}}')],
      ['schema violation', 400, () => d().send({ ...exampleApplication(), loan: 'nope' })],
      ['text/plain', 415, () => d().set('Content-Type', 'text/plain').send('hello')],
      ['unsupported charset', 415, () => d().set('Content-Type', 'application/json; charset=latin1').send('{}')],
      ['unsupported Content-Encoding', 415, () => d().set('Content-Type', 'application/json').set('Content-Encoding', 'x-zip').send('{}')],
      ['broken gzip', 400, () => d().set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}')],
      ['body over the limit', 413, () => d().set('Content-Type', 'application/json').send(`"${'x'.repeat(300_000)}"`)],
      ['no token', 401, () => request(t.app).post('/v1/decisions').send(exampleApplication())],
      ['wrong token', 401, () => request(t.app).post('/v1/decisions').set('Authorization', bearer('not-a-real-token-at-all')).send(exampleApplication())],
      ['wrong role', 403, () => request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.audit)).send(exampleApplication())],
      ['invalid Idempotency-Key', 400, () => d().set('Idempotency-Key', 'has spaces in it').send(exampleApplication())],
      ['unknown pinned policy version', 422, () => request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.admin)).set('Tideover-Policy-Version', '9.9.9').send(exampleApplication())],
      ['invalid audit query', 400, () => request(t.app).get('/v1/decisions?from=yesterday&bogus=1').set('Authorization', bearer(TOKENS.audit))],
      ['forged cursor', 400, () => request(t.app).get('/v1/decisions?cursor=Zm9yZ2Vk').set('Authorization', bearer(TOKENS.audit))],
      ['unknown decision', 404, () => request(t.app).get('/v1/decisions/no-such-decision').set('Authorization', bearer(TOKENS.audit))],
      ['replay of an unknown decision', 404, () => request(t.app).post('/v1/decisions/no-such-decision/replay').set('Authorization', bearer(TOKENS.audit))],
      ['invalid policy YAML', 200, () => request(t.app).post('/v1/policies/validate').set('Authorization', bearer(TOKENS.admin)).send({ policy: 'a: [unclosed' })],
      ['invalid schedule request', 400, () => request(t.app).post('/v1/schedules').set('Authorization', bearer(TOKENS.decide)).send({ principal: '-1', annualRate: 'x', termMonths: 0 })],
    ];
    for (const [what, status, make] of cases) {
      const res = await make();
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBe(status);
      if (status >= 400) expect(res.headers['content-type'], what).toMatch(PROBLEM);
      expectNoInternals(what, res);
    }
    expect(t.logs.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});

describe('when the audit store cannot write (in process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.audit.close();
  });
  afterAll(async () => t.close());

  it('GET /readyz is 503 with checks.audit "cannot write", while /healthz stays 200', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status, res.text).toBe(503);
    expect(res.body).toEqual({ status: 'not ready', checks: { policies: 'ok', audit: 'cannot write' } });
    expectNoInternals('readyz', res);
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });

  it('decisions and audit reads answer 503 AUDIT_UNAVAILABLE without internals, never a 500', async () => {
    const cases: [string, () => request.Test][] = [
      ['POST /v1/decisions', () => request(t.app).post('/v1/decisions').set('Authorization', bearer(TOKENS.decide)).send(exampleApplication())],
      ['GET /v1/decisions/:id', () => request(t.app).get('/v1/decisions/some-id').set('Authorization', bearer(TOKENS.audit))],
      ['GET /v1/decisions', () => request(t.app).get('/v1/decisions').set('Authorization', bearer(TOKENS.audit))],
      ['GET /v1/decisions/export', () => request(t.app).get('/v1/decisions/export').set('Authorization', bearer(TOKENS.audit))],
      ['GET /v1/audit/verify', () => request(t.app).get('/v1/audit/verify').set('Authorization', bearer(TOKENS.audit))],
    ];
    for (const [what, make] of cases) {
      const res = await make().timeout(10_000);
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBe(503);
      expect(res.headers['content-type'], what).toMatch(PROBLEM);
      expect(res.body, what).toMatchObject({ status: 503, code: 'AUDIT_UNAVAILABLE' });
      expectNoInternals(what, res);
    }
    expect(t.logs.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});
