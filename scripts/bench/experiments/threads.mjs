// Where the service's CPU goes, thread by thread, under the decision load: the main thread, the SQLite writer
// thread and V8's helper threads (GC), from /proc (Linux). Also page faults per decision and resident memory.
//   node scripts/bench/experiments/threads.mjs [seconds, default 8] ['<service env as JSON>'] ['<query, e.g. ?explain=none>'] [--paced=300]
// With --paced=<rate> the measured load is load.mjs's open loop at that rate instead of 50 busy connections.
// e.g. `node scripts/bench/experiments/threads.mjs 8 '{"AUDIT_URL":"sqlite::memory:"}'`. Run `npm run build`
// first. The service starts as bench.mjs starts it (the shipped V8 flags, a fresh trail), warms up for
// WARM_UP_SECONDS (lib.mjs) under the corpus load, then is measured for `seconds`. Prints one JSON object;
// threads are named by Linux thread id, busiest first.
import { autocannon, corpusLoad, minorFaultsOf, pacedArgument, service, statusMiBOf, stopServer, threadCpuSecondsOf, WARM_UP_SECONDS } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
const seconds = Number(args[0] ?? 8);
const env = JSON.parse(args[1] ?? '{}');
const query = args[2] ?? '';

const s = await service(env);
try {
  const url = `http://127.0.0.1:${s.port}/v1/decisions${query}`;
  autocannon(url, { corpus: true, duration: WARM_UP_SECONDS });
  const faults0 = minorFaultsOf(s.proc.pid);
  const before = threadCpuSecondsOf(s.proc.pid);
  const r = autocannon(url, corpusLoad(pacedAt, { duration: seconds }));
  const after = threadCpuSecondsOf(s.proc.pid);
  const perDecision = (x) => Math.round(x / r.total);
  const byThread = [...after]
    .map(([tid, cpu]) => [tid, perDecision(1e6 * (cpu - (before.get(tid) ?? 0)))])
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1]);
  process.stdout.write(
    `${JSON.stringify({
      decisionsPerSec: Math.round(r.requestsPerSec),
      p50ms: r.p50ms,
      p99ms: r.p99ms,
      ...(pacedAt ? { p90ms: r.p90ms, maxMs: r.maxMs } : {}),
      failed: r.errors + r.non2xx + r.timeouts,
      cpuUsPerDecisionByThread: Object.fromEntries(byThread),
      cpuUsPerDecision: byThread.reduce((sum, [, us]) => sum + us, 0),
      minorFaultsPerDecision: perDecision(minorFaultsOf(s.proc.pid) - faults0),
      rssMiB: statusMiBOf(s.proc.pid, 'VmRSS'),
      peakRssMiB: statusMiBOf(s.proc.pid, 'VmHWM'),
    })}\n`,
  );
} finally {
  await stopServer(s);
}
