import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';

const ADMIN = `Bearer ${TOKENS.admin}`;

describe('shadow mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-shadow-'));
    cpSync(join(ROOT, 'policies'), dir, { recursive: true });
    // The challenger is not yet effective (2027) and refers installments below a score of 750.
    const v100 = readFileSync(join(dir, 'restructuring', '1.0.0.yaml'), 'utf8');
    writeFileSync(join(dir, 'restructuring', '2.0.0.yaml'), v100.replace('  version: 1.0.0', '  version: 2.0.0').replace('  effectiveFrom: 2026-01-01', '  effectiveFrom: 2027-01-01').replace('installmentMinScore: { value: 600,', 'installmentMinScore: { value: 750,'));
    const tests = readFileSync(join(dir, 'restructuring', '1.0.0.test.yaml'), 'utf8');
    writeFileSync(join(dir, 'restructuring', '2.0.0.test.yaml'), `${tests.slice(0, tests.indexOf('cases:'))}cases:\n  - name: confirmed fraud declines everything\n    now: 2027-02-01T00:00:00+08:00\n    patch: { receivedAt: 2027-02-01T00:00:00+08:00, borrower: { fraudFlag: CONFIRMED } }\n    expect: { accountAction: FREEZE }\n`);
    t = await buildTestApp({ policyDir: dir, shadow: { version: '2.0.0' } });
  });
  afterAll(async () => t.close());

  it('returns only the champion decision, records the challenger with it, and reports how they differ', async () => {
    const res = await request(t.app).post('/v1/decisions').set('Authorization', ADMIN).send(exampleApplication());
    expect(res.status).toBe(200);
    expect(res.body.policy.version).toBe('1.0.0');
    expect(res.body.options.find((o: { option: string }) => o.option === 'INSTALLMENT').decision).toBe('APPROVE');

    const record = (await request(t.app).get(`/v1/decisions/${res.body.decisionId}`).set('Authorization', ADMIN)).body;
    expect(record.challenger.policy.version).toBe('2.0.0');
    expect(record.challenger.options.find((o: { option: string }) => o.option === 'INSTALLMENT').decision).not.toBe('APPROVE');

    const report = (await request(t.app).get('/v1/policies/shadow').set('Authorization', ADMIN)).body;
    expect(report).toMatchObject({ enabled: true, challenger: '2.0.0', decisions: 1, differing: 1 });
    expect(Object.keys(report.transitions.INSTALLMENT)[0]).toMatch(/^APPROVE→/);
  });
});
