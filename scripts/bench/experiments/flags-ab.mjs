// The service under different node flags, alternating run by run (a flag's A/B on a shared machine): each run
// a fresh service, a 3 s warm-up, then `seconds` of the corpus load — paced at 300 decisions/s (load.mjs's
// open loop), or with `sat` 50 busy connections. Prints one line per run, then each variant's medians.
//   node scripts/bench/experiments/flags-ab.mjs '<[[name, [flags…]], …] as JSON>' [rounds, default 3] [seconds, default 10] [sat]
// e.g. `node scripts/bench/experiments/flags-ab.mjs '[["pool4",["--v8-pool-size=4"]],["pool1",["--v8-pool-size=1"]]]' 6 10`
// Every variant runs with npm start's flags first (lib.mjs's serviceFlags), so a variant's flag overrides a shipped
// one: name the baseline's value explicitly (V8's own default pool is 4) rather than an empty list.
import { measureServer, service } from '../lib.mjs';

const variants = JSON.parse(process.argv[2]);
const rounds = Number(process.argv[3] ?? 3);
const seconds = Number(process.argv[4] ?? 10);
const load = process.argv[5] === 'sat' ? { corpus: true } : { corpus: true, rate: 300, paced: true };
const seen = {};
for (let round = 1; round <= rounds; round++) {
  for (const [name, flags] of round % 2 ? variants : [...variants].reverse()) {
    const r = await measureServer(() => service({}, flags), '/v1/decisions', { load, seconds });
    const row = { round, name, requestsPerSec: Math.round(r.requestsPerSec), serverCpuUsPerRequest: r.serverCpuUsPerRequest, p50ms: r.p50ms, p90ms: r.p90ms, p99ms: r.p99ms, ...(r.invalid ? { invalid: r.invalid } : {}) };
    (seen[name] ??= []).push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, rows] of Object.entries(seen)) {
  const of = (k) => median(rows.map((r) => r[k]).filter((v) => v !== undefined));
  process.stdout.write(`${JSON.stringify({ name, requestsPerSec: of('requestsPerSec'), serverCpuUsPerRequest: of('serverCpuUsPerRequest'), p90ms: of('p90ms'), p99ms: of('p99ms') })}\n`);
}
