import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { freshSchema, postgresUnreachable } from '../helpers/postgres.js';
import { dataDir, startService, TOKEN, type Service } from '../helpers/service.js';

const unreachable = await postgresUnreachable();

const AUTHOR = 'tok-process-author-0123456789';
const APPROVER = 'tok-process-approver-0123456789';
const digest = (t: string) => createHash('sha256').update(t).digest('hex');
const SHIPPED = readFileSync(join(ROOT, 'policies', 'restructuring', '1.1.0.yaml'), 'utf8');
const V120 = SHIPPED.replace(/^(\s+version:\s*)1\.1\.0/m, '$11.2.0');
const TESTS = readFileSync(join(ROOT, 'policies', 'restructuring', '1.1.0.test.yaml'), 'utf8');
const DECEMBER = { ...JSON.parse(readFileSync(join(ROOT, 'examples', 'application.json'), 'utf8')), receivedAt: '2026-12-05T10:00:00+08:00' };

async function http(s: Service, method: string, path: string, token: string, body?: string, type = 'application/json') {
  const res = await fetch(`http://127.0.0.1:${s.port}${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': type } : {}) }, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const served = async (s: Service) => (await http(s, 'POST', '/v1/decisions', TOKEN, JSON.stringify(DECEMBER))).body.policy.version as string;

describe.skipIf(Boolean(unreachable))('two service instances on one PostgreSQL: publication', () => {
  it('a version approved on one instance is served by the other within 5 s; the chain holds the records and verifies', async () => {
    const { url, drop } = freshSchema('tideover_pub');
    const dir = dataDir();
    writeFileSync(
      join(dir, 'keys.yaml'),
      `keys:\n  - { id: tester, sha256: ${digest(TOKEN)}, roles: [decide, audit, policy-admin] }\n  - { id: alice, sha256: ${digest(AUTHOR)}, roles: [policy-author] }\n  - { id: bob, sha256: ${digest(APPROVER)}, roles: [policy-approver] }\n`,
    );
    const services: Service[] = [];
    try {
      // One after the other: a imports POLICY_DIR, b finds the files published (test/app/publication-import.test.ts
      // covers two importing at once).
      services.push(await startService(dir, { AUDIT_URL: url }, 90_000));
      services.push(await startService(dir, { AUDIT_URL: url }, 90_000));
      const [a, b] = services as [Service, Service];
      expect(await served(a)).toBe('1.1.0');
      expect(await served(b)).toBe('1.1.0');

      expect((await http(a, 'PUT', '/v1/policy-drafts/restructuring', AUTHOR, V120, 'application/yaml')).status).toBe(200);
      const saved = await http(b, 'PUT', '/v1/policy-drafts/restructuring/tests', AUTHOR, TESTS, 'application/yaml');
      expect(saved.body.check.submittable, JSON.stringify(saved.body.check.refusals)).toBe(true);
      const change = await http(a, 'POST', '/v1/policy-drafts/restructuring/submit', AUTHOR);
      expect(change.status).toBe(201);
      expect((await http(b, 'GET', '/v1/policy-changes?status=PENDING', APPROVER)).body.changes.map((c: { id: string }) => c.id)).toEqual([change.body.id]);

      const approved = await http(a, 'POST', `/v1/policy-changes/${change.body.id}/approve`, APPROVER, JSON.stringify({ comment: 'two instances' }));
      expect(approved.status).toBe(200);
      const t0 = Date.now();
      let seenByB = -1;
      while (Date.now() - t0 < 10_000) {
        if ((await served(b)) === '1.2.0') {
          seenByB = Date.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seenByB, 'instance b never served 1.2.0').toBeGreaterThanOrEqual(0);
      expect(seenByB).toBeLessThan(5000);
      expect(await served(a)).toBe('1.2.0');

      const events = (await http(b, 'GET', '/v1/audit/events?type=POLICY_PUBLISHED', TOKEN)).body.events as { data: { version: string; approvedBy: string; origin: string } }[];
      expect(events.filter((e) => e.data.version === '1.2.0')).toEqual([expect.objectContaining({ data: expect.objectContaining({ approvedBy: 'bob', origin: 'API' }) })]);
      // The files were imported once: one record per version.
      expect(events.filter((e) => e.data.origin === 'REPOSITORY').map((e) => e.data.version).sort()).toEqual(['1.0.0', '1.1.0']);
      expect((await http(a, 'GET', '/v1/audit/verify', TOKEN)).body.ok).toBe(true);
    } catch (e) {
      for (const s of services) process.stderr.write(`--- instance log:\n${s.stdout.join('').slice(-3000)}\n`);
      throw e;
    } finally {
      for (const s of services) s.proc.kill('SIGTERM');
      await Promise.all(services.map((s) => s.exited));
      await drop();
    }
  }, 180_000);
});
