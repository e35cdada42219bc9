import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/decide/decide.js';
import { CompiledEvaluator } from '../../../src/core/evaluate/compiled.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { deepMerge } from '../../../src/core/policy-tests/merge.js';
import type { RestructuringApplication } from '../../../src/generated/application.js';
import { ROOT, exampleApplication } from '../../helpers/app.js';

const { policy } = loadPolicy(readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8'), 'policies/restructuring/1.0.0.yaml', '0'.repeat(64));
const evaluator = new CompiledEvaluator(policy!);
const run = (patch: unknown, language: 'en' | 'zh' = 'en') =>
  decide({ application: deepMerge(exampleApplication(), patch) as RestructuringApplication, policy: policy!, evaluator, now: '2026-03-01T10:00:05+08:00', decisionId: 'd-1', language, selectedBy: 'test' });
const option = (d: Awaited<ReturnType<typeof run>>, o: string) => d.options.find((x) => x.option === o)!;

describe('decide', () => {
  it('is deterministic: the same inputs give byte-identical decisions', async () => {
    expect(JSON.stringify(await run({}))).toBe(JSON.stringify(await run({})));
  });

  it('an approval that needs a guarantor the borrower has not offered carries the condition to provide one', async () => {
    const d = await run({ borrower: { riskScore: 649, monthlyDebtServiceOther: '6734.49' } });
    const pp = option(d, 'PERSONALISED_PLAN');
    expect(pp).toMatchObject({ decision: 'APPROVE', securityRequirement: 'GUARANTOR', securitySatisfied: false });
    expect(pp.conditions).toContain('PROVIDE_GUARANTOR');
  });

  it('a waiver shows only the reasons of the grant applied: a full goodwill waiver does not say "50% until documented"', async () => {
    // Undocumented hardship (W-03 fires) but first-time and small (W-01 fires): W-01's 100% applies.
    const d = await run({ documents: [{ type: 'ID', receivedAt: '2026-03-01T09:00:00+08:00', verified: true }] });
    const w = option(d, 'PENALTY_WAIVER');
    expect(w.firedRules).toEqual(expect.arrayContaining(['W-01', 'W-03']));
    expect(w.waiver).toMatchObject({ waiverPct: '1.00', waiverAmount: '45.00' });
    expect(w.reasonCodes.map((r) => r.code)).not.toContain('HARDSHIP_NOT_DOCUMENTED');
  });

  it('the notice carries at most four reasons, ranked, from declined and counter-offered options', async () => {
    const d = await run({ borrower: { fraudFlag: 'CONFIRMED', riskScore: 400 }, loan: { daysPastDue: 120, delinquencies30PlusLast12m: 4 } });
    expect(d.notice!.reasons.length).toBeLessThanOrEqual(4);
    expect(d.notice!.reasons.map((r) => r.rank)).toEqual([...d.notice!.reasons.map((r) => r.rank)].sort((a, b) => a - b));
    expect(d.notice!.reasons[0]!.code).toBe('FRAUD_OR_FALSE_DOCUMENTS');
  });

  it('a good-faith borrower who is declined everywhere keeps full use of the account (the founding promise)', async () => {
    const d = await run({
      loan: { daysPastDue: 95, overdueItems: [{ dueDate: '2025-11-26', principal: '5000.00', interest: '270.00' }] },
      contactHistory: [{ at: '2025-11-20T10:00:00+08:00', channel: 'APP', direction: 'INBOUND', outcome: 'REACHED' }],
    });
    expect(['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN'].map((o) => option(d, o).decision)).toEqual(['DECLINE', 'DECLINE', 'DECLINE']);
    expect(d.accountAction).toMatchObject({ action: 'NONE', firedRules: expect.arrayContaining(['A-04']) });
  });

  it('reason texts are filled with actual values in the language asked', async () => {
    const en = option(await run({ loan: { daysPastDue: 120 } }), 'INSTALLMENT').reasonCodes.find((r) => r.code === 'DELINQUENCY_OVER_90_DAYS')!;
    const zh = option(await run({ loan: { daysPastDue: 120 } }, 'zh'), 'INSTALLMENT').reasonCodes.find((r) => r.code === 'DELINQUENCY_OVER_90_DAYS')!;
    expect(en.text).toBe('Your account is 120 days past due; this service covers accounts up to 90 days past due.');
    expect(zh.text).toBe('您的账户已逾期120天；本服务仅适用于逾期不超过90天的账户。');
  });
});
