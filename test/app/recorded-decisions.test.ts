import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { PolicySet } from '../../src/app/policy-set.js';
import { RecordedDecisions } from '../../src/app/recorded-decisions.js';
import { replayDecision } from '../../src/app/replay.js';
import { decide } from '../../src/core/decide/decide.js';
import { TideoverError } from '../../src/core/errors.js';
import { recordedForm } from '../../src/core/explain/recorded.js';
import { loadPolicy } from '../../src/core/policy/load.js';
import type { RestructuringApplication } from '../../src/generated/application.js';
import type { AuditStore } from '../../src/ports/audit-store.js';
import { ROOT, exampleApplication } from '../helpers/app.js';

const root = mkdtempSync(join(tmpdir(), 'tideover-recorded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = 'policies/restructuring/1.0.0.yaml';
const text = readFileSync(join(ROOT, file), 'utf8');
const sha256 = createHash('sha256').update(text).digest('hex');
const { policy } = loadPolicy(text, file, sha256);
const makeEvaluator = evaluatorFactory('compiled');

/** One decision recorded in a fresh trail whose snapshot of the policy holds `source`. */
async function recorded(source: string): Promise<{ store: AuditStore; decisionId: string; answered: unknown }> {
  const store = await openAuditStore(`sqlite:${join(root, `${Math.random()}`, 'audit.db')}`);
  const application = exampleApplication() as RestructuringApplication;
  const decision = await decide({ application, policy: policy!, evaluator: makeEvaluator(policy!), now: '2026-03-01T10:00:05+08:00', decisionId: 'd-1', language: 'en', selectedBy: 'test' });
  await store.append(
    { decisionId: 'd-1', decidedAt: decision.decidedAt, applicationId: application.applicationId, borrowerIdHash: 'h', callerKeyId: null, policy: { id: policy!.id, version: policy!.version, sha256 }, versions: { tideover: 'test', jsonRulesEngine: '7.3.1' }, application, decision: recordedForm(decision), outcomes: [] },
    { sha256, policyId: policy!.id, version: policy!.version, source },
  );
  return { store, decisionId: 'd-1', answered: JSON.parse(JSON.stringify(decision)) };
}

/** No policy loaded: the explanation can only come from the trail's snapshot. */
const nothingLoaded = () => new PolicySet([], [], '2026-01-01T00:00:00Z');

describe('a recorded decision made whole from the policy snapshot', () => {
  it('rebuilds the answered decision when the policy is no longer loaded', async () => {
    const { store, decisionId, answered } = await recorded(text);
    const full = await new RecordedDecisions({ audit: store, policies: nothingLoaded, makeEvaluator }).full((await store.get(decisionId))!);
    expect(full).toEqual(answered);
    await store.close();
  });

  it('refuses a snapshot whose text was altered after the decision (it no longer hashes to the recorded sha256), for reading and for replay', async () => {
    const altered = text.replace('maxDaysPastDue: { value: 90,', 'maxDaysPastDue: { value: 900,');
    expect(altered).not.toBe(text);
    const { store, decisionId } = await recorded(altered);
    const refused = (e: unknown) => e instanceof TideoverError && e.code === 'AUDIT_RECORD_INCONSISTENT' && /was altered/.test(e.message);
    await expect(new RecordedDecisions({ audit: store, policies: nothingLoaded, makeEvaluator }).full((await store.get(decisionId))!)).rejects.toSatisfy(refused);
    await expect(replayDecision(store, decisionId, makeEvaluator)).rejects.toSatisfy(refused);
    await store.close();
  });
});
