import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, exampleApplication, TOKENS, type TestApp } from '../helpers/app.js';
import {
  anythingBody,
  deepNesting,
  deleteField,
  edgyValid,
  hostile,
  hugeString,
  moneyAsNumber,
  pollution,
  quietHeaders,
  randomTypeValidBody,
  rawBytes,
  replaceLeaf,
  scheduleRequest,
  textEdit,
  unicodeLeaf,
  type Hostile,
} from './arbitraries.js';

// Thousands of random and hostile requests against one real app instance: every answer must be a 200 or a
// 4xx problem+json, never a 5xx, and the service must still decide the valid example afterwards.

let t: TestApp;
let server: Server;
const seen = new Map<number, number>();
const failures: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  server = createServer(t.app);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await t.close();
});

const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Sends one hostile request. */
async function send(h: Hostile, path = '/v1/decisions'): Promise<request.Response> {
  let req = request(base()).post(path).set('Authorization', `Bearer ${h.token}`);
  if (h.contentType !== undefined) req = req.set('Content-Type', h.contentType);
  for (const [k, v] of Object.entries(h.headers)) req = req.set(k, v);
  return req.send(h.body as string);
}

/** The contract: 200, or a 4xx with an RFC 9457 problem body; never a 5xx. */
function checkAnswer(res: request.Response, what: () => string): void {
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  const fail = (msg: string) => {
    // the app logs unhandled errors with their message and stack: show the latest with the failure
    const logged = t.logs.filter((l) => l.includes('unhandled error')).at(-1) ?? '';
    failures.push(`${msg}\n  request: ${what()}\n  response: ${res.status} ${String(res.text).slice(0, 300)}\n  logged: ${logged.slice(0, 1500)}`);
    // HOSTILE_DUMP=/path writes the full failing request there, to replay it by hand
    if (process.env.HOSTILE_DUMP) writeFileSync(process.env.HOSTILE_DUMP, what());
    throw new Error(`${msg}: ${logged.slice(0, 600)}`);
  };
  if (res.status >= 500) fail(`5xx answer ${res.status}`);
  if (res.status === 200) {
    if (typeof res.body?.decisionId !== 'string' && typeof res.body?.regularPayment !== 'string') fail('200 without a decision or schedule');
    return;
  }
  if (res.status < 400 || res.status >= 500) fail(`unexpected status ${res.status}`);
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) fail(`4xx without problem+json: ${res.headers['content-type']}`);
  let p: { status?: unknown; code?: unknown; type?: unknown; title?: unknown };
  try {
    p = JSON.parse(res.text) as typeof p;
  } catch {
    return fail('problem body is not JSON');
  }
  if (p.status !== res.status || typeof p.code !== 'string' || typeof p.type !== 'string' || typeof p.title !== 'string') fail('malformed problem body');
}

const describeHostile = (h: Hostile) => JSON.stringify({ ...h, body: typeof h.body === 'string' ? h.body.slice(0, 400) : `<${h.body.length} bytes> ${h.body.subarray(0, 64).toString('hex')}` });

const property = (arb: fc.Arbitrary<Hostile>) =>
  fc.asyncProperty(arb, async (h) => {
    const res = await send(h);
    checkAnswer(res, () => describeHostile(h));
  });

const RUNS = { anything: 200, json: 200, edgyValid: 500, delete: 120, replace: 200, moneyNumber: 80, deep: 40, huge: 30, unicode: 120, pollution: 80, textEdit: 100, bytes: 150, contentType: 80 };

describe('POST /v1/decisions under hostile bodies', () => {
  it.each([
    ['fc.anything()', () => hostile(anythingBody), RUNS.anything],
    ['fc.json()', () => hostile(fc.json({ maxDepth: 5 })), RUNS.json],
    ['schema-shaped edge values of the example (reaching the decision engine)', () => hostile(edgyValid, fc.constant('application/json'), quietHeaders), RUNS.edgyValid],
    ['the example with a random field deleted', () => hostile(deleteField), RUNS.delete],
    ['the example with a random node replaced by a value of another type', () => hostile(replaceLeaf), RUNS.replace],
    ['money as JSON numbers', () => hostile(moneyAsNumber), RUNS.moneyNumber],
    ['deep nesting', () => hostile(deepNesting), RUNS.deep],
    ['huge strings', () => hostile(hugeString), RUNS.huge],
    ['unicode leaves', () => hostile(unicodeLeaf), RUNS.unicode],
    ['__proto__ / constructor / prototype keys', () => hostile(pollution), RUNS.pollution],
    ['raw text edits', () => hostile(textEdit), RUNS.textEdit],
    ['raw byte strings with random content types', () => rawBytes, RUNS.bytes],
    ['the valid example under random content types', () => randomTypeValidBody, RUNS.contentType],
  ] as [string, () => fc.Arbitrary<Hostile>, number][])('%s: 200 or 4xx problem+json, never 5xx', async (_name, arb, numRuns) => {
    await fc.assert(property(arb()), { numRuns, endOnFailure: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('still decides the valid example with 200 after the run, and the trail still verifies', async () => {
    const res = await request(base()).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).send(exampleApplication());
    expect(res.status, res.text).toBe(200);
    expect(res.body.options).toHaveLength(4);
    const health = await request(base()).get('/readyz');
    expect(health.status).toBe(200);
    const verify = await request(base()).get('/v1/audit/verify').set('Authorization', `Bearer ${TOKENS.audit}`);
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
    // the run exercised both sides of the contract
    expect(seen.get(200) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(10);
    expect([...seen.keys()].filter((s) => s >= 400 && s < 500).length, JSON.stringify([...seen])).toBeGreaterThanOrEqual(4);
    if (failures.length) console.error(`contract breaches:\n${failures.join('\n\n')}`);
  });
});

const cents = (s: string) => {
  const [int, frac = ''] = s.split('.');
  return BigInt(int!) * 100n + BigInt(frac.padEnd(2, '0') || '0');
};

describe('POST /v1/schedules under random numeric-ish inputs', () => {
  it('never 5xx, and every 200 repays exactly the principal', async () => {
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(scheduleRequest, async (body) => {
        const res = await request(base()).post('/v1/schedules').set('Authorization', `Bearer ${TOKENS.decide}`).send(body);
        checkAnswer(res, () => JSON.stringify(body));
        if (res.status !== 200) return;
        ok++;
        const rows = res.body.schedule as { principal: string; interest: string; payment: string; closingBalance: string }[];
        const principal = body.principal as string;
        expect(rows.length).toBe(((body.graceMonths as number | undefined) ?? 0) + (body.termMonths as number));
        expect(rows.reduce((a, r) => a + cents(r.principal), 0n)).toBe(cents(principal));
        for (const r of rows) expect(cents(r.payment)).toBe(cents(r.principal) + cents(r.interest));
        expect(rows.at(-1)!.closingBalance).toBe('0.00');
      }),
      { numRuns: 400, endOnFailure: true },
    );
    expect(ok).toBeGreaterThan(40);
  });
});
