import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { MAIN, tideover } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';

function policyCopy(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-policies-'));
  cpSync(join(ROOT, 'policies'), dir, { recursive: true });
  const file = join(dir, 'restructuring', '1.0.0.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('tideover policy check', () => {
  it('passes on the shipped policies with full rule coverage and exit 0', () => {
    const r = tideover(['policy', 'check', '--coverage', 'policies']);
    expect(r.stdout).toMatch(/\d+ policy version\(s\), (\d+)\/\1 test cases passed, 0 error\(s\)/);
    expect(r.code).toBe(0);
  });

  it('a YAML syntax error exits 1 with file:line:column', () => {
    const dir = policyCopy((t) => t.replace('kind: RestructuringPolicy', 'kind: RestructuringPolicy\n  bad: [indent'));
    const r = tideover(['policy', 'check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/restructuring\/1\.0\.0\.yaml:\d+:\d+: error: /);
  });

  it('an unknown fact exits 1 naming the line and column of the fact', () => {
    const dir = policyCopy((t) => t.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }'));
    const r = tideover(['policy', 'check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/restructuring\/1\.0\.0\.yaml:\d+:\d+: error: unknown fact "fraudFlagg"; did you mean "fraudFlag"\? \(rules\[0\]\.conditions\.any\[0\]\.fact\)/);
  });

  it('a failing policy test case exits 1 and names the case and its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-policies-'));
    cpSync(join(ROOT, 'policies'), dir, { recursive: true });
    const tests = join(dir, 'restructuring', '1.0.0.test.yaml');
    writeFileSync(tests, readFileSync(tests, 'utf8').replace('accountAction: FREEZE', 'accountAction: NONE'));
    const r = tideover(['policy', 'check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1\.0\.0\.test\.yaml:\d+:\d+: error: case ".*": account action: expected NONE, got FREEZE/);
  });

  it('a missing path exits 1 naming it', () => {
    const r = tideover(['policy', 'check', 'no-such-dir']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no-such-dir:1:1: error: cannot read: ENOENT');
  });

  it('the service refuses to start on a broken policy, printing file:line:column, exit 1', () => {
    const dir = policyCopy((t) => t.replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', '{ fact: fraudFlagg, operator: equal, value: CONFIRMED }'));
    const data = mkdtempSync(join(tmpdir(), 'tideover-data-'));
    const r = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, POLICY_DIR: dir, PORT: '0', AUDIT_URL: `sqlite:${join(data, 'a.db')}`, API_KEYS_FILE: join(data, 'k.yaml'), AUDIT_KEY_FILE: join(data, 'k.key') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/1\.0\.0\.yaml:\d+:\d+: error: unknown fact "fraudFlagg"/);
  });

  it('MONEY other than exact or reference ends the start with exit 1 naming it', () => {
    const r = spawnSync(process.execPath, [MAIN], { env: { ...process.env, MONEY: 'float' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tideover: MONEY="float" is invalid/);
  });

  it('a bad setting ends the start with exit 1 and one line naming it', () => {
    const r = spawnSync(process.execPath, [MAIN], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tideover: PORT="eighty" is invalid/);
  });
});
