import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { call, dataDir, loadGenerator, startService } from '../helpers/service.js';
import { openAuditStore } from '../../src/adapters/store/open.js';

const APP = JSON.parse(readFileSync(join(ROOT, 'examples', 'application.json'), 'utf8'));
const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durability of acknowledged decisions', () => {
  it('after SIGKILL under load, every decision that got a 200 is in the trail and the chain verifies', async () => {
    const dir = dataDir();
    const svc = await startService(dir);
    const load = loadGenerator(svc.port, APP);
    while (load.acked.length < 150) await until(20);
    svc.proc.kill('SIGKILL');
    await load.stop();
    await svc.exited;
    const acked = [...load.acked];

    const store = await openAuditStore(`sqlite:${join(dir, 'audit.db')}`);
    try {
      const missing = [];
      for (const id of acked) if (!(await store.get(id))) missing.push(id);
      expect(missing).toEqual([]);
      const v = await store.verify(Buffer.from('ab'.repeat(32), 'hex'));
      expect(v.ok).toBe(true);
      expect(v.records).toBeGreaterThanOrEqual(acked.length);
    } finally {
      await store.close();
    }
    const again = await startService(dir);
    expect((await call(again.port, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
    again.proc.kill('SIGTERM');
    await again.exited;
  });

  it('SIGTERM under load loses no acknowledged decision and exits 0', async () => {
    const dir = dataDir();
    const svc = await startService(dir);
    const load = loadGenerator(svc.port, APP);
    while (load.acked.length < 100) await until(20);
    const signalled = performance.now();
    svc.proc.kill('SIGTERM');
    const code = await svc.exited;
    const drainMs = performance.now() - signalled;
    await load.stop();
    expect(code).toBe(0);
    expect(drainMs).toBeLessThan(10_000); // the operational contract, not a speed measurement
    const store = await openAuditStore(`sqlite:${join(dir, 'audit.db')}`);
    try {
      for (const id of load.acked) expect(await store.get(id), id).toBeDefined();
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
