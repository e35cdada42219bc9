// A/B of the whole service: this checkout's dist/ against another build (a copy made before a change, kept
// inside the checkout so node_modules, policies and schemas resolve, e.g. `cp -r dist .bench/dist-before`), alternating
// run by run so a machine whose speed drifts slows both alike. Each run: a 3 s warm-up, then `seconds` of the
// corpus load (50 connections), or with --paced=<rate> an open loop at that rate (load.mjs's paced mode, latency
// from when each request was due). Prints one JSON line per run, then each build's medians.
//   node scripts/bench/experiments/service-ab.mjs <other dist dir> [seconds, default 8] [rounds, default 3] ['<query, e.g. ?explain=full>'] [--paced=300]
import { resolve } from 'node:path';
import { measureServer, pacedArgument, root, service } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
const other = resolve(args[0] ?? '');
const seconds = Number(args[1] ?? 8);
const rounds = Number(args[2] ?? 3);
const query = args[3] ?? '';
const load = pacedAt ? { corpus: true, rate: pacedAt, paced: true } : { corpus: true };
const builds = [['other', other], ['this', resolve(root, 'dist')]];
const seen = { other: [], this: [] };
for (let round = 1; round <= rounds; round++) {
  for (const [name, dist] of round % 2 ? builds : [...builds].reverse()) {
    const r = await measureServer(() => service({}, [], dist), `/v1/decisions${query}`, { load, seconds });
    const tail = pacedAt ? { p50ms: r.p50ms, p90ms: r.p90ms, p99ms: r.p99ms, maxMs: r.maxMs } : { p99ms: r.p99ms };
    const row = { round, name, requestsPerSec: Math.round(r.requestsPerSec), serverCpuUsPerRequest: r.serverCpuUsPerRequest, ...tail, ...(r.invalid ? { invalid: r.invalid } : {}) };
    seen[name].push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, rows] of Object.entries(seen))
  process.stdout.write(`${JSON.stringify({ name, medianRequestsPerSec: median(rows.map((r) => r.requestsPerSec)), medianServerCpuUs: median(rows.map((r) => r.serverCpuUsPerRequest)), medianP99ms: median(rows.map((r) => r.p99ms)) })}\n`);
