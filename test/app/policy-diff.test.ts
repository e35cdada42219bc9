import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatCondition } from '../../src/app/condition-text.js';
import { diffPolicies } from '../../src/app/policy-diff.js';
import { formatDiff } from '../../src/app/policy-diff-text.js';
import { loadPolicy } from '../../src/core/policy/load.js';
import type { CompiledPolicy } from '../../src/core/policy/model.js';
import { ROOT } from '../helpers/app.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');

/** The shipped policy, edited as data so the test does not depend on the file's exact formatting. */
function policy(edit: (doc: any) => void = () => {}, name = 'edited'): CompiledPolicy {
  const doc = parse(TEXT);
  edit(doc);
  const { policy: p, problems } = loadPolicy(stringify(doc), name, name.padEnd(64, '0'));
  if (!p) throw new Error(problems.map((x) => `${x.line}:${x.column}: ${x.message}`).join('\n'));
  return p;
}

const rule = (doc: any, id: string) => doc.rules.find((r: any) => r.id === id);
const BASE = policy(() => {}, 'base');

describe('diffPolicies / formatDiff', () => {
  it('the same policy is identical', () => {
    const d = diffPolicies(BASE, policy());
    expect(d.identical).toBe(true);
    expect(formatDiff(d)).toContain('No changes to parameters, rules, reason codes, defaults or documents.');
  });

  it('a one-parameter change is reported with old and new values and the rules that read it', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => (doc.parameters.dsrApproveMax.value = 0.6)),
    );
    expect(d.identical).toBe(false);
    expect(d.parameters.changed).toHaveLength(1);
    expect(d.parameters.changed[0]).toMatchObject({ name: 'dsrApproveMax', from: '0.55', to: '0.6', readByEngine: true });
    expect(d.parameters.changed[0]!.usedByRules).toContain('I-01');
    expect(d.rules.changed).toEqual([]);
    const text = formatDiff(d);
    expect(text).toMatch(/^Parameter dsrApproveMax changed from 0\.55 to 0\.6 \(read by rules I-01, .*and the engine\)$/m);
    expect(text.split('\n')).toHaveLength(2); // the heading and the one change
  });

  it('a changed rule outcome is reported in words', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => (rule(doc, 'I-02').outcome = 'DECLINE')),
    );
    expect(d.rules.changed).toEqual([{ id: 'I-02', changes: [{ field: 'outcome', from: 'REFER', to: 'DECLINE' }] }]);
    expect(formatDiff(d)).toContain('Rule I-02 changed: outcome REFER → DECLINE');
  });

  it('an added and a removed rule are each reported', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => {
        doc.rules = doc.rules.filter((r: any) => r.id !== 'G-10');
        doc.rules.push({
          id: 'X-01',
          description: 'More than 60 days past due with a low score is declined.',
          option: ['INSTALLMENT', 'GRACE_PERIOD'],
          priority: 85,
          conditions: { all: [{ fact: 'daysPastDue', operator: 'greaterThan', value: 60 }, { fact: 'riskScore', operator: 'lessThan', value: { param: 'scoreReferMin' } }] },
          outcome: 'DECLINE',
          reasonCodes: ['RISK_SCORE_INSUFFICIENT'],
        });
      }),
    );
    expect(d.rules.added.map((r) => r.id)).toEqual(['X-01']);
    expect(d.rules.removed.map((r) => r.id)).toEqual(['G-10']);
    const text = formatDiff(d);
    expect(text).toContain(
      'Rule X-01 added: INSTALLMENT/GRACE_PERIOD, priority 85, outcome DECLINE, reasons RISK_SCORE_INSUFFICIENT, when all(daysPastDue > 60, riskScore < param scoreReferMin) — More than 60 days past due with a low score is declined.',
    );
    expect(text).toContain('Rule G-10 removed (was INSTALLMENT/GRACE_PERIOD/PERSONALISED_PLAN, priority 90, outcome REFER, reasons REPEATED_DELINQUENCY_12M, when all(delinquencies30PlusLast12m >= param repeatedDelinquencies))');
  });

  it('a reason text change is reported with the old and new text', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => (doc.reasonCodes.REPEATED_DELINQUENCY_12M.text.en = 'The account was late 30+ days {delinquencies30PlusLast12m} times this year.')),
    );
    expect(d.reasonCodes.changed).toEqual([
      {
        code: 'REPEATED_DELINQUENCY_12M',
        changes: [{ field: 'text.en', from: BASE.reasonCodes.REPEATED_DELINQUENCY_12M!.text.en, to: 'The account was late 30+ days {delinquencies30PlusLast12m} times this year.' }],
      },
    ]);
    expect(formatDiff(d)).toContain(
      `Reason code REPEATED_DELINQUENCY_12M changed: text (en) ${JSON.stringify(BASE.reasonCodes.REPEATED_DELINQUENCY_12M!.text.en)} → "The account was late 30+ days {delinquencies30PlusLast12m} times this year."`,
    );
  });

  it('a reason rank change, a metadata change and a default change are reported', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => {
        doc.reasonCodes.ACCOUNT_TOO_NEW.rank = 3;
        doc.metadata.owner = 'Retail Credit Risk';
        doc.defaults.decision = 'DECLINE';
      }),
    );
    const text = formatDiff(d);
    expect(text).toContain('Reason code ACCOUNT_TOO_NEW changed: rank 13 → 3');
    expect(text).toContain('Metadata owner changed from "Credit Risk Policy Team" to "Retail Credit Risk"');
    expect(text).toContain('Default decision changed: REFER → DECLINE');
  });

  it('simple condition changes are described in words', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => {
        rule(doc, 'G-05').conditions.all[0] = { fact: 'daysPastDue', operator: 'greaterThan', value: 45 };
        rule(doc, 'I-01').conditions.all.push({ fact: 'incomeVerified', operator: 'equal', value: true });
        rule(doc, 'G-09').conditions.any.pop();
      }),
    );
    const text = formatDiff(d);
    expect(text).toContain('Rule G-05 changed: daysPastDue > param referDaysPastDue became daysPastDue > 45');
    expect(text).toContain('Rule I-01 changed: added condition incomeVerified = true');
    expect(text).toContain('Rule G-09 changed: removed alternative paymentsMade < param minPaymentsMade');
  });

  it('a restructured condition shows both trees on one line each', () => {
    const d = diffPolicies(
      BASE,
      policy((doc) => {
        const r = rule(doc, 'G-01');
        r.conditions = { all: r.conditions.any };
      }),
    );
    const change = d.rules.changed.find((r) => r.id === 'G-01')!.changes[0]!;
    expect(change).toMatchObject({ field: 'condition', from: 'any(fraudFlag = CONFIRMED, falseDocumentFlag = true)', to: 'all(fraudFlag = CONFIRMED, falseDocumentFlag = true)' });
    expect(formatDiff(d)).toContain(['Rule G-01 changed: conditions', '  before: any(fraudFlag = CONFIRMED, falseDocumentFlag = true)', '  after:  all(fraudFlag = CONFIRMED, falseDocumentFlag = true)'].join('\n'));
  });

  it('formats condition trees compactly', () => {
    const r = BASE.rules.find((x) => x.id === 'G-05')!;
    expect(formatCondition(r.condition)).toBe('all(daysPastDue > param referDaysPastDue, daysPastDue <= param maxDaysPastDue)');
  });
});
