// How long the service takes to reach its steady state under the corpus load, against Express hello: a fresh
// server is loaded without a pause for `windows` windows of `seconds` each, and each window's server CPU per
// request is printed by thread (main, the SQLite writer, V8's helper threads: TurboFan's compilations and the
// collector's parallel and concurrent work), `rounds` fresh servers each, then each window's medians.
//   node scripts/bench/experiments/warm-up.mjs [seconds per window, default 4] [windows, default 10] [rounds, default 3]
// Run `npm run build` first. The service's SQLite writer is the thread it starts last (the highest thread id);
// hello has none.
import { join } from 'node:path';
import { autocannon, median, root, service, startServer, stopServer, threadCpuSecondsOf } from '../lib.mjs';

const seconds = Number(process.argv[2] ?? 4);
const windows = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 3);

const servers = {
  hello: { start: () => startServer([join(root, 'scripts', 'bench', 'hello.mjs')], { PORT: '0' }, /"port":(\d+)/), path: '/hello', load: {}, writer: false },
  service: { start: () => service({}), path: '/v1/decisions', load: { corpus: true }, writer: true },
};

/** µs of CPU per request in one window, by thread kind. */
function split(pid, hasWriter, before, after, requests) {
  const tids = [...after.keys()].map(Number).sort((a, b) => a - b);
  const writer = hasWriter ? tids[tids.length - 1] : undefined;
  const out = { main: 0, writer: 0, helpers: 0 };
  for (const tid of tids) {
    const us = (1e6 * (after.get(String(tid)) - (before.get(String(tid)) ?? 0))) / requests;
    out[tid === pid ? 'main' : tid === writer ? 'writer' : 'helpers'] += us;
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]);
  return { ...out, total: out.main + out.writer + out.helpers };
}

const curves = { hello: [], service: [] };
for (let round = 1; round <= rounds; round++) {
  for (const name of round % 2 ? ['hello', 'service'] : ['service', 'hello']) {
    const { start, path, load, writer } = servers[name];
    const s = await start();
    try {
      const url = `http://127.0.0.1:${s.port}${path}`;
      const curve = [];
      for (let w = 1; w <= windows; w++) {
        const before = threadCpuSecondsOf(s.proc.pid);
        const r = autocannon(url, { ...load, duration: seconds });
        const row = { round, name, from: (w - 1) * seconds, perSec: Math.round(r.requestsPerSec), ...split(s.proc.pid, writer, before, threadCpuSecondsOf(s.proc.pid), r.total) };
        curve.push(row);
        process.stdout.write(`${JSON.stringify(row)}\n`);
      }
      curves[name].push(curve);
    } finally {
      await stopServer(s);
    }
  }
}
for (const [name, runs] of Object.entries(curves)) {
  const rows = runs[0].map((_, w) => {
    const of = (k) => median(runs.map((c) => c[w][k]));
    return { from: w * seconds, main: of('main'), writer: of('writer'), helpers: of('helpers'), total: of('total') };
  });
  process.stdout.write(`${JSON.stringify({ name, medians: rows })}\n`);
}
