import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('idempotent replay', () => {
  it.each(['full', 'fired', 'none'])('returns the same bytes as the first answer (explain=%s)', async (explain) => {
    const key = `replay-bytes-${explain}`;
    const send = () => request(t.app).post(`/v1/decisions?explain=${explain}`).set('Authorization', `Bearer ${TOKENS.decide}`).set('Idempotency-Key', key).send(exampleApplication());
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
  });
});
