import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { ROOT } from '../helpers/app.js';
import { freshSchema, postgresUnreachable } from '../helpers/postgres.js';
import { call, dataDir, loadGenerator, startService } from '../helpers/service.js';

const unreachable = await postgresUnreachable();
if (unreachable) console.warn(`skipping two-instance PostgreSQL test: no server at 127.0.0.1:5432 (${unreachable}) and TEST_DATABASE_URL not set`);

const APP = JSON.parse(readFileSync(join(ROOT, 'examples', 'application.json'), 'utf8'));

describe.skipIf(Boolean(unreachable))('two service instances on one PostgreSQL trail', () => {
  it('take decisions concurrently: none lost, one chain that verifies', async () => {
    const { url, drop } = freshSchema('tideover_it');
    const dir = dataDir();
    try {
      const [a, b] = await Promise.all([startService(dir, { AUDIT_URL: url }), startService(dir, { AUDIT_URL: url })]);
      const la = loadGenerator(a.port, APP, 8);
      const lb = loadGenerator(b.port, APP, 8);
      await new Promise((r) => setTimeout(r, 2500));
      await Promise.all([la.stop(), lb.stop()]);
      const acked = [...la.acked, ...lb.acked];
      expect(la.acked.length).toBeGreaterThan(20);
      expect(lb.acked.length).toBeGreaterThan(20);
      const verify = await call(a.port, 'GET', '/v1/audit/verify');
      // Besides the decisions, the one chain holds the policy versions the instances imported at start.
      const events = (await call(a.port, 'GET', '/v1/audit/events')).body.events as unknown[];
      expect(events.length).toBeGreaterThan(0);
      expect(verify.body).toMatchObject({ ok: true, records: acked.length + events.length });
      for (const s of [a, b]) s.proc.kill('SIGTERM');
      expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
      const store = await openAuditStore(url);
      try {
        for (const id of acked) expect(await store.get(id), id).toBeDefined();
      } finally {
        await store.close();
      }
    } finally {
      await drop();
    }
  }, 60_000);
});
