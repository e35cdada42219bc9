// The paced (open-loop) load of load.mjs, on raw keep-alive sockets. It shares two cores with the server it
// measures, so it does the least it can per request: each request's bytes are built once, and a response is
// read only far enough to know its status and where it ends (Content-Length). Node's HTTP client cost ~0.7 ms
// of CPU per request here, a fifth of a core at 300 requests/s taken from the server being measured
// (docs/perf-journal.md, 2026-12-07 morning).
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');
/** Sockets idle longer than this are closed rather than reused: below the service's 5 s keep-alive timeout. */
const IDLE_MS = 4000;

/**
 * Request i is due at start + i/rate whatever became of the others, and its latency runs from when it was due
 * (so a stalled server is not hidden by requests it delayed). At most `connections` requests are in flight, one
 * per socket (HTTP/1.1 keep-alive, no pipelining); one that finds every socket busy waits, its wait counted in
 * its latency. A response without Content-Length, or a socket that fails, counts as an error; 10 s without an
 * answer is a timeout. `requests` are the complete request texts (head and body) to send in turn.
 */
export async function pacedRaw({ host, port, requests, rate, seconds, connections }) {
  const wire = requests.map((r) => Buffer.from(r, 'utf8'));
  const total = Math.round(rate * seconds);
  const latencies = [];
  const counts = { non2xx: 0, errors: 0, timeouts: 0 };
  const idle = [];
  const waiting = [];
  let open = 0;
  let settled = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  if (total === 0) done();
  const start = performance.now();

  const settle = (conn, due, outcome) => {
    clearTimeout(conn.timer);
    conn.current = undefined;
    // A non-2xx answer is an answer: its latency counts, as autocannon counts it.
    if (outcome === 'ok' || outcome === 'non2xx') latencies.push(performance.now() - due);
    if (outcome !== 'ok') counts[outcome]++;
    if (++settled === total) done();
    if (conn.socket.destroyed) open--;
    else {
      conn.idleSince = performance.now();
      idle.push(conn);
    }
    const next = waiting.shift();
    if (next !== undefined) send(next);
  };

  const newConnection = () => {
    const conn = { socket: connect({ host, port, noDelay: true }), buffer: undefined, current: undefined, timer: undefined, idleSince: 0 };
    open++;
    conn.socket.on('data', (chunk) => read(conn, chunk));
    const fail = () => {
      conn.socket.destroy();
      if (conn.current) settle(conn, conn.current.due, conn.current.timedOut ? 'timeouts' : 'errors');
      else {
        const at = idle.indexOf(conn);
        if (at >= 0) {
          idle.splice(at, 1);
          open--;
        }
      }
    };
    conn.socket.on('error', fail);
    conn.socket.on('close', fail);
    return conn;
  };

  /** Reads a response: its head for the status and Content-Length, then as many body bytes as it says. */
  const read = (conn, chunk) => {
    const r = conn.current;
    if (!r) return;
    if (r.remaining === undefined) {
      conn.buffer = conn.buffer ? Buffer.concat([conn.buffer, chunk]) : chunk;
      const end = conn.buffer.indexOf(CRLF2);
      if (end < 0) return;
      const head = conn.buffer.toString('latin1', 0, end);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) return conn.socket.destroy();
      r.status = Number(head.slice(9, 12));
      r.close = /\r\nconnection:\s*close/i.test(head);
      r.remaining = Number(length[1]) - (conn.buffer.length - end - 4);
      conn.buffer = undefined;
    } else r.remaining -= chunk.length;
    if (r.remaining > 0) return;
    if (r.close) conn.socket.destroy();
    settle(conn, r.due, r.status >= 200 && r.status <= 299 ? 'ok' : 'non2xx');
  };

  /** The most recently used idle socket, closing those idle so long the server may be closing them (keep-alive: 5 s). */
  const reuse = () => {
    const now = performance.now();
    for (let conn = idle.pop(); conn; conn = idle.pop()) {
      if (now - conn.idleSince < IDLE_MS) return conn;
      conn.socket.destroy();
      open--;
    }
    return undefined;
  };

  const send = (i) => {
    const conn = reuse() ?? (open < connections ? newConnection() : undefined);
    if (!conn) return waiting.push(i);
    const due = start + (i * 1000) / rate;
    conn.current = { due, remaining: undefined, status: 0, close: false, timedOut: false };
    conn.timer = setTimeout(() => {
      conn.current.timedOut = true;
      conn.socket.destroy();
    }, 10_000);
    conn.socket.write(wire[i % wire.length]);
  };

  for (let n = 0; n < total; ) {
    const now = performance.now();
    while (n < total && start + (n * 1000) / rate <= now) send(n++);
    if (n < total) await new Promise((r) => setTimeout(r, Math.max(0, start + (n * 1000) / rate - performance.now())));
  }
  await finished;
  const elapsed = (performance.now() - start) / 1000;
  for (const conn of idle) conn.socket.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return { requestsPerSec: Math.round(latencies.length / elapsed), p50ms: at(0.5), p90ms: at(0.9), p99ms: at(0.99), maxMs: at(1), ...counts, total: latencies.length };
}

/** The complete text of one request, head and body. */
export function requestText({ method, path, host, headers, body }) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}
