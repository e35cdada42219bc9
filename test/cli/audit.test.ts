import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tideover } from '../helpers/cli.js';
import { call, dataDir, startService } from '../helpers/service.js';
import { exampleApplication } from '../helpers/app.js';

describe('tideover audit', () => {
  it('verifies, replays and purges the trail a service wrote; a tampered record is named', async () => {
    const dir = dataDir();
    const env = { AUDIT_URL: `sqlite:${join(dir, 'audit.db')}`, AUDIT_KEY_FILE: join(dir, 'audit.key') };
    const svc = await startService(dir);
    const ids: string[] = [];
    for (const receivedAt of ['2026-03-01T10:00:00+08:00', '2026-03-02T10:00:00+08:00', '2026-03-03T10:00:00+08:00']) {
      const res = await call(svc.port, 'POST', '/v1/decisions', { ...exampleApplication(), receivedAt });
      expect(res.status).toBe(200);
      ids.push(res.body.decisionId);
    }
    // The chain also holds the policy versions imported at start (POLICY_PUBLISHED, approved by the repository's review).
    const events = (await call(svc.port, 'GET', '/v1/audit/events')).body.events as unknown[];
    expect(events.length).toBeGreaterThan(0);
    svc.proc.kill('SIGTERM');
    await svc.exited;

    const verify = tideover(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, records: 3 + events.length });

    const replay = tideover(['audit', 'replay', ids[1]!], env);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ decisionId: ids[1], identical: true });

    expect(tideover(['audit', 'purge'], env).code).toBe(2);
    const purge = tideover(['audit', 'purge', '--before', '2000-01-01'], env);
    expect(purge.code).toBe(0);
    expect(JSON.parse(purge.stdout).purged).toBe(0);

    const db = new Database(join(dir, 'audit.db'));
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'audit_records'").get() as { name: string };
    const row = db.prepare(`SELECT body FROM ${table.name} WHERE decision_id = ?`).get(ids[1]) as { body: string };
    db.prepare(`UPDATE ${table.name} SET body = ? WHERE decision_id = ?`).run(row.body.replace('"APPROVE"', '"DECLINE"'), ids[1]);
    db.close();
    const tampered = tideover(['audit', 'verify'], env);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false, firstBrokenId: ids[1] });
  });
});
