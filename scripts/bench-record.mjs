// Cost of preparing audit records (canonical JSON and the normalised copy), from the compiled output: run
// `npm run build` first. `node scripts/bench-record.mjs [rounds, default 40] [other chain.js]`
//
// Records are built the way DecisionService builds them, from decisions on the 179 applications of the
// shipped policy's test cases (each application read back from JSON, as a request body is). Given the
// compiled chain.js of another build, both builds' prepareRecord run alternately in this process, round by
// round, so a busy machine slows both alike; each must produce the same canonical text. Prints µs per
// record (median over rounds).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { decide } from '../dist/src/core/decide/decide.js';
import { recordedForm } from '../dist/src/core/explain/recorded.js';
import { CompiledEvaluator } from '../dist/src/core/evaluate/compiled.js';
import { loadPolicy } from '../dist/src/core/policy/load.js';
import { parseYamlSource } from '../dist/src/core/policy/yaml-source.js';
import { deepMerge } from '../dist/src/core/policy-tests/merge.js';
import * as current from '../dist/src/adapters/store/chain.js';

const ROOT = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 40);
const other = process.argv[3] ? await import(pathToFileURL(resolve(process.argv[3])).href) : undefined;

const policyFile = 'policies/restructuring/1.0.0.yaml';
const source = readFileSync(join(ROOT, policyFile), 'utf8');
const sha256 = createHash('sha256').update(source).digest('hex');
const { policy } = loadPolicy(source, policyFile, sha256);
const evaluator = new CompiledEvaluator(policy);
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value;

const inputs = [];
for (const [i, c] of doc.cases.entries()) {
  const application = JSON.parse(JSON.stringify(deepMerge(doc.base, c.patch)));
  const now = c.now ?? doc.now ?? application.receivedAt;
  const decisionId = `bench-${i}`;
  const decision = await decide({ application, policy, evaluator, now, decisionId, language: 'en', selectedBy: 'bench' });
  inputs.push({
    decisionId,
    decidedAt: now,
    applicationId: application.applicationId,
    borrowerIdHash: createHash('sha256').update(application.borrower.borrowerId).digest('hex'),
    callerKeyId: 'bench',
    policy: { id: policy.id, version: policy.version, sha256 },
    versions: { tideover: '0.1.0', jsonRulesEngine: '7.3.1' },
    application,
    decision: recordedForm(decision),
    outcomes: [...decision.options.map((o) => ({ option: o.option, decision: o.decision })), { option: 'ACCOUNT_ACTION', decision: decision.accountAction.action }],
    ...(i % 2 ? { idempotencyKey: `key-${i}`, requestHash: 'r'.repeat(64) } : {}),
  });
}

const body = (chain, input) => chain.toStoredRow(chain.sealRecord(chain.prepareRecord(input), chain.GENESIS)).body;
if (other) for (const input of inputs) if (body(current, input) !== body(other, input)) throw new Error(`${input.decisionId}: the builds' canonical text differs`);

function round(chain) {
  const t0 = performance.now();
  for (const input of inputs) chain.prepareRecord(input);
  return ((performance.now() - t0) * 1000) / inputs.length;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const builds = other ? { current, other } : { current };
const times = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let r = 0; r < rounds + 5; r++) {
  for (const [name, chain] of r % 2 ? Object.entries(builds).reverse() : Object.entries(builds)) {
    const us = round(chain);
    if (r >= 5) times[name].push(us); // the first rounds warm up both
  }
}
const bytes = inputs.reduce((n, input) => n + body(current, input).length, 0) / inputs.length;
const result = { records: inputs.length, meanBodyBytes: Math.round(bytes), rounds };
for (const [name, xs] of Object.entries(times)) result[`${name}UsPerRecord`] = Number(median(xs).toFixed(1));
console.log(JSON.stringify(result));
