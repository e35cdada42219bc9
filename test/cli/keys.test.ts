import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/api-keys.schema.json' with { type: 'json' };
import { reloadKeysOnChange } from '../../src/adapters/keys/reload.js';
import type { ApiKey } from '../../src/generated/api-keys.js';
import { tideover } from '../helpers/cli.js';
import { call, dataDir, startService } from '../helpers/service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tideover keys', () => {
  it('create prints a new token once on stdout and stores only its sha256', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-keys-')), 'keys.yaml');
    const r = tideover(['keys', 'create', '--id', 'servicing', '--roles', 'decide,audit'], { API_KEYS_FILE: file });
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^tdo_[A-Za-z0-9_-]{32}$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(sha(token));
    expect(r.stderr).not.toContain(token);
    expect(tideover(['keys', 'list', '--json'], { API_KEYS_FILE: file }).stdout).toBe(`${JSON.stringify([{ id: 'servicing', roles: ['decide', 'audit'] }], null, 2)}\n`);
  });

  it('takes every role the schema lists, and refuses an unknown role naming them all', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-keys-')), 'keys.yaml');
    const roles = schema.$defs.Role.enum;
    expect(tideover(['keys', 'create', '--id', 'all', '--roles', roles.join(',')], { API_KEYS_FILE: file }).code).toBe(0);
    const bad = tideover(['keys', 'create', '--id', 'x', '--roles', 'decide,admin'], { API_KEYS_FILE: file });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`unknown role "admin"; roles are ${roles.join(', ')}`);
  });

  it('a duplicate id and revoking an unknown id are refused; revoke removes just that key', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-keys-')), 'keys.yaml');
    const env = { API_KEYS_FILE: file };
    tideover(['keys', 'create', '--id', 'a', '--roles', 'decide'], env);
    tideover(['keys', 'create', '--id', 'b', '--roles', 'audit'], env);
    expect(tideover(['keys', 'create', '--id', 'a', '--roles', 'decide'], env).stderr).toContain('a key "a" already exists');
    expect(tideover(['keys', 'revoke', '--id', 'zz'], env).code).toBe(1);
    expect(tideover(['keys', 'revoke', '--id', 'a'], env).code).toBe(0);
    expect(JSON.parse(tideover(['keys', 'list', '--json'], env).stdout)).toEqual([{ id: 'b', roles: ['audit'] }]);
  });

  it('SIGHUP reloads the keys file at once; a file that no longer loads leaves the keys in force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-keys-'));
    const file = join(dir, 'keys.yaml');
    writeFileSync(file, `keys:\n  - { id: a, sha256: "${sha('one')}", roles: [decide] }\n`);
    const applied: ApiKey[][] = [];
    const errors: string[] = [];
    const close = reloadKeysOnChange(file, (k) => applied.push(k), { info: () => {}, error: (m) => errors.push(m) }, 60_000);
    try {
      process.emit('SIGHUP', 'SIGHUP');
      await expect.poll(() => applied.length).toBe(1);
      expect(applied[0]!.map((k) => k.id)).toEqual(['a']);
      writeFileSync(file, 'keys: [ { id: a } ]\n');
      process.emit('SIGHUP', 'SIGHUP');
      await expect.poll(() => errors.length).toBe(1);
      expect(applied).toHaveLength(1);
    } finally {
      close();
    }
  });

  it('a running service accepts a created key and refuses a revoked one, without a restart', async () => {
    const dir = dataDir();
    const svc = await startService(dir);
    const env = { API_KEYS_FILE: join(dir, 'keys.yaml') };
    try {
      const token = tideover(['keys', 'create', '--id', 'late', '--roles', 'audit'], env).stdout.trim();
      const asLate = () => call(svc.port, 'GET', '/v1/decisions?limit=1', undefined, { Authorization: `Bearer ${token}` }).then((a) => a.status);
      await expect.poll(asLate, { timeout: 10_000, interval: 200 }).toBe(200);
      expect(tideover(['keys', 'revoke', '--id', 'late'], env).code).toBe(0);
      await expect.poll(asLate, { timeout: 10_000, interval: 200 }).toBe(401);
    } finally {
      svc.proc.kill('SIGTERM');
      await svc.exited;
    }
  });
});
