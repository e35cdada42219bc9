// The load generator of the HTTP benchmarks, in a process of its own: autocannon against one URL.
//   node scripts/bench/load.mjs '<options as JSON>'
// Options: url, connections (50), duration (s) or amount (requests), rate (requests/s over all connections),
// paced (with rate and duration: open loop, one request every 1/rate s, see paced() below),
// token, and for POSTs either body (one JSON text) or corpus: true — every application of the shipped policy's
// test cases in turn, so the service decides varied applications (every rule fires) instead of one repeated.
// Prints one JSON object: requests/s, latency percentiles, non-2xx, errors, timeouts, total, and this process's
// CPU time per request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import YAML from 'yaml';
import { deepMerge } from '../../dist/src/core/policy-tests/merge.js';

const root = join(import.meta.dirname, '..', '..');
const o = JSON.parse(process.argv[2]);

/** The applications of policies/restructuring/1.0.0.test.yaml, each case's patch over the shared base. */
function corpus() {
  const doc = YAML.parse(readFileSync(join(root, 'policies', 'restructuring', '1.0.0.test.yaml'), 'utf8'));
  return doc.cases.map((c) => JSON.stringify(deepMerge(doc.base, c.patch)));
}

const bodies = o.corpus ? corpus() : o.body !== undefined ? [o.body] : [];
const headers = { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
// The load generator shares the machine's cores with the server: its own CPU per request says how much of them.
const cpu0 = process.cpuUsage();
if (o.paced) {
  const r = await paced(o.rate, o.duration ?? 10, o.connections ?? 50);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ ...r, paced: true, loadGeneratorCpuUsPerRequest: r.total ? Math.round((cpu.user + cpu.system) / r.total) : null })}\n`);
  process.exit(0);
}
const r = await autocannon({
  url: o.url,
  connections: o.connections ?? 50,
  ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
  ...(o.rate ? { overallRate: o.rate } : {}),
  ...(bodies.length ? { requests: bodies.map((body) => ({ method: 'POST', headers, body })) } : {}),
});
const cpu = process.cpuUsage(cpu0);
const loadGeneratorCpuUsPerRequest = r.requests.total ? Math.round((cpu.user + cpu.system) / r.requests.total) : null;
process.stdout.write(`${JSON.stringify({ requestsPerSec: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.requests.total, loadGeneratorCpuUsPerRequest })}\n`);

/**
 * An open-loop load at a steady rate: request i is due at start + i/rate whatever became of the others, and its
 * latency runs from when it was due (so a stalled server is not hidden by requests it delayed). autocannon's
 * `overallRate` lets each second's quota go out at once at the start of the second, which measures how a burst
 * queues rather than the latency at that rate. At most `connections` requests are in flight; one that finds
 * none free waits, its wait counted in its latency.
 */
async function paced(rate, seconds, connections) {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(o.url);
  const total = Math.round(rate * seconds);
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let n = 0;
  const start = performance.now();
  const send = (i) =>
    new Promise((resolve) => {
      const due = start + (i * 1000) / rate;
      const body = bodies.length ? bodies[i % bodies.length] : undefined;
      const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
          latencies.push(performance.now() - due);
          resolve();
        });
      });
      let timedOut = false;
      // A server that stops answering ends the run instead of hanging it (autocannon's own timeout is 10 s too).
      req.setTimeout(10_000, () => {
        timedOut = true;
        timeouts++;
        req.destroy();
      });
      req.on('error', () => {
        if (!timedOut) errors++;
        resolve();
      });
      req.end(body);
    });
  const inFlight = [];
  while (n < total) {
    const now = performance.now();
    while (n < total && start + (n * 1000) / rate <= now) inFlight.push(send(n++));
    await new Promise((r) => setTimeout(r, Math.max(0, start + (n * 1000) / rate - performance.now())));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return { requestsPerSec: Math.round(latencies.length / elapsed), p50ms: at(0.5), p90ms: at(0.9), p99ms: at(0.99), maxMs: at(1), non2xx, errors, timeouts, total: latencies.length };
}
