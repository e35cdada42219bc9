import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, exampleApplication } from '../helpers/app.js';
import { tideover } from '../helpers/cli.js';

const POLICY = join(ROOT, 'policies/restructuring/1.0.0.yaml');

function corpus(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tideover-sim-')), 'apps.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('tideover simulate with invalid input', () => {
  it('exits 1 when no input line is valid, naming the invalid lines by number', () => {
    const bad = { ...exampleApplication(), receivedAt: 'yesterday' };
    const file = corpus(['{not json', JSON.stringify(bad), '[]']);
    const r = tideover(['simulate', '--baseline', POLICY, '--candidate', POLICY, '--applications', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no input line was valid (3 invalid: lines 1, 2, 3)');
    expect(r.stdout).toMatch(/line 1: parse/);
    expect(r.stdout).toMatch(/line 2 \(APP-2026-000123\): schema/);
  });

  it('with --json the report alone is on stdout, and the exit is still 1', () => {
    const r = tideover(['simulate', '--baseline', POLICY, '--candidate', POLICY, '--applications', corpus(['{']), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ applications: 0, invalid: 1, invalidItems: [{ line: 1 }] });
  });

  it('one valid line among invalid ones is a completed run (exit 0) that still lists the invalid lines', () => {
    const r = tideover(['simulate', '--baseline', POLICY, '--candidate', POLICY, '--applications', corpus(['{', JSON.stringify(exampleApplication())]), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ applications: 1, invalid: 1, invalidItems: [{ line: 1 }] });
  });
});
