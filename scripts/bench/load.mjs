// The load generator of the HTTP benchmarks, in a process of its own: autocannon against one URL.
//   node scripts/bench/load.mjs '<options as JSON>'
// Options: url, connections (50), duration (s) or amount (requests), rate (requests/s over all connections),
// paced (with rate and duration: open loop, one request every 1/rate s, on raw sockets: see paced.mjs),
// token, and for POSTs either body (one JSON text) or corpus: true — every application of the shipped policy's
// test cases in turn, so the service decides varied applications (every rule fires) instead of one repeated.
// Prints one JSON object: requests/s, latency percentiles, non-2xx, errors, timeouts, total, and this process's
// CPU time per request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import YAML from 'yaml';
import { pacedRaw, requestText } from './paced.mjs';
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
  const target = new URL(o.url);
  const requests = (bodies.length ? bodies : [undefined]).map((body) => requestText({ method: body === undefined ? 'GET' : 'POST', path: target.pathname + target.search, host: target.host, headers: body === undefined ? (o.token ? { authorization: headers.authorization } : {}) : headers, body }));
  const r = await pacedRaw({ host: target.hostname, port: Number(target.port), requests, rate: o.rate, seconds: o.duration ?? 10, connections: o.connections ?? 50 });
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
