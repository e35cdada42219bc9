import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import request from 'supertest';
import { TOKENS, buildTestApp, exampleApplication } from '../helpers/app.js';
import { CLI, tideover } from '../helpers/cli.js';

describe('tideover audit purge', () => {
  it('--dry-run counts without deleting; without --yes it asks and a no keeps everything; --yes purges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-purge-'));
    const env = { AUDIT_URL: `sqlite:${join(dir, 'audit.db')}`, AUDIT_KEY_FILE: join(dir, 'audit.key') };
    const t = await buildTestApp({ auditUrl: env.AUDIT_URL });
    try {
      for (const receivedAt of ['2026-03-01T10:00:00+08:00', '2026-03-02T10:00:00+08:00'])
        expect((await request(t.app).post('/v1/decisions').set('Authorization', `Bearer ${TOKENS.decide}`).send({ ...exampleApplication(), receivedAt })).status).toBe(200);
    } finally {
      await t.close();
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const records = () => JSON.parse(tideover(['audit', 'verify'], env).stdout).records as number;
    const all = records();
    expect(all).toBeGreaterThanOrEqual(2);

    const dry = tideover(['audit', 'purge', '--before', tomorrow, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, wouldPurge: all });
    expect(records()).toBe(all);

    const asked = spawnSync(process.execPath, [CLI, 'audit', 'purge', '--before', tomorrow], { env: { ...process.env, ...env }, input: 'n\n', encoding: 'utf8', timeout: 60_000 });
    expect(asked.status, asked.stderr).toBe(1);
    expect(asked.stderr).toMatch(new RegExp(`Permanently delete ${all} audit record\\(s\\).*\\[y/N\\]`));
    expect(asked.stderr).toContain('not confirmed; nothing purged');
    expect(records()).toBe(all);

    const yes = tideover(['audit', 'purge', '--before', tomorrow, '--yes'], env);
    expect(yes.code, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout).purged).toBe(all);
  }, 180_000);
});
