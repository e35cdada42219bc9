import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestApp;
afterEach(() => t.close());

/** Decision records only: the trail also holds policy publication events. */
async function recordCount(): Promise<number> {
  let n = 0;
  for await (const r of t.audit.export({})) if (r.applicationId === exampleApplication().applicationId) n++;
  return n;
}

function post(key: string) {
  return request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).set('Idempotency-Key', key).send(exampleApplication());
}

describe('a decision that meets the request timeout', () => {
  it('timed out before its record is written: answered 503 TIMEOUT, nothing recorded, and a retry decides once', async () => {
    t = await buildTestApp({ requestTimeoutMs: 100 });
    const lookup = t.audit.findByIdempotencyKey.bind(t.audit);
    t.audit.findByIdempotencyKey = async (k) => {
      await sleep(300);
      return lookup(k);
    };
    const first = await post('slow-before-record');
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('TIMEOUT');
    await sleep(400); // the late completion has run by now
    expect(await recordCount()).toBe(0);
    t.audit.findByIdempotencyKey = lookup;
    const retry = await post('slow-before-record');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await recordCount()).toBe(1);
    expect(t.logs.join('')).not.toContain('Cannot set headers');
  });

  it('timed out while its record is being written: answered with the recorded decision once durable', async () => {
    t = await buildTestApp({ requestTimeoutMs: 100 });
    const append = t.audit.append.bind(t.audit);
    t.audit.append = async (rec, snap) => {
      await sleep(300);
      return append(rec, snap);
    };
    const first = await post('slow-record');
    expect(first.status).toBe(200);
    expect(await recordCount()).toBe(1);
    const retry = await post('slow-record');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.decisionId).toBe(first.body.decisionId);
    expect(await recordCount()).toBe(1);
  });
});
