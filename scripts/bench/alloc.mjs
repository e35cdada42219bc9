// Bytes the service's main thread allocates per decision, over HTTP, default answer.
//   node scripts/bench/alloc.mjs ['<query, e.g. ?explain=full>'] [decisions per batch, default 300] [another build's dist/, for an A/B]
// Run `npm run build` first. The service starts with a young generation of 512 MiB per half, so a batch of
// decisions allocates without any garbage collection; the heap's growth across the batch, divided by its
// decisions, is what each allocated (request, validation, decision, answer, record; not the writer thread's).
// A batch during which a collection ran is not counted. Prints one JSON object.
import { resolve } from 'node:path';
import { allocationFlags, allocationPerRequest, service } from './lib.mjs';

const query = process.argv[2] ?? '';
const batch = Number(process.argv[3] ?? 300);
const s = await service({}, allocationFlags, ...(process.argv[4] ? [resolve(process.argv[4])] : []));
const sorted = await allocationPerRequest(s, `http://127.0.0.1:${s.port}/v1/decisions${query}`, batch);
process.stdout.write(`${JSON.stringify({ query: query || '(default)', batches: sorted.length, kbPerDecision: sorted.map((x) => Math.round(x / 1024)), medianKb: Math.round(sorted[Math.floor(sorted.length / 2)] / 1024) })}\n`);
