// Soak of the HTTP service: N durable decisions of the policy's test applications in turn (default 100,000; argv[2] or BENCH_SOAK_DECISIONS) at full
// load, 50 connections, while the server's resident memory (all threads) is sampled twice a second. Flat
// (±10 %) over the second half means nothing accumulates per request; afterwards the whole trail must verify.
// Run after `npm run build`. Prints one JSON object.
import { autocannon, autocannonAsync, rssMiBOf, service, token } from './lib.mjs';

const total = Number(process.argv[2] ?? process.env.BENCH_SOAK_DECISIONS ?? 100_000);
const s = await service();
try {
  const url = `http://127.0.0.1:${s.port}/v1/decisions`;
  const warm = autocannon(url, { corpus: true, amount: Math.min(2000, total) });
  const samples = [];
  const started = performance.now();
  const sampler = setInterval(() => samples.push({ s: (performance.now() - started) / 1000, rssMiB: rssMiBOf(s.proc.pid) }), 500);
  const load = await autocannonAsync(url, { corpus: true, amount: total });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const secondHalf = samples.filter((x) => x.s >= seconds / 2).map((x) => x.rssMiB);
  const min = Math.min(...secondHalf);
  const max = Math.max(...secondHalf);
  const verify = await (await fetch(`http://127.0.0.1:${s.port}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } })).json();
  const out = {
    decisions: load.total,
    failed: load.non2xx + load.errors,
    seconds: +seconds.toFixed(1),
    decisionsPerSec: Math.round(load.total / seconds),
    p99ms: load.p99ms,
    rssMiB: { secondHalfMin: min, secondHalfMax: max, peak: Math.max(...samples.map((x) => x.rssMiB)), spreadPct: +((100 * (max - min)) / min).toFixed(1) },
    rssTimeline: samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 10)) === 0).map((x) => [Math.round(x.s), x.rssMiB]),
    trail: { ok: verify.ok, records: verify.records, expected: warm.total + load.total },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  s.proc.kill('SIGTERM');
}
