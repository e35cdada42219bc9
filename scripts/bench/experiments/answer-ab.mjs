// A/B of the decision and its encoding: decide(), the answer's canonical text (answerForm, then the default
// answer's pieces) and the record's other canonical member (the application), per corpus case, for this
// checkout's dist/ against another build's, alternating in one process. Unlike core-ab.mjs it holds the two
// builds to the same answer text, not to the same JSON.stringify of decide(), so it also compares changes that
// reorder the decision's members. `--encode` times the encoding alone, over decisions made once.
//   node scripts/bench/experiments/answer-ab.mjs <other dist dir> [rounds, default 12] [CPU seconds per slice, default 0.5] [--encode]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const encodeOnly = process.argv.includes('--encode');
const other = resolve(args[0] ?? '');
const rounds = Number(args[1] ?? 12);
const slice = Number(args[2] ?? 0.5);

async function build(dist) {
  const load = (p) => import(join(dist, p));
  const { decide } = await load('src/core/decide/decide.js');
  const { CompiledEvaluator } = await load('src/core/evaluate/compiled.js');
  const { loadPolicy } = await load('src/core/policy/load.js');
  const { parseYamlSource } = await load('src/core/policy/yaml-source.js');
  const { deepMerge } = await load('src/core/policy-tests/merge.js');
  const { answerForm, decisionAnswer } = await load('src/app/decision-answer.js');
  const { canonicalForm } = await load('src/core/canonical-json.js');
  const policyFile = 'policies/restructuring/1.0.0.yaml';
  const { policy } = loadPolicy(readFileSync(join(ROOT, policyFile), 'utf8'), policyFile, '0'.repeat(64));
  const testFile = 'policies/restructuring/1.0.0.test.yaml';
  const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value;
  const evaluator = new CompiledEvaluator(policy);
  const inputs = doc.cases.map((c, i) => {
    // As a request body arrives: parsed JSON.
    const application = JSON.parse(JSON.stringify(deepMerge(doc.base, c.patch)));
    return { application, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `ab-${i}`, policy, evaluator, language: 'en', selectedBy: 'bench' };
  });
  const made = await Promise.all(inputs.map((input) => decide(input)));
  const one = async (i) => {
    const d = encodeOnly ? made[i] : await decide(inputs[i]);
    const form = answerForm(d);
    const pieces = decisionAnswer(d, 'fired', form);
    canonicalForm(form.value);
    canonicalForm(inputs[i].application);
    return pieces;
  };
  return { one, n: inputs.length };
}

const a = await build(other);
const b = await build(resolve(ROOT, 'dist'));
for (let i = 0; i < a.n; i++) if ((await a.one(i)).join('') !== (await b.one(i)).join('')) throw new Error(`the answers differ for case ${i}`);
const cpuSeconds = (t0) => {
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1e6;
};
async function run(x) {
  const t0 = process.cpuUsage();
  let n = 0;
  do {
    for (let i = 0; i < x.n; i++) await x.one(i);
    n += x.n;
  } while (cpuSeconds(t0) < slice);
  return (cpuSeconds(t0) * 1e6) / n;
}
const seen = { other: [], this: [] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [['this', b], ['other', a]] : [['other', a], ['this', b]];
  for (const [name, x] of order) seen[name].push(await run(x));
}
const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
const other_ = median(seen.other);
const this_ = median(seen.this);
process.stdout.write(`${JSON.stringify({ medianCpuUsPerDecision: { other: +other_.toFixed(1), this: +this_.toFixed(1) }, ratio: +(this_ / other_).toFixed(3), rounds, slice, mode: encodeOnly ? 'encoding' : 'decide and encoding' })}\n`);
