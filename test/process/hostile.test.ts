import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleApplication } from '../helpers/app.js';
import { call, dataDir, startService, TOKEN, type Service } from '../helpers/service.js';

// 1,000 hostile requests against the REAL compiled service over raw sockets to 127.0.0.1: oversized and deeply
// nested bodies, wrong content types, invalid UTF-8, header injection and smuggling attempts, malformed request
// lines, slowloris-style stalls and random garbage. Every answer that arrives must be a 4xx (a 503 TIMEOUT is
// allowed only for the stalled requests), no answer may leak a stack trace or an internal path, and afterwards
// the same process must still be alive and deciding.

const BODY_LIMIT = 65_536;
const REQUEST_TIMEOUT_MS = 1_000;
/** What src/main.ts configures on the node:http server for these settings. */
const SERVER_REQUEST_TIMEOUT_MS = Math.max(REQUEST_TIMEOUT_MS + 1000, 5000);
const SERVER_HEADERS_TIMEOUT_MS = 10_000;
const TOTAL = 1_000;
const SLOW_SOCKETS = 20;
const CONCURRENCY = 16;

let svc: Service;
/** Lines the service logged as "unhandled error" (each one is a 500 that escaped the typed error mapping). */
const unhandled: string[] = [];
let sent = 0;

beforeAll(async () => {
  svc = await startService(dataDir(), {
    BODY_LIMIT_BYTES: String(BODY_LIMIT),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    RATE_LIMIT_PER_MINUTE: '0',
  });
  let tail = '';
  svc.proc.stdout!.on('data', (c: Buffer) => {
    const lines = (tail + String(c)).split('\n');
    tail = lines.pop() ?? '';
    for (const l of lines) if (l.includes('unhandled error') && unhandled.length < 50) unhandled.push(l.slice(0, 2000));
  });
});

afterAll(async () => {
  if (svc && svc.proc.exitCode === null && svc.proc.signalCode === null) {
    svc.proc.kill('SIGTERM');
    const timer = setTimeout(() => svc.proc.kill('SIGKILL'), 10_000);
    await svc.exited;
    clearTimeout(timer);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTP/1.1 over node:net

interface RawResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** Parses the responses in what the server sent; `complete` is false while the last one is still arriving. */
function parseResponses(buf: Buffer): { responses: RawResponse[]; complete: boolean } {
  const responses: RawResponse[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const end = buf.indexOf('\r\n\r\n', pos, 'latin1');
    if (end < 0) return { responses, complete: false };
    const lines = buf.subarray(pos, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) return { responses: [...responses, { status: -1, headers: [], body: buf.subarray(pos).toString('latin1') }], complete: true };
    const headers = lines.slice(1).map((l): [string, string] => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
    });
    const status = Number(m[1]);
    let bodyStart = end + 4;
    const get = (name: string) => headers.find(([k]) => k === name)?.[1];
    let body: Buffer;
    if (status < 200 || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (get('content-length') !== undefined) {
      const n = Number(get('content-length'));
      if (buf.length < bodyStart + n) return { responses, complete: false };
      body = buf.subarray(bodyStart, bodyStart + n);
      bodyStart += n;
    } else if (/chunked/i.test(get('transfer-encoding') ?? '')) {
      const parts: Buffer[] = [];
      for (;;) {
        const eol = buf.indexOf('\r\n', bodyStart, 'latin1');
        if (eol < 0) return { responses, complete: false };
        const size = parseInt(buf.subarray(bodyStart, eol).toString('latin1'), 16);
        if (Number.isNaN(size)) return { responses, complete: false };
        if (buf.length < eol + 2 + size + 2) return { responses, complete: false };
        parts.push(buf.subarray(eol + 2, eol + 2 + size));
        bodyStart = eol + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      body = buf.subarray(bodyStart);
      bodyStart = buf.length;
    }
    responses.push({ status, headers, body: body.toString('utf8') });
    pos = bodyStart;
  }
  return { responses, complete: true };
}

interface Outcome {
  /** Final (non-1xx) responses, in order. */
  responses: RawResponse[];
  /** The server closed the connection (or reset it). */
  closed: boolean;
  /** Neither an answer nor a close within the wait: the socket was cut by the test. */
  stalled: boolean;
  /** Milliseconds from connect to the first complete final answer. */
  answerMs?: number;
  /** Milliseconds from connect to the close. */
  closeMs?: number;
}

/**
 * Opens one connection to 127.0.0.1, writes `payload`, half-closes if `end`, and collects what comes back until
 * the server closes, `waitMs` passes, or (with `untilAnswer`) the first complete final answer arrives.
 */
function exchange(port: number, payload: Buffer, opts: { end: boolean; waitMs: number; untilAnswer?: boolean }): Promise<Outcome> {
  sent++;
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const out: Outcome = { responses: [], closed: false, stalled: false };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      out.responses = parseResponses(Buffer.concat(chunks)).responses.filter((r) => r.status < 100 || r.status >= 200);
      sock.destroy();
      resolve(out);
    };
    const sock = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      out.stalled = true;
      finish();
    }, opts.waitMs);
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      if (out.answerMs === undefined) {
        const parsed = parseResponses(Buffer.concat(chunks));
        if (parsed.responses.some((r) => r.status >= 200 && (parsed.complete || parsed.responses.length > 1))) {
          out.answerMs = performance.now() - started;
          if (opts.untilAnswer) finish();
        }
      }
    });
    sock.on('error', () => undefined); // EPIPE / ECONNRESET: the server cut us off, seen as a close
    sock.on('close', () => {
      out.closed = true;
      out.closeMs = performance.now() - started;
      finish();
    });
    sock.write(payload);
    if (opts.end) sock.end();
  });
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A small seeded PRNG so a failing garbage case can be reproduced. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Checks shared by every hostile answer

const LEAKS: [string, RegExp][] = [
  ['stack frame "at …("', /\bat [\w$.<>]+ \(/],
  ['stack frame "at /path"', /\bat (?:file:|node:|\/|async )/],
  ['"/src/"', /\/src\//],
  ['"node_modules"', /node_modules/],
  ['"Error:"', /Error:/],
  ['".ts:" / ".js:" source position', /\.[jt]s:\d+/],
];

/** Problems with one answer, as sentences naming the case. */
function leaksIn(name: string, r: RawResponse): string[] {
  const text = `${r.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${r.body}`;
  const problems: string[] = [];
  for (const [what, re] of LEAKS) if (re.test(text)) problems.push(`${name}: answer ${r.status} contains ${what}: ${text.slice(0, 600)}`);
  if (text.includes(process.cwd())) problems.push(`${name}: answer ${r.status} contains the service's working directory`);
  return problems;
}

interface HostileCase {
  name: string;
  payload: Buffer;
  /** Exact final statuses this case must get when an answer arrives (default: any 4xx). */
  expect?: number[];
}

const CRLF = '\r\n';
const auth = `Authorization: Bearer ${TOKEN}${CRLF}`;
const b = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
/** A POST with a body and an explicit Content-Length. */
const post = (path: string, body: string | Buffer, headers = `Content-Type: application/json${CRLF}`, withAuth = true) => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return b(`POST ${path} HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${withAuth ? auth : ''}${headers}Content-Length: ${bytes.length}${CRLF}Connection: close${CRLF}${CRLF}`, bytes);
};
/** A POST with a chunked body. */
const chunked = (path: string, body: Buffer, chunkSize = 16_384) => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunkSize) {
    const c = body.subarray(i, i + chunkSize);
    chunks.push(b(`${c.length.toString(16)}${CRLF}`, c, CRLF));
  }
  return b(`POST ${path} HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${auth}Content-Type: application/json${CRLF}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}`, ...chunks, `0${CRLF}${CRLF}`);
};

const APP = JSON.stringify(exampleApplication());
const BODY_ROUTES = ['/v1/decisions', '/v1/schedules', '/v1/policies/validate'];

function hugeBodies(): HostileCase[] {
  const mb = 1 << 20;
  const jsonish = Buffer.from(`{"pad":"${'x'.repeat(mb - 10)}"}`);
  const spaces = Buffer.alloc(mb, 0x20);
  const out: HostileCase[] = [];
  for (const path of BODY_ROUTES) {
    out.push({ name: `1 MB JSON string to ${path}`, payload: post(path, jsonish), expect: [413] });
    out.push({ name: `1 MB of spaces to ${path}`, payload: post(path, spaces), expect: [413] });
    out.push({ name: `1 MB chunked to ${path}`, payload: chunked(path, jsonish), expect: [413] });
    out.push({ name: `limit+1 bytes to ${path}`, payload: post(path, Buffer.alloc(BODY_LIMIT + 1, 0x20)), expect: [413] });
  }
  out.push({ name: '1 MB without a token', payload: post('/v1/decisions', jsonish, `Content-Type: application/json${CRLF}`, false), expect: [401] });
  out.push({ name: '1 MB text/plain', payload: post('/v1/decisions', jsonish, `Content-Type: text/plain${CRLF}`), expect: [415] });
  out.push({ name: '1 MB of 100k-element array', payload: post('/v1/decisions', `[${Array.from({ length: 100_000 }, () => '1234567').join(',')}]`), expect: [413] });
  out.push({ name: '1 MB application with a padded field', payload: post('/v1/decisions', APP.replace('{', `{"pad":"${'y'.repeat(mb)}",`)), expect: [413] });
  return out;
}

function deepNesting(): HostileCase[] {
  const arrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const objects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const out: HostileCase[] = [];
  // /v1/simulations takes SIMULATION_BODY_LIMIT_BYTES (4 MB), so 100k-deep bodies reach the JSON parser.
  out.push({ name: '[[[…]]] 100k deep to /v1/simulations', payload: post('/v1/simulations', arrays(100_000)), expect: [400] });
  out.push({ name: '{"a":{"a":…}} 100k deep to /v1/simulations', payload: post('/v1/simulations', objects(100_000)), expect: [400] });
  out.push({ name: '[[[…]]] 100k deep, unclosed, to /v1/simulations', payload: post('/v1/simulations', '['.repeat(100_000)), expect: [400] });
  out.push({ name: '{"a":{"a":…}} 100k deep, unclosed, to /v1/simulations', payload: post('/v1/simulations', '{"a":'.repeat(100_000)), expect: [400] });
  out.push({ name: '[[[…]]] 100k deep to /v1/decisions (over the limit)', payload: post('/v1/decisions', arrays(100_000)), expect: [413] });
  for (const path of BODY_ROUTES) {
    for (const n of [33, 1_000, 30_000]) {
      out.push({ name: `[[[…]]] ${n} deep to ${path}`, payload: post(path, arrays(n)), expect: [400] });
      if (n * 6 < BODY_LIMIT) out.push({ name: `{"a":…} ${n} deep to ${path}`, payload: post(path, objects(n)), expect: [400] });
    }
    out.push({ name: `mixed [{"a":[…]}] 10k deep to ${path}`, payload: post(path, `${'[{"a":'.repeat(5_000)}0${'}]'.repeat(5_000)}`), expect: [400] });
  }
  // Policy YAML inside a JSON body: an alias bomb and 100k-deep flow collections reach the YAML parser.
  const app1 = exampleApplication();
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');
  for (const [what, policy] of [
    ['YAML alias bomb', bomb],
    ['YAML flow sequence 100k deep', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['YAML block sequence 100k deep', `${'- '.repeat(100_000)}x`],
  ] as const)
    out.push({ name: `${what} as a simulation baseline`, payload: post('/v1/simulations', JSON.stringify({ baseline: { policy }, candidate: { version: '1.0.0' }, applications: [app1] })), expect: [422] });
  // Deep nesting inside an otherwise valid application.
  const app = exampleApplication();
  let deep: unknown = 1;
  for (let i = 0; i < 2_000; i++) deep = { a: deep };
  app.borrower = { ...app.borrower, extra: deep };
  out.push({ name: 'application with a 2,000-deep field', payload: post('/v1/decisions', JSON.stringify(app)), expect: [400] });
  return out;
}

function contentTypes(): HostileCase[] {
  const types = [
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/xml',
    'application/octet-stream',
    'application/jsonx',
    'application/json-seq',
    'json',
    '*/*',
    'application/*',
    '',
    ';',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=utf-32',
    'application/json; charset=ascii',
    'application/json; charset="utf-8"; boundary',
    'application/json;;;;',
    'application/json; charset=',
    `application/json; ${'x=y; '.repeat(500)}`,
    `text/${'a'.repeat(4_000)}`,
    'application/json, text/plain',
    'APPLICATION/JSON; CHARSET=UTF-7',
    'application/json\t; charset=utf-8',
    'application/vnd.api+json; charset=koi8-r',
  ];
  // A content type the parser tolerates (e.g. an empty charset parameter) must still not earn a 2xx here.
  const bodies = ['{}', APP.replace('{', '{"unexpected":true,'), '[]', 'a=1&b=2', '<xml/>', '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--'];
  const out: HostileCase[] = [];
  for (const path of BODY_ROUTES)
    for (const [i, t] of types.entries()) out.push({ name: `Content-Type ${JSON.stringify(t.slice(0, 40))} to ${path}`, payload: post(path, bodies[i % bodies.length]!, t === '' ? `Content-Type:${CRLF}` : `Content-Type: ${t}${CRLF}`) });
  for (const path of BODY_ROUTES) out.push({ name: `no Content-Type to ${path}`, payload: post(path, APP, ''), expect: [415] });
  out.push({ name: 'two Content-Type headers', payload: post('/v1/decisions', APP, `Content-Type: text/plain${CRLF}Content-Type: application/json${CRLF}`) });
  for (const enc of ['gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'x-unknown', 'gzip, gzip, gzip'])
    out.push({ name: `Content-Encoding ${enc} with a plain body`, payload: post('/v1/decisions', APP, `Content-Type: application/json${CRLF}Content-Encoding: ${enc}${CRLF}`) });
  return out;
}

function invalidUtf8(rand: () => number): HostileCase[] {
  const bad: Buffer[] = [
    Buffer.from([0xff]),
    Buffer.from([0xfe, 0xff]),
    Buffer.from([0xc0, 0xaf]), // overlong "/"
    Buffer.from([0xe0, 0x80, 0xaf]), // overlong
    Buffer.from([0xed, 0xa0, 0x80]), // UTF-8-encoded surrogate
    Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
    Buffer.from([0x80]), // lone continuation byte
    Buffer.from([0xe2, 0x82]), // truncated sequence
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), // 5-byte form
    Buffer.from([0x00]),
    Buffer.from([0xef, 0xbb, 0xbf]), // BOM
  ];
  const out: HostileCase[] = [];
  const base = Buffer.from(APP);
  for (let i = 0; i < 100; i++) {
    const seq = bad[i % bad.length]!;
    const at = 1 + Math.floor(rand() * (base.length - 2));
    const body = Buffer.concat([base.subarray(0, at), seq, base.subarray(at)]);
    out.push({ name: `invalid UTF-8 ${seq.toString('hex')} at byte ${at}`, payload: post(BODY_ROUTES[i % BODY_ROUTES.length]!, body) });
  }
  out.push({ name: 'application with lone surrogate escapes', payload: post('/v1/decisions', APP.replace(/"applicationId":"[^"]*"/, '"applicationId":"\\ud800\\udfff\\udc00"')) });
  out.push({ name: 'UTF-16LE body declared as UTF-8', payload: post('/v1/decisions', Buffer.from(APP, 'utf16le')) });
  out.push({ name: 'Latin-1 body', payload: post('/v1/decisions', Buffer.from(APP.replace('{', '{"n":"\u00e9\u00ff",'), 'latin1')) });
  out.push({ name: 'invalid UTF-8 in the path', payload: b('GET /v1/decisions/', Buffer.from([0xc0, 0xaf, 0xff]), ` HTTP/1.1${CRLF}Host: x${CRLF}${auth}Connection: close${CRLF}${CRLF}`) });
  out.push({ name: 'percent-encoded invalid UTF-8 in the path', payload: b(`GET /v1/decisions/%C0%AF%FF HTTP/1.1${CRLF}Host: x${CRLF}${auth}Connection: close${CRLF}${CRLF}`) });
  out.push({ name: 'invalid UTF-8 in Idempotency-Key', payload: b(post('/v1/decisions', APP, `Content-Type: application/json${CRLF}Idempotency-Key: k\xe9\xff\xfe${CRLF}`)), expect: [400] });
  out.push({ name: 'invalid UTF-8 in Tideover-Policy-Version', payload: b(post('/v1/decisions', APP, `Content-Type: application/json${CRLF}Tideover-Policy-Version: 1.0.0\xff${CRLF}`)), expect: [400] });
  out.push({ name: 'invalid UTF-8 in the token', payload: post('/v1/decisions', APP, `Content-Type: application/json${CRLF}Authorization: Bearer \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7${CRLF}`, false), expect: [401] });
  return out;
}

function headerAttacks(): HostileCase[] {
  const head = (lines: string, method = 'POST', path = '/v1/decisions') => b(`${method} ${path} HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${lines}Connection: close${CRLF}${CRLF}`);
  const json = `Content-Type: application/json${CRLF}`;
  const out: HostileCase[] = [
    { name: 'bare CR in a header value', payload: head(`${auth}X-A: a\rInjected: 1${CRLF}`) },
    { name: 'bare LF in a header value', payload: head(`${auth}X-A: a\nInjected: 1${CRLF}`) },
    { name: 'CR LF CR LF inside a value (split attempt)', payload: head(`${auth}X-A: a\r\n\r\nGET /v1/decisions/export HTTP/1.1${CRLF}`) },
    { name: 'NUL in a header value', payload: head(`${auth}X-A: a\x00b${CRLF}`) },
    { name: 'obs-fold continuation line', payload: head(`${auth}X-A: a${CRLF} folded${CRLF}`) },
    { name: 'space before the colon', payload: head(`Authorization : Bearer ${TOKEN}${CRLF}`) },
    { name: 'space inside a header name', payload: head(`X A: b${CRLF}`) },
    { name: 'header without a colon', payload: head(`just-a-name${CRLF}`) },
    { name: 'empty header name', payload: head(`: value${CRLF}`) },
    { name: 'DEL in a header name', payload: head(`X-\x7fA: b${CRLF}`) },
    { name: 'header line of 20 KB', payload: head(`X-Big: ${'a'.repeat(20_000)}${CRLF}`), expect: [431] },
    { name: 'header line of 200 KB', payload: head(`X-Big: ${'a'.repeat(200_000)}${CRLF}`), expect: [431] },
    { name: '3,000 headers', payload: head(Array.from({ length: 3_000 }, (_, i) => `X-H${i}: v${CRLF}`).join('')), expect: [431] },
    { name: '1,500 headers under the size limit', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}${Array.from({ length: 1_500 }, (_, i) => `X${i}: ${CRLF}`).join('')}Content-Length: 2${CRLF}Connection: close${CRLF}${CRLF}{}`), expect: [400, 415] }, // node keeps only the first 1,000 header lines, so Content-Length can be dropped
    { name: '1,500 Authorization headers', payload: head(Array.from({ length: 1_500 }, () => `Authorization: Bearer x${CRLF}`).join('')) },
    { name: '5 KB bearer token', payload: head(`Authorization: Bearer ${'t'.repeat(5_000)}${CRLF}`), expect: [401] },
    { name: 'two bearer tokens in one header', payload: head(`Authorization: Bearer ${TOKEN}, Bearer ${TOKEN}${CRLF}`), expect: [401] },
    { name: 'duplicate Content-Length, different values', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 2${CRLF}Content-Length: 30${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'duplicate Content-Length, same value', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 2${CRLF}Content-Length: 2${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length list "2, 2"', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 2, 2${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'negative Content-Length', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: -1${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length 1e3', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 1e3${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length of 30 digits', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: ${'9'.repeat(30)}${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length 0x10', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 0x10${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length with a plus sign', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: +2${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Content-Length longer than the body, then half-close', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 50${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'CL.TE smuggling: Content-Length + chunked', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Content-Length: 4${CRLF}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}0${CRLF}${CRLF}GET /v1/decisions/export HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`) },
    { name: 'TE.CL smuggling: chunked + Content-Length', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Content-Length: 60${CRLF}Connection: close${CRLF}${CRLF}2${CRLF}{}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'Transfer-Encoding twice', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'Transfer-Encoding chunked, identity', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked, identity${CRLF}Connection: close${CRLF}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'Transfer-Encoding xchunked + Content-Length', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: xchunked${CRLF}Content-Length: 2${CRLF}Connection: close${CRLF}${CRLF}{}`) },
    { name: 'Transfer-Encoding with a tab', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding:\tchunked${CRLF}Connection: close${CRLF}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'Transfer-Encoding gzip, chunked', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: gzip, chunked${CRLF}Connection: close${CRLF}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'chunk size not hex', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}ZZ${CRLF}{}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'chunk size overflowing', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}${'f'.repeat(40)}${CRLF}{}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'chunk extension of 20 KB', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}2;${'e'.repeat(20_000)}${CRLF}{}${CRLF}0${CRLF}${CRLF}`) },
    { name: 'chunked trailer injecting Content-Type', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Transfer-Encoding: chunked${CRLF}Connection: close${CRLF}${CRLF}2${CRLF}{}${CRLF}0${CRLF}Content-Type: text/plain${CRLF}${CRLF}`) },
    { name: 'Expect: 100-continue', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Expect: 100-continue${CRLF}Content-Length: 2${CRLF}Connection: close${CRLF}${CRLF}{}`), expect: [400] },
    { name: 'Expect: teapot', payload: b(`POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}${json}Expect: teapot${CRLF}Content-Length: 2${CRLF}Connection: close${CRLF}${CRLF}{}`), expect: [417] },
    { name: 'Upgrade: websocket to /v1/decisions', payload: head(`Upgrade: websocket${CRLF}Connection: Upgrade${CRLF}`, 'GET') },
    { name: 'Upgrade: h2c', payload: head(`Upgrade: h2c${CRLF}HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA${CRLF}`, 'GET') },
    { name: 'Host with a space', payload: head(`Host: a b${CRLF}`, 'GET') },
    { name: 'two Host headers', payload: head(`Host: evil${CRLF}`, 'GET') },
    { name: 'X-Forwarded-For spoofing with a token-less request', payload: head(`X-Forwarded-For: 127.0.0.1, ${'9.9.9.9, '.repeat(1_000)}1.1.1.1${CRLF}`, 'GET') },
    { name: 'Origin with CRLF-looking text', payload: head(`Origin: http://evil%0d%0aSet-Cookie:%20a=b${CRLF}`, 'GET'), expect: [401] },
    { name: 'Idempotency-Key of 10 KB', payload: post('/v1/decisions', APP, `${json}Idempotency-Key: ${'k'.repeat(10_000)}${CRLF}`), expect: [400] },
    { name: 'Idempotency-Key with spaces', payload: post('/v1/decisions', APP, `${json}Idempotency-Key: a b c${CRLF}`), expect: [400] },
    { name: 'two Idempotency-Key headers', payload: post('/v1/decisions', APP, `${json}Idempotency-Key: a${CRLF}Idempotency-Key: b${CRLF}`), expect: [400] },
    { name: 'Tideover-Policy-Version path traversal', payload: post('/v1/decisions', APP, `${json}Tideover-Policy-Version: ../../etc/passwd${CRLF}`), expect: [400] },
    { name: 'Tideover-Policy-Version of 10 KB', payload: post('/v1/decisions', APP, `${json}Tideover-Policy-Version: 1.0.0-${'a'.repeat(10_000)}${CRLF}`), expect: [400, 422] },
    { name: 'Tideover-Policy-Version unknown', payload: post('/v1/decisions', APP, `${json}Tideover-Policy-Version: nobody@9.9.9${CRLF}`), expect: [422] },
    { name: 'Accept-Language of 10 KB with an invalid body', payload: post('/v1/decisions', '{}', `${json}Accept-Language: ${'de-DE;q=0.5, '.repeat(800)}${CRLF}`), expect: [400] },
    { name: 'Accept-Language with junk q-values and an invalid body', payload: post('/v1/decisions', '[]', `${json}Accept-Language: *;q=NaN, en;q=-1, ;;;, \u00e9${CRLF}`), expect: [400] },
  ];
  // Many variants of oversized and repeated headers, each to a route needing a body or a role.
  for (let i = 0; i < 40; i++) {
    const size = 16_384 + i * 997;
    out.push({ name: `header block of ~${size} bytes (#${i})`, payload: head(`${auth}X-Pad: ${'p'.repeat(size)}${CRLF}`), expect: [431] });
  }
  for (let i = 0; i < 40; i++) {
    const n = 50 + i * 40;
    out.push({ name: `${n} duplicate Content-Type headers`, payload: post('/v1/decisions', APP, Array.from({ length: n }, (_, k) => `Content-Type: ${k % 2 ? 'application/json' : 'text/plain'}${CRLF}`).join('')) });
  }
  for (let i = 0; i < 40; i++) {
    const ctl = String.fromCharCode(i % 32 === 9 ? 1 : i % 32);
    out.push({ name: `control character 0x${ctl.charCodeAt(0).toString(16)} in a header value (#${i})`, payload: head(`${auth}X-Ctl: a${ctl}b${CRLF}`) });
  }
  return out;
}

function requestLines(): HostileCase[] {
  const tail = `Host: x${CRLF}Connection: close${CRLF}${CRLF}`;
  const lines = [
    'GARBAGE',
    'GET',
    'GET /v1/decisions/no-such-id',
    'GET /v1/decisions/no-such-id HTTP/9.9',
    'GET /v1/decisions/no-such-id HTTP/1.1.1',
    'GET /v1/decisions/no-such-id HTTP/1',
    'GET /v1/decisions/no-such-id http/1.1',
    'GET /v1/decisions/no-such-id HTTP/1.1 extra',
    'GET  /v1/decisions/no-such-id  HTTP/1.1',
    'GET\t/v1/decisions/no-such-id\tHTTP/1.1',
    'get /v1/decisions/no-such-id HTTP/1.1',
    'BREW /v1/decisions/no-such-id HTTP/1.1',
    'G\x00T /v1/decisions/no-such-id HTTP/1.1',
    'POST\x7f /v1/decisions/no-such-id HTTP/1.1',
    ' GET /v1/decisions/no-such-id HTTP/1.1',
    'GET v1/decisions/no-such-id HTTP/1.1',
    'GET ../../../../etc/passwd HTTP/1.1',
    'GET /../../../../etc/passwd HTTP/1.1',
    'GET /v1/decisions/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1',
    'GET /v1/decisions/%2e%2e/%2e%2e/package.json HTTP/1.1',
    'GET /%00 HTTP/1.1',
    'GET /v1/decisions/%00 HTTP/1.1',
    'GET /v1/decisions/%E0%A4%A HTTP/1.1',
    'GET /v1/decisions/% HTTP/1.1',
    'GET /v1/decisions?%ZZ=%ZZ HTTP/1.1',
    'GET /v1/decisions/no-such-id#fragment HTTP/1.1',
    'GET \\v1\\decisions HTTP/1.1',
    'GET //evil.example/v1/decisions/no-such-id HTTP/1.1',
    'GET http://evil.example/v1/decisions/no-such-id HTTP/1.1',
    'GET http://[::1 HTTP/1.1',
    'CONNECT 127.0.0.1:22 HTTP/1.1',
    'OPTIONS * HTTP/1.1',
    'TRACE /v1/decisions/no-such-id HTTP/1.1',
    'DELETE /v1/decisions/no-such-id HTTP/1.1',
    'PUT /v1/decisions/no-such-id HTTP/1.1',
    'PATCH /v1/policies/reload HTTP/1.1',
    'HEAD /v1/decisions/export?from=yesterday HTTP/1.1',
    'POST /v1/decisions/x/replay HTTP/1.1',
    'GET /v1/decisions/' + 'a'.repeat(65) + ' HTTP/1.1',
    'GET /v1/decisions?limit=1&limit=2 HTTP/1.1',
    'GET /v1/decisions?cursor[$gt]=1 HTTP/1.1',
    'GET /v1/decisions?__proto__[polluted]=1 HTTP/1.1',
    `GET /v1/decisions?${'a=1&'.repeat(3_000)} HTTP/1.1`,
    `GET /${'a/'.repeat(10_000)} HTTP/1.1`,
    'PRI * HTTP/2.0',
    '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', // a TLS ClientHello prefix
  ];
  const out: HostileCase[] = [];
  // Each request line twice: without a token and with one (the authenticated one reaches the routes, where
  // every path here names nothing that exists, so even a lenient parse cannot earn a 2xx).
  for (const l of lines) {
    out.push({ name: `request line ${JSON.stringify(l.slice(0, 60))}`, payload: b(`${l}${CRLF}${tail}`) });
    out.push({ name: `request line ${JSON.stringify(l.slice(0, 60))} with a token`, payload: b(`${l}${CRLF}${auth}${tail}`) });
  }
  // Bare newlines, no blank line, only CRLFs.
  out.push({ name: 'only CRLFs', payload: b(CRLF.repeat(200)) });
  out.push({ name: 'LF-only request', payload: b('GET /v1/decisions/no-such-id HTTP/1.1\nHost: x\n\n') });
  out.push({ name: 'CR-only request', payload: b('GET /v1/decisions/no-such-id HTTP/1.1\rHost: x\r\r') });
  out.push({ name: 'request line of 100 KB', payload: b(`GET /${'x'.repeat(100_000)} HTTP/1.1${CRLF}${tail}`), expect: [431] });
  return out;
}

function garbage(rand: () => number, n: number): HostileCase[] {
  const out: HostileCase[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rand() * (i % 10 === 0 ? 40_000 : 600));
    const bytes = Buffer.alloc(len);
    for (let k = 0; k < len; k++) bytes[k] = Math.floor(rand() * 256);
    // A third start like a real request so the garbage lands in the header or body parser, not the method.
    const prefix = ['', `POST /v1/decisions HTTP/1.1${CRLF}`, `POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}${auth}Content-Type: application/json${CRLF}Content-Length: ${len}${CRLF}${CRLF}`][i % 3]!;
    out.push({ name: `garbage #${i} (${len} bytes after ${JSON.stringify(prefix.slice(0, 20))})`, payload: b(prefix, bytes) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describe('a real service process under 1,000 hostile requests', () => {
  it(`${SLOW_SOCKETS} stalled partial bodies each get 503 TIMEOUT or a close within REQUEST_TIMEOUT_MS + margin`, async () => {
    const margin = 2_000;
    const cases = Array.from({ length: SLOW_SOCKETS }, (_, i) => {
      const declared = [100, 4_000, BODY_LIMIT][i % 3]!;
      const sentPart = APP.slice(0, Math.min(APP.length, declared) - 1 - (i % 7));
      return b(`POST ${BODY_ROUTES[i % BODY_ROUTES.length]} HTTP/1.1${CRLF}Host: x${CRLF}${auth}Content-Type: application/json${CRLF}Content-Length: ${declared}${CRLF}${CRLF}`, sentPart);
    });
    const outcomes = await Promise.all(cases.map((p) => exchange(svc.port, p, { end: false, waitMs: REQUEST_TIMEOUT_MS + margin, untilAnswer: true })));
    const problems: string[] = [];
    for (const [i, o] of outcomes.entries()) {
      if (o.stalled) problems.push(`slow body #${i}: neither an answer nor a close after ${REQUEST_TIMEOUT_MS + margin} ms`);
      for (const r of o.responses) {
        if (!(r.status === 503 && r.body.includes('"TIMEOUT"')) && !(r.status >= 400 && r.status < 500)) problems.push(`slow body #${i}: answered ${r.status} ${r.body.slice(0, 200)}`);
        problems.push(...leaksIn(`slow body #${i}`, r));
      }
    }
    expect(problems).toEqual([]);
  });

  it(`${SLOW_SOCKETS} slowloris sockets with partial headers are closed (408) within the server's own header/request timeouts`, async () => {
    // src/main.ts sets server.requestTimeout = max(REQUEST_TIMEOUT_MS + 1000, 5000) and headersTimeout = 10 s:
    // a client that never finishes its headers must be cut off by then (plus a scheduling margin).
    const bound = Math.min(SERVER_REQUEST_TIMEOUT_MS, SERVER_HEADERS_TIMEOUT_MS) + 3_000;
    const partial = [
      `POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}`,
      `POST /v1/decisions HTTP/1.1${CRLF}Host: x${CRLF}X-Slow: 1`,
      `GET /v1/decisions/export HTTP/1.1${CRLF}${auth}`,
      'GET /healthz HTTP/1.1',
      'P',
    ];
    const pending = Array.from({ length: SLOW_SOCKETS }, (_, i) => exchange(svc.port, b(partial[i % partial.length]!), { end: false, waitMs: bound, untilAnswer: true }));
    // While they hang, the service keeps answering everyone else.
    await new Promise((r) => setTimeout(r, 500));
    expect((await call(svc.port, 'GET', '/healthz')).status).toBe(200);
    const outcomes = await Promise.all(pending);
    const problems: string[] = [];
    for (const [i, o] of outcomes.entries()) {
      if (o.stalled)
        problems.push(
          `slowloris #${i} (${JSON.stringify(partial[i % partial.length]!.slice(0, 30))}): still open after ${bound} ms although server.requestTimeout is ${SERVER_REQUEST_TIMEOUT_MS} ms and headersTimeout ${SERVER_HEADERS_TIMEOUT_MS} ms`,
        );
      for (const r of o.responses) {
        if (r.status < 400 || r.status >= 500) problems.push(`slowloris #${i}: answered ${r.status}`);
        problems.push(...leaksIn(`slowloris #${i}`, r));
      }
    }
    expect(problems).toEqual([]);
  }, 30_000);

  it('every other hostile request gets a 4xx without internals, and nothing hangs', async () => {
    const rand = mulberry32(0x7de0);
    const fixed = [...hugeBodies(), ...deepNesting(), ...contentTypes(), ...invalidUtf8(rand), ...headerAttacks(), ...requestLines()];
    const barrage = TOTAL - 2 * SLOW_SOCKETS;
    expect(fixed.length).toBeLessThan(barrage);
    const cases = [...fixed, ...garbage(rand, barrage - fixed.length)];
    expect(cases).toHaveLength(barrage);

    const started = performance.now();
    const outcomes = await pool(
      cases.map((c) => () => exchange(svc.port, c.payload, { end: true, waitMs: 10_000 })),
      CONCURRENCY,
    );
    const elapsed = performance.now() - started;

    const statuses = new Map<number, number>();
    let closedWithoutAnswer = 0;
    const problems: string[] = [];
    for (const [i, o] of outcomes.entries()) {
      const c = cases[i]!;
      if (o.stalled) problems.push(`${c.name}: no answer and no close after 10 s (hang)`);
      if (!o.responses.length) closedWithoutAnswer++;
      for (const r of o.responses) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status < 400 || r.status >= 500) problems.push(`${c.name}: answered ${r.status} ${r.body.slice(0, 300)}`);
        problems.push(...leaksIn(c.name, r));
      }
      const first = o.responses[0];
      if (c.expect && first && !c.expect.includes(first.status)) problems.push(`${c.name}: expected ${c.expect.join(' or ')}, got ${first.status} ${first.body.slice(0, 200)}`);
      if (c.expect && !first && !o.stalled) problems.push(`${c.name}: expected ${c.expect.join(' or ')}, the connection closed without an answer`);
    }
    // For the report when something fails: the mix of answers.
    const mix = JSON.stringify({ statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), closedWithoutAnswer, ms: Math.round(elapsed) });
    expect(problems, mix).toEqual([]);
    expect(unhandled, 'the service logged unhandled errors (500s)').toEqual([]);
  }, 60_000);

  it('afterwards the same process is alive, healthy and still decides', async () => {
    expect(sent).toBe(TOTAL);
    expect(svc.proc.exitCode).toBeNull();
    expect(svc.proc.signalCode).toBeNull();
    expect((await call(svc.port, 'GET', '/healthz')).status).toBe(200);
    expect((await call(svc.port, 'GET', '/readyz')).status).toBe(200);
    const decided = await call(svc.port, 'POST', '/v1/decisions', exampleApplication());
    expect(decided.status, JSON.stringify(decided.body).slice(0, 500)).toBe(200);
    expect(typeof decided.body.decisionId).toBe('string');
    const verify = await call(svc.port, 'GET', '/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
