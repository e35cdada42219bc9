// Where a decision's allocation (scripts/bench/alloc.mjs) cannot go below with this stack: three parts
// measured alone, which alloc.mjs's figure holds and more besides (validation, the record, the log line).
//   node scripts/bench/experiments/alloc-floor.mjs [requests per batch, default 300]
// Run `npm run build` first. Prints one JSON object, KB per decision (or per request):
//   - expressHelloKb: Express 5 (scripts/bench/hello.mjs) answering {"hello":"world"} to the corpus's own
//     application bodies POSTed with express.json(): node:http, Express and body-parser for one request, with
//     the same bodies and the same load as alloc.mjs (young generation of 512 MiB, batches with no collection);
//   - decideKb: the core's decide() over the corpus in this process, as the default answer has it decided
//     (allocation of the decision alone: ours, the one part here that could still shrink);
//   - recordTextKb and textFlattenKb: V8's JSON.stringify of the recorded decision (what the trail hashes and
//     the answer is cut from), and the one copy that makes its string flat (the answer's writes and the
//     message to the writer thread need a flat string; JSON.stringify returns a rope of doubling parts), with
//     the text's mean length.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { allocationFlags, allocationPerRequest, root, startServer } from '../lib.mjs';

// The in-process parts need a young generation no batch fills: run again with one of 256 MiB.
if (!process.execArgv.includes('--max-semi-space-size=256')) {
  const r = spawnSync(process.execPath, [...process.execArgv, '--min-semi-space-size=256', '--max-semi-space-size=256', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const batch = Number(process.argv[2] ?? 300);
if (!Number.isInteger(batch) || batch < 1) throw new Error(`requests per batch must be a whole number ≥ 1, not ${process.argv[2]}`);
const dist = join(root, 'dist', 'src');
const KB = 1024;

/**
 * Bytes the JS heap grew by over `fn`, per item, in batches no collection ran through: the median of up to
 * five. `setUp` runs before each batch, unmeasured.
 */
async function allocated(fn, count, setUp = () => undefined) {
  const { PerformanceObserver } = await import('node:perf_hooks');
  let gcs = 0;
  const obs = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  obs.observe({ entryTypes: ['gc'] });
  const samples = [];
  for (let round = 0; round < 12 && samples.length < 5; round++) {
    await setUp();
    await new Promise((ok) => setTimeout(ok, 10));
    const before = gcs;
    const h0 = process.memoryUsage().heapUsed;
    await fn();
    const h1 = process.memoryUsage().heapUsed;
    await new Promise((ok) => setTimeout(ok, 10));
    if (gcs === before) samples.push((h1 - h0) / count);
  }
  obs.disconnect();
  if (!samples.length) throw new Error('every batch ran a collection');
  return samples.sort((x, y) => x - y)[Math.floor(samples.length / 2)];
}

async function expressHello() {
  const s = await startServer([...allocationFlags, join(root, 'scripts', 'bench', 'hello.mjs')], { PORT: '0' }, /"port":(\d+)/);
  const perRequest = await allocationPerRequest(s, `http://127.0.0.1:${s.port}/hello`, batch);
  return perRequest[Math.floor(perRequest.length / 2)];
}

const { loadPolicy } = await import(join(dist, 'core/policy/load.js'));
const { decide } = await import(join(dist, 'core/decide/decide.js'));
const { CompiledEvaluator } = await import(join(dist, 'core/evaluate/compiled.js'));
const { deepMerge } = await import(join(dist, 'core/policy-tests/merge.js'));
const { recordedForm } = await import(join(dist, 'core/explain/recorded.js'));
const policyFile = 'policies/restructuring/1.0.0.yaml';
const tests = YAML.parse(readFileSync(join(root, 'policies/restructuring/1.0.0.test.yaml'), 'utf8'));
const { policy } = loadPolicy(readFileSync(join(root, policyFile), 'utf8'), policyFile, '0'.repeat(64));
const evaluator = new CompiledEvaluator(policy);
const corpus = tests.cases.map((c, i) => {
  // As the service has it: parsed from JSON text. Strings the YAML parser slices from a file holding a
  // character beyond Latin-1 are two-byte, and so would the JSON text holding them be.
  const application = JSON.parse(JSON.stringify(deepMerge(tests.base, c.patch)));
  // As the default answer has it decided: only the fired rules' trees are built.
  return { application, policy, evaluator, now: c.now ?? tests.now ?? application.receivedAt, decisionId: `floor-${i}`, language: 'en', selectedBy: 'bench', rules: 'fired' };
});
const n = corpus.length;
const decisions = [];
for (let i = 0; i < 2000; i++) await decide(corpus[i % n]); // warm-up
const decideBytes = await allocated(async () => {
  for (let i = 0; i < n; i++) await decide(corpus[i]);
}, n);
for (const c of corpus) decisions.push(recordedForm(await decide(c)));
for (let i = 0; i < 20; i++) for (const d of decisions) JSON.stringify(d);
const texts = new Array(n);
const textBytes = await allocated(() => {
  for (let i = 0; i < n; i++) texts[i] = JSON.stringify(decisions[i]);
}, n);
// A slice of a rope flattens it first (V8 copies the rope into one string, which the rope then points to);
// the slice itself is a ~20-byte view of that copy.
const flattenBytes = await allocated(() => {
  for (let i = 0; i < n; i++) texts[i].slice(1);
}, n, () => {
  for (let i = 0; i < n; i++) texts[i] = JSON.stringify(decisions[i]);
});
const meanLength = texts.reduce((sum, t) => sum + t.length, 0) / n;
const helloBytes = await expressHello();
const kb = (bytes) => Math.round((bytes / KB) * 10) / 10;
process.stdout.write(`${JSON.stringify({ expressHelloKb: kb(helloBytes), decideKb: kb(decideBytes), recordTextKb: kb(textBytes), textFlattenKb: kb(flattenBytes), recordTextChars: Math.round(meanLength), sumKb: kb(helloBytes + decideBytes + textBytes + flattenBytes) })}\n`);
