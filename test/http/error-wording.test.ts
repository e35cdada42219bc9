import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const auth = { Authorization: `Bearer ${TOKENS.admin}` };

describe('errors a person can act on', () => {
  it('a wrong method on a known path answers 405 with Allow', async () => {
    const res = await request(t.app).delete('/v1/decisions').set(auth);
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
    expect(String(res.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expect(res.body.detail).toMatch(/^DELETE is not allowed on \/v1\/decisions; use /);
    const get = await request(t.app).put('/v1/decisions/0190a0a0-0000-7000-8000-000000000000').set(auth);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('GET, HEAD');
  });

  it('an unknown path stays 404', async () => {
    expect((await request(t.app).get('/v1/nothing-here').set(auth)).status).toBe(404);
  });

  it('a query-parameter error says "query parameter", not "request body"', async () => {
    const res = await request(t.app).post('/v1/decisions?explain=some').set(auth).send(exampleApplication());
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('A query parameter is not valid.');
    expect(JSON.stringify(res.body)).not.toMatch(/request body/i);
    expect(res.body.errors).toEqual([{ pointer: '/query/explain', detail: expect.stringContaining('query parameter explain') }]);
  });

  it('a query parameter whose name holds a broken escape is named as sent, not a 500', async () => {
    const res = await request(t.app).get('/v1/decisions?%ZZ=%ZZ').set('Authorization', `Bearer ${TOKENS.audit}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain('query parameter %ZZ');
  });

  it('an enum error lists the allowed values', async () => {
    const app = exampleApplication();
    app.borrower.hardship.nature = 'SOMETIMES';
    app.jurisdiction = 'XX';
    const res = await request(t.app).post('/v1/decisions').set(auth).send(app);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ pointer: '/borrower/hardship/nature', detail: expect.stringContaining('TEMPORARY, PERMANENT, UNKNOWN') });
    expect(res.body.errors).toContainEqual({ pointer: '/jurisdiction', detail: expect.stringContaining('CN, US') });
  });

  it('an empty body with a wrong content type says what is wrong with the body', async () => {
    const res = await request(t.app).post('/v1/decisions').set(auth).set('Content-Type', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.detail).toMatch(/body is empty/i);
    expect(res.body.detail).toContain('application/json');
    expect(res.body.errors).toEqual([{ pointer: '', detail: expect.stringMatching(/JSON body is required/) }]);
  });

  it('a corrupt gzip body gets a problem pointing at the body', async () => {
    const good = gzipSync(JSON.stringify(exampleApplication()));
    const corrupt = Buffer.concat([good.subarray(0, 20), Buffer.from('not gzip at all'), good.subarray(40)]);
    const res = await request(t.app).post('/v1/decisions').set(auth).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(corrupt);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ pointer: '', detail: expect.stringMatching(/gzip/) }]);
  });
});
