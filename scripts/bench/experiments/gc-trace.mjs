// What the garbage collector does per decision under the corpus load: V8's --trace-gc-nvp lines of the
// service, summed by kind (s: scavenge of the young generation, mc: mark-compact of the whole heap) over
// `seconds` after the warm-up (lib.mjs WARM_UP_SECONDS): collections, main-thread pause, and bytes promoted to
// the old generation.
//   node scripts/bench/experiments/gc-trace.mjs [other dist dir, default this checkout's] [seconds, default 8] [extra node flags…] [--paced=300]
// With --paced=<rate> the measured load is load.mjs's open loop at that rate; the scavenges' survivors (bytes
// copied within the young generation, `survivedKB`) are summed too.
// Promotion follows how long a request's objects stay reachable (its time in flight) against how often
// scavenges come (allocation rate over the young generation's size), not only how much a decision allocates.
import { resolve } from 'node:path';
import { autocannon, autocannonAsync, corpusLoad, pacedArgument, service, stopServer, WARM_UP_SECONDS } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
const dist = args[0] ? resolve(args[0]) : undefined;
const seconds = Number(args[1] ?? 8);
const s = await service({}, ['--trace-gc', '--trace-gc-nvp', ...args.slice(2)], dist);
let out = '';
s.proc.stdout.on('data', (c) => (out += c));
try {
  const url = `http://127.0.0.1:${s.port}/v1/decisions`;
  autocannon(url, { corpus: true, duration: WARM_UP_SECONDS });
  await new Promise((r) => setTimeout(r, 200));
  out = '';
  const r = await autocannonAsync(url, corpusLoad(pacedAt, { duration: seconds }));
  const decisions = r.total;
  const byKind = {};
  for (const line of out.split('\n')) {
    const kind = /\bgc=(\w+)/.exec(line)?.[1];
    if (!kind) continue;
    const k = (byKind[kind] ??= { collections: 0, pauseMs: 0, maxPauseMs: 0, promotedKB: 0, survivedKB: 0 });
    k.collections++;
    const pause = Number(/\bpause=([\d.]+)/.exec(line)?.[1] ?? 0);
    k.pauseMs += pause;
    k.maxPauseMs = Math.max(k.maxPauseMs, pause);
    k.survivedKB += Number(/\bnew_space_survived=(\d+)/.exec(line)?.[1] ?? 0) / 1024;
    k.promotedKB += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0) / 1024;
  }
  const perDecision = Object.fromEntries(Object.entries(byKind).map(([kind, k]) => [kind, { ...k, pauseUsPerDecision: (k.pauseMs * 1000) / decisions, promotedKBPerDecision: k.promotedKB / decisions }]));
  process.stdout.write(`${JSON.stringify({ decisions, seconds, byKind: perDecision }, (_, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`);
} finally {
  await stopServer(s);
}
