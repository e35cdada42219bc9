// Resident memory of the decision core over N decisions (default 1,000,000; argv[2] to change), sampled at
// 10 checkpoints: flat (±10%) over the second half means nothing accumulates per decision.
// The HTTP service's memory also depends on the audit store and sockets; this isolates the core.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => join(root, 'dist', 'src', p);
const { loadPolicy } = await import(dist('core/policy/load.js'));
const { decide } = await import(dist('core/decide/decide.js'));
const { deepMerge } = await import(dist('core/policy-tests/merge.js'));
const { evaluatorFactory } = await import(dist('app/evaluators.js'));

const total = Number(process.argv[2] ?? process.env.BENCH_MEMORY_DECISIONS ?? 1_000_000);
const text = readFileSync(join(root, 'policies/restructuring/1.0.0.yaml'), 'utf8');
const { policy } = loadPolicy(text, 'policies/restructuring/1.0.0.yaml', '0'.repeat(64));
const evaluator = evaluatorFactory(process.env.EVALUATOR)(policy);
const tests = YAML.parse(readFileSync(join(root, 'policies/restructuring/1.0.0.test.yaml'), 'utf8'));
const corpus = tests.cases.map((c) => deepMerge(tests.base, c.patch));

const samples = [];
const started = performance.now();
for (let i = 0; i < total; i++) {
  const app = corpus[i % corpus.length];
  await decide({ application: app, policy, evaluator, now: app.receivedAt, decisionId: `m-${i}`, language: 'en', selectedBy: 'bench' });
  if ((i + 1) % (total / 10) === 0) samples.push({ decisions: i + 1, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
}
const secondHalf = samples.slice(4).map((s) => s.rssMiB);
const spread = (Math.max(...secondHalf) - Math.min(...secondHalf)) / Math.min(...secondHalf);
console.log(JSON.stringify({ decisions: total, seconds: Math.round((performance.now() - started) / 100) / 10, samples, secondHalfSpreadPct: Math.round(spread * 1000) / 10, maxRssMiB: Math.max(...samples.map((s) => s.rssMiB)) }));
