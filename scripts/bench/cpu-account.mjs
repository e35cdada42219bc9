// The CPU account: where the service's CPU goes per decision, on every thread, by named part.
//   node scripts/bench/cpu-account.mjs [seconds, default 8] ['<query, e.g. ?explain=full>'] ['<service env as JSON>'] [extra node flags…]
// Run `npm run build` first (`npm run bench -- --account` does). The service runs with V8's sampling profiler
// (`--cpu-prof`, one sample every 250 µs, on the main thread and the SQLite writer thread) under the corpus load
// of the other HTTP benchmarks, after their warm-up (WARM_UP_SECONDS). Only the samples taken inside the measured
// window count, and each is charged to one part by its stack (leaf first: the innermost frame that belongs to a
// known part wins, so JSON.stringify called by the chain's record code is "record encoding"). V8's helper
// threads (parallel and concurrent garbage collection, background compilation) are not sampled: their CPU comes
// from /proc. Each sampled thread's parts are its samples' shares of the CPU /proc counted for it in the window,
// so the parts add up to the process's CPU; unscaledOverMeasured is the check that the raw samples agree with
// /proc (within ~10 % on this machine).
// The profiler's own threads are left out (profilerNotCharged). A run of the same load on the service without
// the profiler comes first; its CPU per decision is printed as unprofiledUsPerDecision.
// ACCOUNT_PACED=<rate>: the measured load is load.mjs's open loop at that rate (one request every 1/rate s)
// instead of 50 busy connections, to see where a decision's CPU goes when the service is not saturated.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannon, corpusLoad, service, stopServer, threadCpuSecondsOf, threadNamesOf, WARM_UP_SECONDS } from './lib.mjs';
import { PARTS, partOf } from './cpu-parts.mjs';

const seconds = Number(process.argv[2] ?? 8);
const query = process.argv[3] ?? '';
const env = JSON.parse(process.argv[4] ?? '{}');
const extraFlags = process.argv.slice(5);
const INTERVAL_US = 250;

/** CLOCK_MONOTONIC in µs: the clock V8 stamps profile samples with. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const pacedAt = Number(process.env.ACCOUNT_PACED ?? 0);
const profDir = mkdtempSync(join(tmpdir(), 'tideover-cpu-account-'));

/** The service started with `flags`, warmed up, then loaded for `seconds`: the load's result and each thread's CPU. */
async function measured(flags) {
  const s = await service(env, [...extraFlags, ...flags]);
  try {
    const url = `http://127.0.0.1:${s.port}/v1/decisions${query}`;
    autocannon(url, { corpus: true, duration: WARM_UP_SECONDS });
    const before = threadCpuSecondsOf(s.proc.pid);
    const t0 = nowUs();
    const r = autocannon(url, corpusLoad(pacedAt, { duration: seconds }));
    const t1 = nowUs();
    return { r, pid: s.proc.pid, t0, t1, before, after: threadCpuSecondsOf(s.proc.pid), names: threadNamesOf(s.proc.pid) };
  } finally {
    await stopServer(s);
  }
}

// The same measurement without the profiler first, so the account's total can be set beside the service's own
// (the host's drift between two runs a minute apart was as large as any slowing by the profiler: 1,442 µs
// unprofiled against 1,216 profiled at 2026-12-07 14:51, 992 against 1,412 four minutes earlier).
const unprofiled = await measured([]);
const window = await measured(['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${INTERVAL_US}`]);
const { r, pid: servicePid } = window;

/** µs charged to each part by one profile's samples inside the window, and the µs it sampled as busy. */
function charge(profile, t0, t1) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOfNode = new Map();
  const partFor = (id) => {
    let p = partOfNode.get(id);
    if (p !== undefined) return p;
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at).callFrame);
    p = partOf(stack);
    partOfNode.set(id, p);
    return p;
  };
  const parts = {};
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < t0 || t > t1) continue;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? INTERVAL_US;
    const part = partFor(profile.samples[i]);
    if (part === null) continue;
    parts[part] = (parts[part] ?? 0) + us;
  }
  return parts;
}

const profiles = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
// CPU.<date>.<time>.<pid>.<node thread id>.<seq>.cpuprofile: thread 0 is the main thread, the others workers.
const threadOf = (f) => Number(f.split('.')[4]);
const perDecision = (us) => Math.round(us / r.total);
const mainFile = profiles.find((f) => threadOf(f) === 0);
const workerFiles = profiles.filter((f) => threadOf(f) !== 0);
const load = (f) => JSON.parse(readFileSync(join(profDir, f), 'utf8'));
const main = charge(load(mainFile), window.t0, window.t1);
const writer = {};
for (const f of workerFiles) for (const [k, v] of Object.entries(charge(load(f), window.t0, window.t1))) writer[k] = (writer[k] ?? 0) + v;

const pid = String(servicePid);
const allThreadUs = [...window.after].map(([tid, cpu]) => [tid, 1e6 * (cpu - (window.before.get(tid) ?? 0))]);
const unprofiledUs = [...unprofiled.after].reduce((a, [tid, cpu]) => a + 1e6 * (cpu - (unprofiled.before.get(tid) ?? 0)), 0);
// The profiler's own threads (the sampler's event processors) are the measurement, not the service: 164–217 µs
// per decision at 2026-12-07 14:50, which the accounts before then charged to the helper threads.
const isProfiler = (tid) => window.names.get(tid) === 'v8:ProfEvntProc';
const profilerUs = allThreadUs.filter(([tid]) => isProfiler(tid)).reduce((a, [, us]) => a + us, 0);
const threadUs = allThreadUs.filter(([tid]) => !isProfiler(tid));
const totalUs = threadUs.reduce((a, [, us]) => a + us, 0);
const mainProcUs = threadUs.find(([tid]) => tid === pid)?.[1] ?? 0;
const writerSampledUs = Object.values(writer).reduce((a, b) => a + b, 0);
// The writer thread is the non-main thread whose /proc CPU is nearest what its profile sampled as busy; the
// rest are V8's and libuv's helper threads.
const others = threadUs.filter(([tid]) => tid !== pid).sort((a, b) => Math.abs(a[1] - writerSampledUs) - Math.abs(b[1] - writerSampledUs));
const writerProcUs = workerFiles.length ? (others[0]?.[1] ?? 0) : 0;
const helpersUs = totalUs - mainProcUs - writerProcUs;

const mainSampledUs = Object.values(main).reduce((a, b) => a + b, 0);
// A sample stands for its whole interval, also when the thread was runnable but preempted (two cores shared with
// the load generator): the profile over-counts by ~8–13 %. So each thread's parts are its samples' shares of the
// CPU /proc counted for that thread; unscaledOverMeasured says how far the raw samples were from it.
const mainScale = mainSampledUs ? mainProcUs / mainSampledUs : 0;
const writerScale = writerSampledUs ? writerProcUs / writerSampledUs : 0;
const account = {};
const add = (part, us) => (account[part] = (account[part] ?? 0) + us);
for (const [k, v] of Object.entries(main)) add(k, v * mainScale);
for (const v of Object.values(writer)) add('SQLite (writer thread)', v * writerScale);
add('GC and V8 helper threads', helpersUs);
const chargedUs = Object.values(account).reduce((a, b) => a + b, 0);
const unscaledUs = mainSampledUs + writerSampledUs + helpersUs;
const ordered = Object.fromEntries(
  PARTS
    .filter((p) => account[p])
    .map((p) => [p, perDecision(account[p])])
    .sort((a, b) => b[1] - a[1]),
);
process.stdout.write(
  `${JSON.stringify(
    {
      query: query || '(default)',
      decisionsPerSec: Math.round(r.requestsPerSec),
      p99ms: r.p99ms,
      failed: r.errors + r.non2xx + r.timeouts,
      measuredUsPerDecision: perDecision(totalUs),
      unprofiledUsPerDecision: Math.round(unprofiledUs / unprofiled.r.total),
      chargedUsPerDecision: perDecision(chargedUs),
      chargedOverMeasured: Number((chargedUs / totalUs).toFixed(3)),
      unscaledOverMeasured: Number((unscaledUs / totalUs).toFixed(3)),
      threads: { main: perDecision(mainProcUs), mainSampled: perDecision(mainSampledUs), writer: perDecision(writerProcUs), writerSampled: perDecision(writerSampledUs), v8AndLibuvHelpers: perDecision(helpersUs), profilerNotCharged: perDecision(profilerUs) },
      partsUsPerDecision: ordered,
      note: 'µs of CPU per decision while profiled (the profiler slows the threads it samples: unprofiledUsPerDecision is the same load without it, a minute before); each thread\'s parts are its samples\' shares of its /proc CPU; GC (main thread) = the main thread\'s own collection pauses, sampled; GC and V8 helper threads = every thread but the main, the writer and the profiler\'s own, from /proc',
    },
  )}\n`,
);
