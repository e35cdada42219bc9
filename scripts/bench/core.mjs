// Throughput of the decision core on one core, from the compiled output: run `npx tsc -p tsconfig.build.json` first.
// `node scripts/bench/core.mjs [seconds per measurement, default 3] [compiled|jre] [decide]`
//
// Corpus: every case of policies/restructuring/1.0.0.test.yaml (base deep-merged with its patch), so the
// corpus fires the policy's rules the way its own tests do. Measures, cycling through the corpus:
//   - decide() with each evaluator: full decisions (facts, plans, every option, reasons, explanation); with the
//     compiled evaluator also as the default answer has it decided (`rules: 'fired'`: only the fired rules'
//     trees), per CPU second and each decision's own wall time (the median decision and the 90th percentile);
//   - evaluate() alone, over the per-option facts those decisions produced: evaluations and rules per second;
//   - the facts and plans alone (applicationFacts + buildPlans), the part of a decision no evaluator touches.
// Rates are per CPU second of this process (process.cpuUsage), so other load on the machine inflates them
// less than wall-clock rates would; the wall-clock decision rates are printed too. Prints one JSON object.
// `node scripts/bench/core.mjs 3 compiled` measures only that path; profile its decisions with
//   node --cpu-prof --cpu-prof-dir=/tmp/prof scripts/bench/core.mjs 5 compiled decide
// (add --single-threaded to count GC on the one core, --no-turbo-inlining for exact attribution).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decide } from '../../dist/src/core/decide/decide.js';
import { CompiledEvaluator } from '../../dist/src/core/evaluate/compiled.js';
import { JreEvaluator } from '../../dist/src/core/evaluate/jre-engine.js';
import { amountsOf, applicationFacts } from '../../dist/src/core/facts/application-facts.js';
import { buildPlans } from '../../dist/src/core/facts/plans.js';
import { loadPolicy } from '../../dist/src/core/policy/load.js';
import { parseYamlSource } from '../../dist/src/core/policy/yaml-source.js';
import { deepMerge } from '../../dist/src/core/policy-tests/merge.js';

const ROOT = join(import.meta.dirname, '..', '..');
// A full collection on demand (the flag set at run time: a context made after it has `gc`).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const seconds = Number(process.argv[2] ?? 3);
/** `compiled` or `jre`: measure only that path (for profiling); default both. */
const only = process.argv[3];
/** `decide`: measure only whole decisions (for profiling them). */
const decisionsOnly = process.argv[4] === 'decide';

const policyFile = 'policies/restructuring/1.0.0.yaml';
const { policy, problems } = loadPolicy(readFileSync(join(ROOT, policyFile), 'utf8'), policyFile, '0'.repeat(64));
if (!policy) throw new Error(`policy does not load: ${problems.map((p) => p.message).join('; ')}`);

const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value;
const corpus = doc.cases.map((c, i) => {
  const application = deepMerge(doc.base, c.patch);
  return { application, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `bench-${i}` };
});

const jre = new JreEvaluator(policy);
const compiled = new CompiledEvaluator(policy);
const input = (c, evaluator) => ({ ...c, policy, evaluator, language: 'en', selectedBy: 'bench' });
// Each case's input to decide(), made once per evaluator: the measurement is of decide(), not of making its argument.
const compiledInputs = corpus.map((c) => input(c, compiled));
// As the service decides for its default answer (explain=fired): the explanation lists only the fired rules.
const defaultInputs = compiledInputs.map((x) => ({ ...x, rules: 'fired' }));
const jreInputs = corpus.map((c) => input(c, jre));

// The corpus once through each path: the decisions must be identical, and they give the evaluation inputs.
const fired = new Set();
const evaluations = [];
for (const c of corpus) {
  const want = await decide(input(c, jre));
  const got = await decide(input(c, compiled));
  if (!isDeepStrictEqual(want, got) || JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`decisions differ for ${c.decisionId}`);
  // The default answer's decision is the same with only the fired rules listed.
  const firedOnly = await decide({ ...input(c, compiled), rules: 'fired' });
  const expected = { ...want, explanation: { ...want.explanation, rules: want.explanation.rules.filter((r) => r.fired) } };
  if (JSON.stringify(firedOnly) !== JSON.stringify(expected)) throw new Error(`the default answer's decision differs for ${c.decisionId}`);
  for (const id of want.explanation.firedRules) fired.add(id);
  for (const [option, facts] of Object.entries(want.explanation.facts)) evaluations.push({ option, facts, rules: want.explanation.rules.filter((r) => r.option === option).length });
}

/** CPU seconds this process has used: unlike the wall clock, not inflated by other processes competing for the cores. */
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Runs `fn` (sync or async) over the inputs for `seconds` of CPU time after a warm-up; returns calls and
 * work units per CPU second and per wall-clock second.
 */
async function measure(inputs, fn, units = () => 1) {
  // Warm-up: a pass over the inputs, then on to 5,000 calls or one CPU second, whichever comes first (the
  // optimising compiler works on V8's helper threads, whose CPU the measurement would count).
  const warm0 = cpuSeconds();
  for (let i = 0; i < inputs.length || (i < 5000 && cpuSeconds() - warm0 < 1); i++) await fn(inputs[i % inputs.length]);
  // What earlier phases left (the reference evaluator's pass allocates heavily) is collected now rather than
  // by V8's helper threads during the measurement, whose process CPU would count it (sweeping may still finish
  // in the background: a short pause lets it).
  gc();
  await new Promise((ok) => setTimeout(ok, 50));
  let calls = 0;
  let work = 0;
  let i = 0;
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  let cpu = cpu0;
  while (cpu - cpu0 < seconds) {
    for (let k = 0; k < 20; k++) {
      const x = inputs[i++ % inputs.length];
      await fn(x);
      calls++;
      work += units(x);
    }
    cpu = cpuSeconds();
  }
  const c = cpu - cpu0;
  const w = (performance.now() - wall0) / 1000;
  return { perSec: calls / c, unitsPerSec: work / c, wallPerSec: calls / w };
}

/**
 * Wall-clock µs of each call, `passes` times over the inputs: the median call and the 90th percentile. The
 * median decision is what the issue's `decide()` target names; the rates above are means that also carry
 * the collector's pauses and, in process CPU, V8's helper threads.
 */
async function perCall(inputs, fn, passes) {
  const times = [];
  for (let p = 0; p < passes; p++) {
    for (const x of inputs) {
      const t0 = performance.now();
      await fn(x);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q) => Number((times[Math.floor(times.length * q)] * 1000).toFixed(1));
  return { median: at(0.5), p90: at(0.9) };
}

const round = (x) => Math.round(x);
const us = (perSec) => Number((1e6 / perSec).toFixed(3));
const result = {};

if (only !== 'jre') {
  const d = await measure(compiledInputs, decide);
  result.compiledDecisionsPerSec = round(d.perSec);
  result.compiledUsPerDecision = us(d.perSec);
  result.compiledDecisionsPerWallSec = round(d.wallPerSec);
  const asDefault = await measure(defaultInputs, decide);
  result.defaultAnswerUsPerDecision = us(asDefault.perSec);
  const one = await perCall(defaultInputs, decide, Math.max(3, Math.round(seconds * 10)));
  result.defaultAnswerMedianWallUs = one.median;
  result.defaultAnswerP90WallUs = one.p90;
  if (!decisionsOnly) {
    const e = await measure(evaluations, (x) => compiled.evaluateSync(x.option, x.facts), (x) => x.rules);
    result.compiledEvalOnlyPerSec = round(e.perSec);
    result.compiledRulesPerSec = round(e.unitsPerSec);
    result.compiledUsPerRule = us(e.unitsPerSec);
  }
}
if (only !== 'compiled') {
  const d = await measure(jreInputs, decide);
  result.jreDecisionsPerSec = round(d.perSec);
  result.jreUsPerDecision = us(d.perSec);
  result.jreDecisionsPerWallSec = round(d.wallPerSec);
  if (!decisionsOnly) {
    const e = await measure(evaluations, (x) => jre.evaluate(x.option, x.facts), (x) => x.rules);
    result.jreEvalOnlyPerSec = round(e.perSec);
    result.jreRulesPerSec = round(e.unitsPerSec);
    result.jreUsPerRule = us(e.unitsPerSec);
  }
}
if (!only) {
  const p = policy.engine;
  const f = await measure(corpus, (c) => {
    const a = amountsOf(c.application);
    const base = applicationFacts(c.application, policy, p, a);
    buildPlans(c.application, p, a, base.graceMonthsLast24m);
  });
  result.factsAndPlansPerSec = round(f.perSec);
  result.factsAndPlansUsPerDecision = us(f.perSec);
}
result.corpus = {
  applications: corpus.length,
  evaluationsPerDecision: Number((evaluations.length / corpus.length).toFixed(2)),
  rulesPerDecision: Number((evaluations.reduce((n, x) => n + x.rules, 0) / corpus.length).toFixed(1)),
  rulesFired: fired.size,
  rules: policy.rules.length,
  neverFired: policy.rules.map((r) => r.id).filter((id) => !fired.has(id)),
};
result.seconds = seconds;
// Rates are per CPU second of this process (GC helper threads included); the load average says how busy the machine was.
result.timeBase = 'process CPU time';
result.loadAverage = Number(loadavg()[0].toFixed(2));
console.log(JSON.stringify(result));
