// The decisions on the 179 applications of the shipped policy's test cases (each application read back from
// JSON, as a request body is), and audit record inputs built from them the way DecisionService builds them.
// Shared by floor.mjs and experiments/ (record, writer, parts); runs on the compiled output (`npm run build` first).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from '../../dist/src/core/decide/decide.js';
import { recordedForm } from '../../dist/src/core/explain/recorded.js';
import { CompiledEvaluator } from '../../dist/src/core/evaluate/compiled.js';
import { loadPolicy } from '../../dist/src/core/policy/load.js';
import { parseYamlSource } from '../../dist/src/core/policy/yaml-source.js';
import { deepMerge } from '../../dist/src/core/policy-tests/merge.js';

const ROOT = join(import.meta.dirname, '..', '..');
const policyFile = 'policies/restructuring/1.0.0.yaml';
const source = readFileSync(join(ROOT, policyFile), 'utf8');
const sha256 = createHash('sha256').update(source).digest('hex');
const { policy } = loadPolicy(source, policyFile, sha256);
const evaluator = new CompiledEvaluator(policy);
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(ROOT, testFile), 'utf8'), testFile).value;

/** The policy snapshot every record refers to. */
export const snapshot = { sha256, policyId: policy.id, version: policy.version, source };

/** Per test case: the request body's text, the application it parses to, and the fully explained decision. */
export async function corpusDecisions() {
  const out = [];
  for (const [i, c] of doc.cases.entries()) {
    const text = JSON.stringify(deepMerge(doc.base, c.patch));
    const application = JSON.parse(text);
    const now = c.now ?? doc.now ?? application.receivedAt;
    const decisionId = `bench-${i}`;
    out.push({ text, application, now, decisionId, decision: await decide({ application, policy, evaluator, now, decisionId, language: 'en', selectedBy: 'bench' }) });
  }
  return out;
}

/** One AuditRecordInput per test case; every second one carries an idempotency key. */
export async function recordInputs() {
  const inputs = [];
  for (const [i, { application, now, decisionId, decision }] of (await corpusDecisions()).entries()) {
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
  return inputs;
}
