import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openScreeningStore } from '../../src/adapters/store/open-screening-store.js';
import { parsePostgresUrl } from '../../src/adapters/store/postgres/driver.js';
import type { ScreeningStore, StoredScreeningRun } from '../../src/ports/screening-store.js';

const { connectionString } = parsePostgresUrl(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const schemas: string[] = [];
const opened: ScreeningStore[] = [];

async function pgUrl(): Promise<string> {
  const schema = `screening_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(connectionString);
  url.searchParams.set('schema', schema);
  return url.toString();
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  if (!schemas.length) return;
  const c = new pg.Client({ connectionString });
  await c.connect();
  for (const s of schemas.splice(0)) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
});

const run = (id: string, status: StoredScreeningRun['status'], finishedAt?: string): StoredScreeningRun => ({
  id, status, createdAt: '2026-12-01T00:00:00Z', callerKeyId: 'k', format: 'ndjson', inputSha256: 'x', inputBytes: 10, bytesDone: 0, counts: {}, ...(finishedAt ? { finishedAt } : {}),
});
const result = (loanId: string, tier: string, contactBy: string | null) => ({ loanId, tier, contactBy, body: JSON.stringify({ loanId, tier, contactBy }) });

const drivers: [string, () => Promise<string>][] = [
  ['sqlite', async () => 'sqlite::memory:'],
  ['postgres', pgUrl],
];

describe.each(drivers)('screening store (%s)', (_name, url) => {
  const open = async () => {
    const s = await openScreeningStore(await url());
    opened.push(s);
    return s;
  };

  it('keeps one result per (run, loan) however often it is written, so counts stay exact', async () => {
    const s = await open();
    await s.createRun(run('r1', 'RUNNING'));
    await s.putResults('r1', [result('L-1', 'HIGH', '2026-12-08'), result('L-2', 'LOW', null)]);
    await s.putResults('r1', [result('L-2', 'LOW', null), result('L-3', 'CRITICAL', '2026-12-03')]);
    expect(await s.countByTier('r1')).toEqual({ HIGH: 1, LOW: 1, CRITICAL: 1 });
    expect((await s.results('r1', { limit: 10 })).map((r) => r.loanId)).toEqual(['L-1', 'L-2', 'L-3']);
    expect((await s.results('r1', { tiers: ['HIGH', 'CRITICAL'], limit: 10 })).map((r) => r.loanId)).toEqual(['L-1', 'L-3']);
    expect((await s.results('r1', { afterLoanId: 'L-1', limit: 1 })).map((r) => r.loanId)).toEqual(['L-2']);
  });

  it('stores and replaces a run', async () => {
    const s = await open();
    await s.createRun(run('r1', 'RUNNING'));
    await s.updateRun({ ...run('r1', 'SUCCEEDED', '2026-12-01T01:00:00Z'), auditSeq: 7 });
    expect(await s.getRun('r1')).toMatchObject({ status: 'SUCCEEDED', auditSeq: 7 });
    expect(await s.getRun('nope')).toBeUndefined();
  });

  it('lists outreach from each loan’s latest finished run, earliest contact first, due by the date asked', async () => {
    const s = await open();
    await s.createRun(run('old', 'SUCCEEDED', '2026-11-30T01:00:00Z'));
    await s.createRun(run('new', 'SUCCEEDED', '2026-12-01T01:00:00Z'));
    await s.createRun(run('running', 'RUNNING'));
    await s.putResults('old', [result('L-1', 'CRITICAL', '2026-12-02'), result('L-9', 'HIGH', '2026-12-05')]);
    await s.putResults('new', [result('L-1', 'LOW', null), result('L-2', 'HIGH', '2026-12-08'), result('L-3', 'CRITICAL', '2026-12-03')]);
    await s.putResults('running', [result('L-4', 'CRITICAL', '2026-12-02')]);
    const rows = await s.outreach('2026-12-08', { limit: 10 });
    expect(rows.map((r) => [r.loanId, r.contactBy, r.runId])).toEqual([['L-3', '2026-12-03', 'new'], ['L-9', '2026-12-05', 'old'], ['L-2', '2026-12-08', 'new']]);
    expect((await s.outreach('2026-12-04', { limit: 10 })).map((r) => r.loanId)).toEqual(['L-3']);
    expect((await s.outreach('2026-12-08', { after: { contactBy: '2026-12-03', loanId: 'L-3' }, limit: 1 })).map((r) => r.loanId)).toEqual(['L-9']);
  });
});
