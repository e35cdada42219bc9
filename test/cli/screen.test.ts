import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTiers, screenCommand } from '../../src/adapters/cli/screen.js';

const dir = mkdtempSync(join(tmpdir(), 'tideover-screen-'));

async function run(opts: Parameters<typeof screenCommand>[0]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await screenCommand(opts, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tideover screen', () => {
  it('screens the sample book to NDJSON and ends with the summary table', async () => {
    const outFile = join(dir, 'all.ndjson');
    const { code, out } = await run({ loans: 'examples/book.csv', out: outFile, policies: 'policies' });
    expect(code).toBe(0);
    const rows = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(198);
    expect(out).toMatch(/^screened 198 of 200 records in [\d.]+ s \([\d,]+ snapshots\/s\); 198 written/);
    expect(out).toMatch(/CRITICAL\s+\d+\s+[\d.]+%/);
    expect(out).toContain('top reasons');
    expect(out).toMatch(/invalid records: 2\n {4}line \d+ \(L-\d+\): \/remainingTermMonths must be of type integer/);
    expect(out).toMatch(/policies: screening@1\.0\.0 \(sha256 [0-9a-f]{12}…\)/);
  });

  it('writes only the tiers asked for, and counts them all', async () => {
    const outFile = join(dir, 'high.ndjson');
    const { code, out } = await run({ loans: 'examples/book.csv', out: outFile, tier: 'HIGH,critical', policies: 'policies' });
    expect(code).toBe(0);
    const rows = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set(['HIGH', 'CRITICAL']));
    expect(rows.every((r) => r.offer && r.contactBy)).toBe(true);
    expect(out).toContain(`${rows.length} written`);
  });

  it('refuses a bad --tier or --workers with exit 2, a missing book with exit 1, and a failing screening policy test with exit 1', async () => {
    expect(parseTiers('HIGH,SEVERE')).toMatch(/--tier takes/);
    expect((await run({ loans: 'examples/book.csv', out: '-', tier: 'SEVERE' })).code).toBe(2);
    expect((await run({ loans: 'examples/book.csv', out: '-', workers: '0' })).code).toBe(2);
    const missing = await run({ loans: join(dir, 'none.csv'), out: '-' });
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining('cannot read') });
    const policies = mkdtempSync(join(tmpdir(), 'tideover-policies-'));
    cpSync('policies/restructuring', join(policies, 'restructuring'), { recursive: true });
    mkdirSync(join(policies, 'screening'));
    writeFileSync(join(policies, 'screening', '1.0.0.yaml'), readFileSync('policies/screening/1.0.0.yaml', 'utf8').replace('points: 40', 'points: 45'));
    writeFileSync(join(policies, 'screening', '1.0.0.test.yaml'), readFileSync('policies/screening/1.0.0.test.yaml', 'utf8'));
    const failing = await run({ loans: 'examples/book.csv', out: '-', policies });
    expect(failing.code).toBe(1);
    expect(failing.err).toMatch(/1\.0\.0\.test\.yaml:\d+:\d+: error: S3: .*points: expected 100, got 105/);
  });
});
