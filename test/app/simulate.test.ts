import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSimulation } from '../../src/app/simulation-text.js';
import { ndjsonItems, simulate, type ChangedDecision, type SimulationReport, type SimulationSide } from '../../src/app/simulate.js';
import { decide } from '../../src/core/decide/decide.js';
import { JreEvaluator } from '../../src/core/evaluate/jre-engine.js';
import { loadPolicy } from '../../src/core/policy/load.js';
import type { RestructuringApplication } from '../../src/generated/application.js';
import { ROOT, exampleApplication } from '../helpers/app.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');
const CANDIDATE_TEXT = TEXT.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$10.60');

function side(text: string, name: string): SimulationSide {
  const { policy, problems } = loadPolicy(text, name, name.padEnd(64, '0'));
  if (!policy) throw new Error(problems.map((p) => p.message).join('; '));
  return { policy, evaluator: new JreEvaluator(policy) };
}

/** Deterministic pseudo-random numbers (mulberry32), so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Variations of the example application. Income after hardship, other debts and principal vary so the
 * post-plan debt-service ratio straddles the 55%/60% line; score, requested options and term vary too.
 */
function corpus(n: number, seed = 7): RestructuringApplication[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const a = exampleApplication();
    a.applicationId = `SIM-${String(i).padStart(5, '0')}`;
    a.borrower.monthlyIncomeAfter = (8000 + Math.floor(r() * 12000)).toFixed(2);
    a.borrower.monthlyDebtServiceOther = Math.floor(r() * 6000).toFixed(2);
    a.borrower.riskScore = 520 + Math.floor(r() * 260);
    a.loan.outstandingPrincipal = (15000 + Math.floor(r() * 40000)).toFixed(2);
    a.request = { options: pick([['INSTALLMENT', 'PENALTY_WAIVER'], ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'], ['PERSONALISED_PLAN']]) };
    const term = pick([3, 6, 9, 12, undefined]);
    if (term) a.request.desiredTermMonths = term;
    return a as RestructuringApplication;
  });
}

describe('simulate: one-parameter change (dsrApproveMax 0.55 → 0.60) over a generated corpus', () => {
  const apps = corpus(240);
  let baseline: SimulationSide;
  let candidate: SimulationSide;
  let report: SimulationReport;
  const expectedTransitions: Record<string, Record<string, number>> = {};
  const expectedChanged: ChangedDecision[] = [];

  beforeAll(async () => {
    expect(CANDIDATE_TEXT).not.toBe(TEXT);
    baseline = side(TEXT, 'baseline');
    candidate = side(CANDIDATE_TEXT, 'candidate');
    expect(candidate.policy.params.dsrApproveMax).toBe('0.6');
    report = await simulate({ baseline, candidate, applications: apps });

    // The same decisions, made independently, one application at a time.
    const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
    for (const [i, app] of apps.entries()) {
      const at = (s: SimulationSide) => decide({ application: app, policy: s.policy, evaluator: s.evaluator, now: app.receivedAt, decisionId: 'd', language: 'en', selectedBy: 'test' });
      const before = await at(baseline);
      const after = await at(candidate);
      const rows = [
        ...before.options.map((o) => ({ option: o.option as string, from: o.decision as string, fb: o.firedRules, ...(() => {
          const c = after.options.find((x) => x.option === o.option)!;
          return { to: c.decision as string, fa: c.firedRules };
        })() })),
        { option: 'ACCOUNT_ACTION', from: before.accountAction.action as string, to: after.accountAction.action as string, fb: before.accountAction.firedRules, fa: after.accountAction.firedRules },
      ];
      for (const row of rows) {
        const t = (expectedTransitions[row.option] ??= {});
        const key = `${row.from}→${row.to}`;
        t[key] = (t[key] ?? 0) + 1;
        if (row.from !== row.to)
          expectedChanged.push({ applicationId: app.applicationId, line: i + 1, option: row.option, from: row.from, to: row.to, rulesOnlyInBaseline: minus(row.fb, row.fa), rulesOnlyInCandidate: minus(row.fa, row.fb) });
      }
    }
  }, 180_000);

  it('reports exactly the flips the per-application decisions show, and some flips occur', () => {
    expect(report.applications).toBe(apps.length);
    expect(report.invalid).toBe(0);
    expect(report.transitions).toEqual(expectedTransitions);
    expect(report.changed).toEqual(expectedChanged);
    expect(report.changedOmitted).toBe(0);
    expect(report.changedApplications).toBe(new Set(expectedChanged.map((c) => c.applicationId)).size);
    // The change must bite: installments that were counter-offered at a longer term are now approved as asked.
    expect(expectedChanged.length).toBeGreaterThan(10);
    expect(report.transitions.INSTALLMENT!['COUNTEROFFER→APPROVE']).toBeGreaterThan(0);
    // A flip on an installment goes through the rules that read dsrApproveMax.
    const dsrRules = new Set(candidate.policy.rules.filter((r) => r.params.includes('dsrApproveMax')).map((r) => r.id));
    expect(report.changed.filter((c) => c.option === 'INSTALLMENT').every((c) => [...c.rulesOnlyInBaseline, ...c.rulesOnlyInCandidate].some((id) => dsrRules.has(id) || id.startsWith('I-')))).toBe(true);
  });

  it('counts decisions side by side and they add up', () => {
    for (const s of [report.baseline, report.candidate]) {
      for (const option of ['INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'])
        expect(Object.values(s.byOption[option]!).reduce((a, b) => a + b, 0)).toBe(apps.length);
      expect(Object.values(s.accountActions).reduce((a, b) => a + b, 0)).toBe(apps.length);
    }
    for (const [option, t] of Object.entries(report.transitions)) {
      const to: Record<string, number> = {};
      for (const [k, n] of Object.entries(t)) to[k.split('→')[1]!] = (to[k.split('→')[1]!] ?? 0) + n;
      expect(to).toEqual(option === 'ACCOUNT_ACTION' ? report.candidate.accountActions : report.candidate.byOption[option]);
    }
    expect(report.baseline.policy.sha256).not.toBe(report.candidate.policy.sha256);
  });

  it('is deterministic (decision time is the receipt time) and caps the changed list', async () => {
    const again = await simulate({ baseline, candidate, applications: apps.slice(0, 120), maxChanged: 3 });
    const head = expectedChanged.filter((c) => c.line <= 120);
    expect(again.changed).toEqual(head.slice(0, 3));
    expect(again.changedOmitted).toBe(head.length - 3);
    expect(again.transitions).not.toEqual({});
  }, 60_000);

  it('formats a readable table with counts, transitions and changed applications', () => {
    const text = formatSimulation(report);
    expect(text).toContain(`Applications: ${apps.length} simulated, 0 invalid (of ${apps.length} read); ${report.changedApplications} with a changed decision`);
    expect(text).toMatch(/^INSTALLMENT: \d+ changed$/m);
    expect(text).toMatch(/^ {2}COUNTEROFFER +\d+ +\d+ +[+-]\d+$/m);
    expect(text).toContain(`Changed applications (${Math.min(20, report.changedApplications)} of ${report.changedApplications}`);
    expect(text).toContain(`${expectedChanged[0]!.applicationId} (line ${expectedChanged[0]!.line})`);
  });
});

describe('simulate: invalid input', () => {
  it('counts invalid NDJSON lines with their line numbers and keeps going', async () => {
    const [a, b] = corpus(2, 99);
    const lines = [JSON.stringify(a), '{"applicationId": "broken', '', JSON.stringify({ ...b, borrower: { ...b!.borrower, riskScore: 'high' } }), JSON.stringify(b), '[1, 2]'];
    const s = side(TEXT, 'baseline');
    const report = await simulate({ baseline: s, candidate: s, applications: ndjsonItems(lines) });
    expect(report).toMatchObject({ read: 5, applications: 2, invalid: 3, invalidItemsOmitted: 0, changedApplications: 0, changed: [] });
    expect(report.invalidItems.map((i) => [i.line, i.stage])).toEqual([
      [2, 'parse'],
      [4, 'schema'],
      [6, 'schema'],
    ]);
    expect(report.invalidItems[0]!.problems[0]).toMatch(/^not JSON: /);
    expect(report.invalidItems[1]!.applicationId).toBe(b!.applicationId);
    expect(report.invalidItems[1]!.problems).toContain('/borrower/riskScore must be of type integer');
    expect(formatSimulation(report)).toContain('line 4 (SIM-00001): schema: /borrower/riskScore must be of type integer');
  });

  it('accepts reader errors and bare applications in one stream, and stops when aborted', async () => {
    const apps = corpus(3, 5);
    const s = side(TEXT, 'baseline');
    const seen: number[] = [];
    const report = await simulate({ baseline: s, candidate: s, applications: [apps[0]!, { error: 'unreadable', line: 42 }, apps[1]!], onProgress: (p) => seen.push(p.read) });
    expect(report).toMatchObject({ read: 3, applications: 2, invalid: 1, invalidItems: [{ line: 42, stage: 'parse', problems: ['unreadable'] }] });
    expect(seen).toEqual([1, 2, 3]);

    const stop = new AbortController();
    const partial = await simulate({ baseline: s, candidate: s, applications: apps, signal: stop.signal, onProgress: () => stop.abort() });
    expect(partial).toMatchObject({ read: 1, applications: 1, aborted: true });
  });
});
