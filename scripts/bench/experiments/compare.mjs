// Hello, the contract's floor, the durable floor and the service, one after the other, for `rounds` rounds:
// alternating, so a machine whose speed drifts slows all four alike, as one `npm run bench` cannot promise.
//   node scripts/bench/experiments/compare.mjs [seconds per measurement, default 8] [rounds, default 2]
// Run `npm run build` first. Each server gets lib.mjs WARM_UP_SECONDS of warm-up, then `seconds` of load
// (50 connections; the decision servers through the 179 corpus applications). Prints one JSON line per measurement.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureServer, root, service, serviceFlags, startServer } from '../lib.mjs';

const seconds = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 2);
const port = /"port":(\d+)/;
const floor = (env = {}) => startServer([...serviceFlags, join(root, 'scripts', 'bench', 'floor.mjs')], { PORT: '0', ...env }, port);
const servers = [
  ['hello', () => startServer([join(root, 'scripts', 'bench', 'hello.mjs')], { PORT: '0' }, port), '/hello', {}],
  ['floor', () => floor(), '/v1/decisions', { corpus: true }],
  ['floorDurable', () => floor({ FLOOR_AUDIT: join(mkdtempSync(join(tmpdir(), 'tideover-bench-')), 'floor.db') }), '/v1/decisions', { corpus: true }],
  ['decisions', () => service({}), '/v1/decisions', { corpus: true }],
];
for (let round = 1; round <= rounds; round++) {
  for (const [name, start, path, load] of servers) {
    const r = await measureServer(start, path, { load, seconds });
    const { p50ms, p99ms, serverCpuUsPerRequest, loadGeneratorCpuUsPerRequest, invalid } = r;
    process.stdout.write(`${JSON.stringify({ round, name, requestsPerSec: Math.round(r.requestsPerSec), p50ms, p99ms, serverCpuUsPerRequest, loadGeneratorCpuUsPerRequest, ...(invalid ? { invalid } : {}) })}\n`);
  }
}
