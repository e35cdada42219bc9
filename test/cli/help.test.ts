import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { tideover } from '../helpers/cli.js';

describe('tideover help, version and usage errors', () => {
  it('--help prints the command list on stdout and exits 0', () => {
    const r = tideover(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: tideover/);
    for (const c of ['policy', 'simulate', 'serve', 'audit', 'keys']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('--version prints the package version on stdout and exits 0', () => {
    const r = tideover(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it.each([['serve'], ['policy'], ['policy', 'check'], ['policy', 'diff'], ['simulate'], ['audit'], ['audit', 'purge'], ['keys', 'create'], ['keys', 'revoke']])('%s --help prints its usage on stdout and exits 0', (...cmd) => {
    const r = tideover([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: tideover ${cmd.join(' ')}`);
  });

  it('serve --help starts nothing: it returns at once without listening', () => {
    const started = Date.now();
    const r = tideover(['serve', '--help'], { PORT: 'eighty' });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/listening|PORT="eighty"/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an unknown option is a usage error with a suggestion, exit 2', () => {
    const r = tideover(['policy', 'check', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stderr).toContain('Did you mean --json?');
    expect(r.stdout).toBe('');
  });

  it('an unknown command suggests the near one, exit 2', () => {
    const r = tideover(['simulat']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean simulate?');
  });
});
