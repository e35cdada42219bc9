// A/B of the default answer's decision: decide() explaining every rule against decide({ rules: 'fired' }),
// which builds only the fired rules' trees, alternating in one process over the 179-case corpus (one
// evaluator each, as the service keeps one per policy). Checks first that the two agree but for the rules that
// did not fire. Prints each way's median process CPU µs per decision over the rounds.
//   node scripts/bench/experiments/rules-ab.mjs [rounds, default 40] [corpus passes per round, default 10]
// Run `npm run build` first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../lib.mjs';

const rounds = Number(process.argv[2] ?? 40);
const passes = Number(process.argv[3] ?? 10);
for (const [name, n] of [['rounds', rounds], ['passes', passes]]) if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
const load = (p) => import(join(root, 'dist', 'src', p));
const { loadPolicy } = await load('core/policy/load.js');
const { decide } = await load('core/decide/decide.js');
const { CompiledEvaluator } = await load('core/evaluate/compiled.js');
const { parseYamlSource } = await load('core/policy/yaml-source.js');
const { deepMerge } = await load('core/policy-tests/merge.js');

const policyFile = 'policies/restructuring/1.0.0.yaml';
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const { policy } = loadPolicy(readFileSync(join(root, policyFile), 'utf8'), policyFile, '0'.repeat(64));
const tests = parseYamlSource(readFileSync(join(root, testFile), 'utf8'), testFile).value;
const inputs = (rules) => {
  const evaluator = new CompiledEvaluator(policy);
  return tests.cases.map((c, i) => ({ application: deepMerge(tests.base, c.patch), policy, evaluator, now: c.now ?? tests.now ?? tests.base.receivedAt, decisionId: `rules-ab-${i}`, language: 'en', selectedBy: 'bench', rules }));
};
const ways = { all: inputs('all'), fired: inputs('fired') };
for (let i = 0; i < ways.all.length; i++) {
  const all = await decide(ways.all[i]);
  const fired = await decide(ways.fired[i]);
  const expected = { ...all, explanation: { ...all.explanation, rules: all.explanation.rules.filter((r) => r.fired) } };
  if (JSON.stringify(fired) !== JSON.stringify(expected)) throw new Error(`case ${i}: the decisions differ beyond the unfired rules`);
}
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const run = async (xs) => {
  for (const x of xs) await decide(x);
};
for (let i = 0; i < 20; i++) for (const xs of Object.values(ways)) await run(xs);
const us = { all: [], fired: [] };
for (let r = 0; r < rounds; r++) {
  for (const name of r % 2 ? ['all', 'fired'] : ['fired', 'all']) {
    const t0 = cpu();
    for (let p = 0; p < passes; p++) await run(ways[name]);
    us[name].push((cpu() - t0) / (passes * ways[name].length));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = { all: median(us.all), fired: median(us.fired) };
process.stdout.write(`${JSON.stringify({ medianCpuUsPerDecision: { all: +m.all.toFixed(1), fired: +m.fired.toFixed(1) }, ratio: +(m.fired / m.all).toFixed(3), rounds, passes })}\n`);
