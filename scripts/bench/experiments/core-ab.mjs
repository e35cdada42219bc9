// A/B of the decision core: this checkout's dist/ against another build's dist/ (e.g. a copy made before a
// change, with node_modules reachable from it), in one process, alternating, over the 179-case corpus.
// `node scripts/bench/experiments/core-ab.mjs <other dist dir> [rounds, default 10] [CPU seconds per slice, default 0: one corpus pass]`
// The machine is shared, so only alternation within one process compares like with like. Checks first that
// both builds answer byte-identically (JSON.stringify) for every case. Prints each build's median CPU µs per
// decision. `--alloc` instead reports bytes allocated per decision: run it as
//   node --min-semi-space-size=256 --max-semi-space-size=256 scripts/bench/experiments/core-ab.mjs <dir> --alloc
// so a batch of decisions fits the young generation and the heap growth, with no GC in between, is the allocation.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import YAML from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const alloc = process.argv.includes('--alloc');
const otherDist = resolve(args[0] ?? '');
const rounds = Number(args[1] ?? 10);
const slice = Number(args[2] ?? 0);

const policyFile = 'policies/restructuring/1.0.0.yaml';
const tests = YAML.parse(readFileSync(join(ROOT, 'policies/restructuring/1.0.0.test.yaml'), 'utf8'));

async function build(name, dist) {
  const load = (p) => import(join(dist, 'src', p));
  const { loadPolicy } = await load('core/policy/load.js');
  const { decide } = await load('core/decide/decide.js');
  const { CompiledEvaluator } = await load('core/evaluate/compiled.js');
  const { deepMerge } = await load('core/policy-tests/merge.js');
  const { policy } = loadPolicy(readFileSync(join(ROOT, policyFile), 'utf8'), policyFile, '0'.repeat(64));
  const evaluator = new CompiledEvaluator(policy);
  const corpus = tests.cases.map((c, i) => {
    const application = deepMerge(tests.base, c.patch);
    return { application, policy, evaluator, now: c.now ?? tests.now ?? application.receivedAt, decisionId: `ab-${i}`, language: 'en', selectedBy: 'bench' };
  });
  return { name, decide, corpus };
}

const builds = [await build('other', otherDist), await build('this', join(ROOT, 'dist'))];
for (let i = 0; i < builds[0].corpus.length; i++) {
  const [a, b] = await Promise.all(builds.map((x) => x.decide(x.corpus[i])));
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`decisions differ for case ${i}`);
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function run(b, count) {
  const { decide, corpus } = b;
  for (let i = 0; i < count; i++) await decide(corpus[i % corpus.length]);
}

/** CPU µs per decision over one pass of the corpus, or more passes until `slice` CPU seconds (0: one pass, the finest alternation). */
async function measure(b) {
  const t0 = cpu();
  let n = 0;
  do {
    await run(b, 179);
    n += 179;
  } while (cpu() - t0 < slice * 1e6);
  return (cpu() - t0) / n;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

if (alloc) {
  let gcs = 0;
  new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
  const out = {};
  for (const b of builds) {
    await run(b, 2000);
    const samples = [];
    for (let r = 0; r < 7; r++) {
      globalThis.gc?.();
      await new Promise((ok) => setTimeout(ok, 10));
      const before = gcs;
      const h0 = process.memoryUsage().heapUsed;
      await run(b, 358);
      const h1 = process.memoryUsage().heapUsed;
      await new Promise((ok) => setTimeout(ok, 10));
      if (gcs === before) samples.push((h1 - h0) / 358);
    }
    out[b.name] = { bytesPerDecision: samples.length ? Math.round(median(samples)) : null, cleanSamples: samples.length };
  }
  console.log(JSON.stringify(out));
} else {
  for (const b of builds) await run(b, 3000); // warm-up
  const us = { other: [], this: [] };
  for (let r = 0; r < rounds; r++) for (const b of r % 2 ? [...builds].reverse() : builds) us[b.name].push(await measure(b));
  const m = { other: median(us.other), this: median(us.this) };
  console.log(JSON.stringify({ medianCpuUsPerDecision: { other: +m.other.toFixed(1), this: +m.this.toFixed(1) }, ratio: +(m.this / m.other).toFixed(3), rounds, slice }));
}
