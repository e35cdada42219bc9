import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, exampleApplication, TOKENS, type TestApp } from '../helpers/app.js';

// JSON bodies are read two ways (src/adapters/http/body.ts): plain UTF-8 ones by our own reader, the rest
// (compressed, a charset spelled otherwise) by body-parser. Both must give the same answers to the same bodies.

const LIMIT = 4096;
let t: TestApp;
let server: Server;
let port: number;
beforeAll(async () => {
  t = await buildTestApp({ bodyLimit: LIMIT });
  server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await t.close();
});

const SCHEDULE = JSON.stringify({ principal: '50000.00', annualRate: '0.108', termMonths: 12, method: 'EQUAL_INSTALLMENT' });
/** POSTed as these exact bytes (supertest would turn a Buffer into JSON of its own). */
async function schedule(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> & { errors?: { pointer: string }[] }; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/schedules`, { method: 'POST', headers: { Authorization: `Bearer ${TOKENS.decide}`, ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}
/** The answer without what differs per request. */
const answer = (res: { status: number; body: object }) => ({ status: res.status, body: { ...res.body, instance: undefined } });

const OUR_READER = { 'Content-Type': 'application/json' };
const BODY_PARSER = { 'Content-Type': 'application/json; charset="utf-8"' };

describe('a JSON body read by our reader and by body-parser', () => {
  it('gives the same schedule for the same body, with any spelling of UTF-8 and gzipped', async () => {
    const expected = answer(await schedule(SCHEDULE, OUR_READER));
    expect(expected.status).toBe(200);
    expect(answer(await schedule(SCHEDULE, { 'Content-Type': 'application/json; charset=UTF-8' }))).toEqual(expected);
    expect(answer(await schedule(SCHEDULE, BODY_PARSER))).toEqual(expected);
    expect(answer(await schedule(gzipSync(SCHEDULE), { ...OUR_READER, 'Content-Encoding': 'gzip' }))).toEqual(expected);
  });

  it('drops a leading byte order mark, as body-parser does', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SCHEDULE)]);
    const ours = await schedule(withBom, OUR_READER);
    expect(ours.status, ours.text).toBe(200);
    expect(answer(ours)).toEqual(answer(await schedule(withBom, BODY_PARSER)));
  });

  it('reads invalid UTF-8 as U+FFFD, as body-parser does, and the schema names the field', async () => {
    const bad = Buffer.from(SCHEDULE.replace('50000.00', '5000\u00ff.00'), 'latin1');
    const ours = await schedule(bad, OUR_READER);
    expect(ours.status).toBe(400);
    expect(ours.body.errors?.map((e) => e.pointer)).toContain('/principal');
    expect(answer(ours)).toEqual(answer(await schedule(bad, BODY_PARSER)));
  });

  it('answers malformed JSON with 400 INVALID_JSON either way', async () => {
    for (const headers of [OUR_READER, BODY_PARSER]) {
      const res = await schedule('{"principal":', headers);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_JSON', errors: [{ pointer: '', detail: 'the body is not valid JSON' }] });
    }
  });

  it('answers an empty body with "The request body is empty." either way, gzipped too', async () => {
    for (const [body, headers] of [['', OUR_READER], ['', BODY_PARSER], ['', { 'Content-Type': 'Application/JSON' }], [gzipSync(''), { ...OUR_READER, 'Content-Encoding': 'gzip' }]] as const) {
      const res = await schedule(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(400);
      expect(res.body, JSON.stringify(headers)).toMatchObject({ code: 'INVALID_JSON', detail: 'The request body is empty.' });
    }
  });

  it('answers a declared length over the limit with 413 either way', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(LIMIT) });
    for (const headers of [OUR_READER, BODY_PARSER]) {
      const res = await schedule(big, headers);
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'BODY_TOO_LARGE' });
    }
  });
});

/** Raw HTTP/1.1 over one keep-alive socket: the answers' status lines and bodies in order. */
async function exchange(socket: Socket, requestText: string | Buffer): Promise<{ status: number; body: string }> {
  socket.write(requestText);
  let text = '';
  for (;;) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    text += chunk.toString('utf8');
    const head = text.indexOf('\r\n\r\n');
    if (head < 0) continue;
    const length = Number(/content-length: (\d+)/i.exec(text.slice(0, head))?.[1] ?? 0);
    if (Buffer.byteLength(text.slice(head + 4)) < length) continue;
    return { status: Number(text.slice(9, 12)), body: text.slice(head + 4) };
  }
}

describe('a chunked body without a declared length, read by our reader', () => {
  const head = (extra = '') =>
    `POST /v1/schedules HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.decide}\r\nContent-Type: application/json\r\n${extra}`;
  const chunked = (parts: string[]) => `${head('Transfer-Encoding: chunked\r\n')}\r\n${parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('')}0\r\n\r\n`;

  it('is parsed from several chunks', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      const res = await exchange(socket, chunked([SCHEDULE.slice(0, 10), SCHEDULE.slice(10, 30), SCHEDULE.slice(30)]));
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toEqual((await schedule(SCHEDULE, OUR_READER)).body);
    } finally {
      socket.destroy();
    }
  });

  it('with no data is refused as a body never sent', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      const res = await exchange(socket, chunked([]));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_JSON', detail: 'The request body is empty.' });
    } finally {
      socket.destroy();
    }
  });

  it('over the limit is refused with 413 once read to its end, and the connection serves the next request', async () => {
    const socket = connect(port, '127.0.0.1');
    try {
      const over = chunked(Array.from({ length: 8 }, () => `"${'x'.repeat(1000)}"`.slice(0, 1000)));
      const refused = await exchange(socket, over);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'BODY_TOO_LARGE' });
      const next = await exchange(socket, `${head(`Content-Length: ${Buffer.byteLength(SCHEDULE)}\r\n`)}\r\n${SCHEDULE}`);
      expect(next.status, next.body).toBe(200);
    } finally {
      socket.destroy();
    }
  });
});

describe('a decision', () => {
  it('is decided alike from a body read by our reader and by body-parser', async () => {
    const decide = (headers: Record<string, string>) => {
      const r = request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`);
      for (const [k, v] of Object.entries(headers)) r.set(k, v);
      return r.send(JSON.stringify(exampleApplication()));
    };
    const a = await decide(OUR_READER);
    const b = await decide(BODY_PARSER);
    expect(a.status, a.text).toBe(200);
    expect({ ...a.body, decisionId: undefined, decidedAt: undefined }).toEqual({ ...b.body, decisionId: undefined, decidedAt: undefined });
  });
});
