import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';

describe('npm run --silent tideover -- … --json', () => {
  it('prints only JSON on stdout (npm\'s banner is what --silent leaves out, as the README says)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-npm-')), 'keys.yaml');
    const env = { ...process.env, API_KEYS_FILE: file };
    const created = spawnSync('npm', ['run', '--silent', 'tideover', '--', 'keys', 'create', '--id', 'ops', '--roles', 'audit', '--json'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'ops', roles: ['audit'], token: expect.stringMatching(/^tdo_/) });
    const listed = spawnSync('npm', ['run', '--silent', 'tideover', '--', 'keys', 'list', '--json'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(listed.stdout)).toEqual([{ id: 'ops', roles: ['audit'] }]);
  });

  it('without --silent npm mixes its banner into stdout, which is why the README gives the flag', () => {
    const r = spawnSync('npm', ['run', 'tideover', '--', '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^\n?> tideover@/);
  });
});
