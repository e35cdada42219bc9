// Throughput of `simulate`: N generated applications decided under the shipped policy and under a copy with
// one parameter changed (dsrApproveMax 0.55 → 0.60), from the compiled output: run `npm run build` first.
// Prints one JSON line per evaluator: {applications, seconds, perSecond, decisionsPerSecond, evaluator, changedApplications}.
// `node scripts/bench/simulate.mjs [applications, default 100000]`; EVALUATOR=jre|compiled runs only that one,
// otherwise jre and, when the build has it, compiled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluatorFactory } from '../../dist/src/app/evaluators.js';
import { simulate } from '../../dist/src/app/simulate.js';
import { loadPolicy } from '../../dist/src/core/policy/load.js';

const ROOT = join(import.meta.dirname, '..', '..');
const count = Number(process.argv[2] ?? process.env.BENCH_SIM_COUNT ?? 100_000);
const text = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');
const candidateText = text.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$10.60');
if (candidateText === text) throw new Error('dsrApproveMax: { value: 0.55 } not found in the shipped policy');

function compile(source, name) {
  const { policy, problems } = loadPolicy(source, name, name.padEnd(64, '0'));
  if (!policy) throw new Error(problems.map((p) => `${p.line}:${p.column}: ${p.message}`).join('\n'));
  return policy;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Variations of the example application; parts no decision reads differently are shared to keep memory small. */
function corpus(n) {
  const base = JSON.parse(readFileSync(join(ROOT, 'examples/application.json'), 'utf8'));
  const r = rng(42);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const optionSets = [['INSTALLMENT', 'PENALTY_WAIVER'], ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'], ['PERSONALISED_PLAN']];
  const apps = new Array(n);
  for (let i = 0; i < n; i++) {
    const term = pick([3, 6, 9, 12, undefined]);
    apps[i] = {
      ...base,
      applicationId: `BENCH-${i}`,
      borrower: {
        ...base.borrower,
        monthlyIncomeAfter: (8000 + Math.floor(r() * 12000)).toFixed(2),
        monthlyDebtServiceOther: Math.floor(r() * 6000).toFixed(2),
        riskScore: 520 + Math.floor(r() * 260),
      },
      loan: { ...base.loan, outstandingPrincipal: (15000 + Math.floor(r() * 40000)).toFixed(2) },
      request: { options: pick(optionSets), ...(term ? { desiredTermMonths: term } : {}) },
    };
  }
  return apps;
}

const baselinePolicy = compile(text, 'baseline');
const candidatePolicy = compile(candidateText, 'candidate');
const apps = corpus(count);
const names = process.env.EVALUATOR ? [process.env.EVALUATOR] : ['jre', 'compiled'];

for (const name of names) {
  let makeEvaluator;
  try {
    makeEvaluator = evaluatorFactory(name);
  } catch (e) {
    console.log(JSON.stringify({ evaluator: name, available: false, reason: e.message }));
    continue;
  }
  const started = performance.now();
  const report = await simulate({
    baseline: { policy: baselinePolicy, evaluator: makeEvaluator(baselinePolicy) },
    candidate: { policy: candidatePolicy, evaluator: makeEvaluator(candidatePolicy) },
    applications: apps,
  });
  const seconds = (performance.now() - started) / 1000;
  if (report.invalid) throw new Error(`${report.invalid} generated applications were invalid: ${JSON.stringify(report.invalidItems[0])}`);
  console.log(
    JSON.stringify({
      applications: report.applications,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(report.applications / seconds),
      decisionsPerSecond: Math.round((2 * report.applications) / seconds),
      evaluator: name,
      changedApplications: report.changedApplications,
    }),
  );
}
