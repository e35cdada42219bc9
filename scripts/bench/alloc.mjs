// Bytes the service's main thread allocates per decision, over HTTP, default answer.
//   node scripts/bench/alloc.mjs ['<query, e.g. ?explain=full>'] [decisions per batch, default 300]
// Run `npm run build` first. The service starts with a young generation of 512 MiB per half, so a batch of
// decisions allocates without any garbage collection; the heap's growth across the batch, divided by its
// decisions, is what each allocated (request, validation, decision, answer, record; not the writer thread's).
// A batch during which a collection ran is not counted. Prints one JSON object.
import { join } from 'node:path';
import { autocannon, root, service, stopServer } from './lib.mjs';

const query = process.argv[2] ?? '';
const batch = Number(process.argv[3] ?? 300);
const s = await service({}, ['--min-semi-space-size=512', '--max-semi-space-size=512', `--import=${join(root, 'scripts', 'bench', 'alloc-probe.mjs')}`]);
let err = '';
s.proc.stderr.on('data', (c) => (err += c));
const probe = async () => {
  const seen = err.length;
  s.proc.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    const m = /alloc-probe (\{.*\})\n/.exec(err.slice(seen));
    if (m) return JSON.parse(m[1]);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no answer from the allocation probe: ${err.slice(-500)}`);
};
const url = `http://127.0.0.1:${s.port}/v1/decisions${query}`;
const perDecision = [];
try {
  autocannon(url, { corpus: true, duration: 3 });
  for (let round = 0; round < 8 && perDecision.length < 4; round++) {
    const a = await probe();
    const r = autocannon(url, { corpus: true, amount: batch, connections: 10 });
    const b = await probe();
    if (b.gcs === a.gcs && r.total === batch) perDecision.push((b.heapUsed - a.heapUsed) / batch);
  }
} finally {
  await stopServer(s);
}
const sorted = perDecision.sort((x, y) => x - y);
process.stdout.write(`${JSON.stringify({ query: query || '(default)', batches: sorted.length, kbPerDecision: sorted.map((x) => Math.round(x / 1024)), medianKb: Math.round(sorted[Math.floor(sorted.length / 2)] / 1024) })}\n`);
