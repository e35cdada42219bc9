import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ROOT, TOKENS, buildTestApp, exampleApplication } from '../helpers/app.js';
import { tideover } from '../helpers/cli.js';

const TEXT = readFileSync(join(ROOT, 'policies/restructuring/1.0.0.yaml'), 'utf8');

let dir: string;
let candidate: string;
let ndjson: string;

/** Writes a policy text as `<dir>/<name>/<version>.yaml`, the layout the loader expects. */
function policyFile(name: string, text: string, version = '1.0.0'): string {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, `${version}.yaml`);
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideover-simulate-'));
  candidate = policyFile('candidate', TEXT.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$10.60'));
  // Other debt moves the 6-month installment's debt service across 55% and 60%.
  const lines: string[] = [];
  for (let i = 0; i < 30; i++) {
    const a = exampleApplication();
    a.applicationId = `CLI-${i}`;
    a.borrower.monthlyDebtServiceOther = (2000 + i * 100).toFixed(2);
    a.request = { options: ['INSTALLMENT', 'PENALTY_WAIVER'], desiredTermMonths: 6 };
    lines.push(JSON.stringify(a));
  }
  lines.splice(3, 0, 'not json at all');
  ndjson = join(dir, 'applications.ndjson');
  writeFileSync(ndjson, `${lines.join('\n')}\n`);
});

describe('tideover simulate', () => {
  it('simulates an NDJSON file against a baseline version from POLICY_DIR and prints JSON', () => {
    const r = tideover(['simulate', '--baseline', 'restructuring@1.0.0', '--candidate', candidate, '--applications', ndjson, '--json'], { POLICY_DIR: join(ROOT, 'policies') });
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ read: 31, applications: 30, invalid: 1, invalidItems: [{ line: 4, stage: 'parse' }] });
    expect(report.baseline.policy).toMatchObject({ id: 'restructuring', version: '1.0.0' });
    expect(report.transitions.INSTALLMENT['COUNTEROFFER→APPROVE']).toBeGreaterThan(0);
    expect(report.changed.length).toBeGreaterThan(0);
    expect(report.changed.every((c: any) => c.applicationId.startsWith('CLI-') && c.from !== c.to)).toBe(true);
  });

  it('prints a readable table by default; a baseline may also be a file', () => {
    const r = tideover(['simulate', '--baseline', join(ROOT, 'policies/restructuring/1.0.0.yaml'), '--candidate', candidate, '--applications', ndjson]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Applications: 30 simulated, 1 invalid \(of 31 read\); \d+ with a changed decision/m);
    expect(r.stdout).toContain('Transitions (rows: baseline, columns: candidate)');
    expect(r.stdout).toMatch(/^ {4}INSTALLMENT +COUNTEROFFER → APPROVE/m);
    expect(r.stdout).toContain('line 4: parse: not JSON');
  });

  it('usage errors exit 2', () => {
    expect(tideover(['simulate', '--candidate', candidate, '--applications', ndjson]).code).toBe(2);
    expect(tideover(['simulate', '--baseline', '1.0.0', '--candidate', candidate]).code).toBe(2);
    expect(tideover(['simulate', '--baseline', '1.0.0', '--candidate', candidate, '--applications', ndjson, '--from-audit', '--since', '2026-01-01']).code).toBe(2);
    const r = tideover(['simulate', '--baseline', '1.0.0', '--candidate', candidate, '--from-audit', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since must be a date');
  });

  it('a candidate that does not load exits 1 with file:line:column; an unknown version exits 1', () => {
    const broken = policyFile('broken', TEXT.replace('kind: RestructuringPolicy', 'kind: RestructuringPolicy\n  bad: [indent'));
    const r = tideover(['simulate', '--baseline', '1.0.0', '--candidate', broken, '--applications', ndjson], { POLICY_DIR: join(ROOT, 'policies') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\/1\.0\.0\.yaml:\d+:\d+: error: /);
    const missing = tideover(['simulate', '--baseline', '9.9.9', '--candidate', candidate, '--applications', ndjson], { POLICY_DIR: join(ROOT, 'policies') });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('no policy version 9.9.9');
  });

  it('simulates the applications recorded in the audit trail since a date', async () => {
    // Record three decisions through the real service, then simulate what the trail holds.
    const url = `sqlite:${join(dir, 'audit.db')}`;
    const t = await buildTestApp({ auditUrl: url, clock: { now: () => '2026-03-02T09:00:00+08:00' } });
    try {
      for (let i = 0; i < 3; i++) {
        const a = exampleApplication();
        a.applicationId = `AUDIT-${i}`;
        a.borrower.monthlyDebtServiceOther = (2800 + i * 100).toFixed(2);
        a.request = { options: ['INSTALLMENT'], desiredTermMonths: 6 };
        const res = await request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).send(a);
        expect(res.status, res.text.slice(0, 300)).toBe(200);
      }
    } finally {
      await t.close();
    }
    const env = { POLICY_DIR: join(ROOT, 'policies'), AUDIT_URL: url, AUDIT_KEY_FILE: join(dir, 'audit.key') };
    const r = tideover(['simulate', '--baseline', '1.0.0', '--candidate', candidate, '--from-audit', '--since', '2026-03-01', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ read: 3, applications: 3, invalid: 0 });
    expect(report.changed.map((c: any) => c.applicationId)).toContain('AUDIT-0');
    const later = tideover(['simulate', '--baseline', '1.0.0', '--candidate', candidate, '--from-audit', '--since', '2026-03-03', '--json'], env);
    expect(later.stderr).toContain('the input held no application');
    expect(JSON.parse(later.stdout)).toMatchObject({ read: 0, applications: 0 });
  });
});

describe('tideover policy diff', () => {
  it('describes the changes in words and exits 0', () => {
    const next = policyFile('next', TEXT.replace(/(dsrApproveMax:\s*\{\s*value:\s*)0\.55\b/, '$10.60').replace(/^(\s+version:\s*)1\.0\.0\s*$/m, '$11.1.0'), '1.1.0');
    const r = tideover(['policy', 'diff', 'policies/restructuring/1.0.0.yaml', next]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Metadata version changed from "1.0.0" to "1.1.0"');
    expect(r.stdout).toMatch(/^Parameter dsrApproveMax changed from 0\.55 to 0\.6 \(read by rules .*\)$/m);
    const json = tideover(['policy', 'diff', 'policies/restructuring/1.0.0.yaml', next, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).parameters.changed).toMatchObject([{ name: 'dsrApproveMax', from: '0.55', to: '0.6' }]);
  });

  it('identical versions exit 0 too', () => {
    const same = tideover(['policy', 'diff', 'policies/restructuring/1.0.0.yaml', 'policies/restructuring/1.0.0.yaml']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No changes to parameters, rules, reason codes, defaults or documents.');
  });

  it('a file that does not load exits 1 with its located problems; a wrong argument count exits 2', () => {
    const broken = policyFile('broken-diff', TEXT.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }'));
    const r = tideover(['policy', 'diff', 'policies/restructuring/1.0.0.yaml', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken-diff\/1\.0\.0\.yaml:\d+:\d+: error: unknown fact "fraudFlagg"/);
    expect(tideover(['policy', 'diff', 'policies/restructuring/1.0.0.yaml']).code).toBe(2);
  });
});
