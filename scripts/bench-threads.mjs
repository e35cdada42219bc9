// Where the service's CPU goes, thread by thread, under the decision load: the main thread, the SQLite writer
// thread and V8's helper threads (GC), from /proc (Linux). Also page faults per decision and resident memory.
//   node scripts/bench-threads.mjs [seconds, default 8] ['<service env as JSON>'] ['<query, e.g. ?explain=none>']
// e.g. `node scripts/bench-threads.mjs 8 '{"AUDIT_URL":"sqlite::memory:"}'`. Run `npm run build` first. The
// service starts as bench.mjs starts it (the shipped V8 flags, a fresh trail), warms up for 3 s under the corpus
// load, then is measured for `seconds`. Prints one JSON object; threads are named by Linux thread id, busiest first.
import { readFileSync, readdirSync } from 'node:fs';
import { autocannon, service, stopServer } from './bench-lib.mjs';

const seconds = Number(process.argv[2] ?? 8);
const env = JSON.parse(process.argv[3] ?? '{}');
const query = process.argv[4] ?? '';

/** CPU seconds of each thread of a process: utime + stime in clock ticks of 1/100 s. */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}
const minorFaults = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[7]);
const statusKiB = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

const s = await service(env);
try {
  const url = `http://127.0.0.1:${s.port}/v1/decisions${query}`;
  autocannon(url, { corpus: true, duration: 3 });
  const faults0 = minorFaults(s.proc.pid);
  const before = threads(s.proc.pid);
  const r = autocannon(url, { corpus: true, duration: seconds });
  const after = threads(s.proc.pid);
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
      failed: r.errors + r.non2xx + r.timeouts,
      cpuUsPerDecisionByThread: Object.fromEntries(byThread),
      cpuUsPerDecision: byThread.reduce((sum, [, us]) => sum + us, 0),
      minorFaultsPerDecision: perDecision(minorFaults(s.proc.pid) - faults0),
      rssMiB: Math.round(statusKiB(s.proc.pid, 'VmRSS') / 1024),
      peakRssMiB: Math.round(statusKiB(s.proc.pid, 'VmHWM') / 1024),
    })}\n`,
  );
} finally {
  await stopServer(s);
}
