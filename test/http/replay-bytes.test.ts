import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';
import { canonicalJson } from '../../src/adapters/store/chain/records.js';

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

describe('the answer and its audit record', () => {
  it('the answer without its rules is the record’s decision in canonical JSON, byte for byte', async () => {
    const first = await request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).send(exampleApplication());
    expect(first.status).toBe(200);
    const answer = JSON.parse(first.text) as { decisionId: string; explanation: Record<string, unknown> };
    const got = await request(t.app).get(`/v1/decisions/${answer.decisionId}`).set('Authorization', `Bearer ${TOKENS.audit}`);
    expect(got.status).toBe(200);
    const { rules: _rules, ...explanation } = answer.explanation;
    const withoutRules = first.text.replace(/,"rules":\[.*?\]\},"language"/s, '},"language"');
    expect(JSON.parse(withoutRules)).toEqual({ ...answer, explanation });
    expect(withoutRules).toBe(canonicalJson((got.body as { decision: unknown }).decision));
  });
});

describe('an answer written in pieces', () => {
  it.each(['full', 'fired', 'none'])('declares the byte length it sends, Chinese texts included (explain=%s)', async (explain) => {
    const res = await request(t.app).post(`/v1/decisions?explain=${explain}`).set('Authorization', `Bearer ${TOKENS.decide}`).set('Accept-Language', 'zh').send(exampleApplication());
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/\p{Script=Han}/u);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text, 'utf8'));
    expect((JSON.parse(res.text) as { language: string }).language).toBe('zh');
  });
});
