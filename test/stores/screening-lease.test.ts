import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openScreeningStore } from '../../src/adapters/store/open-screening-store.js';
import { RunLease } from '../../src/app/screening-lease.js';
import type { ScreeningLease, ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../../src/ports/screening-store.js';
import { freshSchema, PG_URL, postgresUnreachable } from '../helpers/postgres.js';

// Owner leases of screening runs on both drivers: every claimer has its own connection (its own pool on
// PostgreSQL), as two instances sharing the database would.
const pgSchema = freshSchema('screening_lease');
let pgDown: string | undefined;
beforeAll(async () => {
  pgDown = await postgresUnreachable();
});
afterAll(async () => {
  if (!pgDown) await pgSchema.drop();
});

const opened: ScreeningStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

let n = 0;
const run = (status: StoredScreeningRun['status'] = 'RUNNING'): StoredScreeningRun => ({
  id: `run-${process.pid}-${++n}`, status, createdAt: '2026-12-01T00:00:00Z', callerKeyId: 'k', format: 'ndjson', inputSha256: 'x', inputBytes: 10, bytesDone: 0, counts: {}, attempts: 1,
});

const result = (loanId: string, body: string): StoredScreeningResult => ({ loanId, tier: 'HIGH', contactBy: '2026-12-08', body });

const drivers: [string, () => string][] = [
  ['sqlite', () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'tideover-lease-')), 'audit.db')}`],
  ['postgres', () => pgSchema.url],
];

describe.each(drivers)('screening run leases (%s)', (name, urlOf) => {
  const instances = async (count: number): Promise<ScreeningStore[]> => {
    const url = urlOf();
    const stores: ScreeningStore[] = [];
    for (let i = 0; i < count; i++) stores.push(await openScreeningStore(url));
    opened.push(...stores);
    return stores;
  };
  const skip = () => name === 'postgres' && pgDown !== undefined;

  it('a stale run is claimed by exactly one of two claimers racing for it, over and over', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b, owner] = await instances(3);
    for (let i = 0; i < 20; i++) {
      const r = run(i % 2 ? 'QUEUED' : 'RUNNING');
      await owner!.createRun(r, { owner: 'dead', atMs: 1000 });
      expect(await a!.staleRuns(5000, 1000)).toContain(r.id);
      const [ga, gb] = await Promise.all([a!.claimRun(r.id, { owner: 'A', atMs: 9000 }, 5000), b!.claimRun(r.id, { owner: 'B', atMs: 9000 }, 5000)]);
      expect([ga, gb].filter(Boolean)).toHaveLength(1);
      expect((ga ?? gb)!.id).toBe(r.id);
      // Claimed, the heartbeat is fresh: neither finds it stale any more.
      expect(await b!.staleRuns(5000, 1000)).not.toContain(r.id);
      expect(await b!.claimRun(r.id, { owner: 'B2', atMs: 9000 }, 5000)).toBeUndefined();
    }
  });

  it('the former owner is fenced: its writes and heartbeats fail once another instance holds the run', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b] = await instances(2);
    const r = run();
    await a!.createRun(r, { owner: 'A', atMs: 1000 });
    expect(await a!.heartbeat(r.id, { owner: 'A', atMs: 2000 })).toBe(true);
    expect(await a!.updateRun({ ...r, bytesDone: 5 }, { owner: 'A', atMs: 3000 })).toBe(true);
    expect(await b!.claimRun(r.id, { owner: 'B', atMs: 9000 }, 2000)).toBeUndefined(); // its heartbeat (3000) is not stale before 2000
    expect(await b!.claimRun(r.id, { owner: 'B', atMs: 9000 }, 5000)).toMatchObject({ id: r.id, bytesDone: 5 });
    expect(await a!.heartbeat(r.id, { owner: 'A', atMs: 9500 })).toBe(false);
    expect(await a!.updateRun({ ...r, status: 'FAILED', error: 'late' }, { owner: 'A', atMs: 9500 })).toBe(false);
    expect(await a!.getRun(r.id)).toMatchObject({ status: 'RUNNING', bytesDone: 5 });
    expect(await b!.updateRun({ ...r, status: 'SUCCEEDED' }, { owner: 'B', atMs: 9600 })).toBe(true);
  });

  it('results are written only while the writer holds the lease: once the run is claimed, its former owner writes nothing over the new owner', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a, b] = await instances(2);
    const r = run();
    await a!.createRun(r, { owner: 'A', atMs: 1000 });
    expect(await a!.putResults(r.id, [result('L-1', 'by A'), result('L-3', 'by A')], 'A')).toBe(true);
    expect(await b!.putResults(r.id, [result('L-9', 'by B before its claim')], 'B')).toBe(false);
    expect(await b!.claimRun(r.id, { owner: 'B', atMs: 9000 }, 5000)).toMatchObject({ id: r.id });
    expect(await b!.putResults(r.id, [result('L-1', 'by B'), result('L-2', 'by B')], 'B')).toBe(true);
    // A, paused through the claim, flushes its next batch: refused whole, in the transaction that would write it.
    expect(await a!.putResults(r.id, [result('L-1', 'by A, late'), result('L-4', 'by A, late')], 'A')).toBe(false);
    expect(await a!.putResults(r.id, [], 'A')).toBe(false);
    expect((await b!.results(r.id, { limit: 10 })).map((x) => [x.loanId, x.body])).toEqual([
      ['L-1', 'by B'],
      ['L-2', 'by B'],
      ['L-3', 'by A'],
    ]);
    // Without an owner (chunks of `tideover screen --workers`, which have no lease) the write is unconditional.
    expect(await a!.putResults(r.id, [result('L-5', 'chunk')])).toBe(true);
    expect(await a!.countByTier(r.id)).toEqual({ HIGH: 4 });
  });

  it('a heartbeat still in flight when the run is handed back is waited for: committing after the hand-back, it would make the lease fresh again', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a] = await instances(1);
    const r = run();
    await a!.createRun(r, { owner: 'A', atMs: Date.now() });
    // Each heartbeat takes 250 ms to reach the database (a slow round trip); one is sent every 100 ms.
    const slow = Object.assign(Object.create(a!) as ScreeningStore, {
      heartbeat: async (id: string, lease: ScreeningLease) => {
        await new Promise((ok) => setTimeout(ok, 250));
        return a!.heartbeat(id, lease);
      },
    });
    const lease = new RunLease(slow, r.id, 'A', { now: () => new Date().toISOString() }, { leaseMs: 60_000, heartbeatMs: 100 }).beat();
    await new Promise((ok) => setTimeout(ok, 150)); // a heartbeat has left, not yet arrived
    lease.stop();
    await lease.release();
    await new Promise((ok) => setTimeout(ok, 400)); // anything still on its way has arrived
    expect(await a!.staleRuns(1, 1000)).toContain(r.id); // heartbeat 0: claimable at once
  });

  it('finished runs, runs without a lease (worker runs) and fresh leases are never claimed; a handed-back lease is claimable at once', async (ctx) => {
    if (skip()) return ctx.skip();
    const [a] = await instances(1);
    const done = run('SUCCEEDED');
    const workers = run('RUNNING');
    const fresh = run('RUNNING');
    const handed = run('RUNNING');
    await a!.createRun(done, { owner: 'X', atMs: 1000 });
    await a!.createRun(workers);
    await a!.createRun(fresh, { owner: 'X', atMs: 8000 });
    await a!.createRun(handed, { owner: 'X', atMs: 8000 });
    await a!.releaseLease(handed.id, 'X');
    const stale = await a!.staleRuns(5000, 1000);
    expect(stale).toContain(handed.id);
    for (const id of [done.id, workers.id, fresh.id]) {
      expect(stale).not.toContain(id);
      expect(await a!.claimRun(id, { owner: 'A', atMs: 9000 }, 5000)).toBeUndefined();
    }
  });
});

describe("PostgreSQL: a claim and a former owner's batch at the same moment", () => {
  it('the batch holds the run row while it writes: a claim committing first makes the batch write nothing', async (ctx) => {
    if (pgDown) return ctx.skip();
    const a = await openScreeningStore(pgSchema.url);
    opened.push(a);
    const r = run();
    await a.createRun(r, { owner: 'A', atMs: 1000 });
    const schema = new URL(pgSchema.url).searchParams.get('schema')!;
    const claimer = new pg.Client({ connectionString: PG_URL });
    await claimer.connect();
    try {
      // B's claim, not yet committed: it holds the run's row.
      await claimer.query('BEGIN');
      await claimer.query(`UPDATE "${schema}".screening_runs SET lease_owner = 'B', heartbeat_ms = 9000 WHERE id = $1`, [r.id]);
      let settled = false;
      const late = a.putResults(r.id, [result('L-1', 'by A, late')], 'A').finally(() => (settled = true));
      await new Promise((ok) => setTimeout(ok, 300));
      expect(settled).toBe(false); // waiting for the claim's lock, not deciding on the row as it was
      await claimer.query('COMMIT');
      expect(await late).toBe(false);
      expect(await a.results(r.id, { limit: 10 })).toEqual([]);
    } finally {
      await claimer.end();
    }
  });
});

describe('lease columns on a database made before runs had an owner', () => {
  it('SQLite: opening an older file adds them and keeps its runs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tideover-lease-')), 'audit.db');
    const db = new Database(file);
    db.exec('CREATE TABLE screening_runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, finished_at TEXT, body TEXT NOT NULL)');
    db.prepare('INSERT INTO screening_runs VALUES (?, ?, ?, ?)').run('old', 'SUCCEEDED', '2026-12-01T00:00:00Z', JSON.stringify({ ...run('SUCCEEDED'), id: 'old' }));
    db.close();
    const [a, b] = await Promise.all([openScreeningStore(`sqlite:${file}`), openScreeningStore(`sqlite:${file}`)]);
    opened.push(a, b);
    expect(await a.getRun('old')).toMatchObject({ id: 'old', status: 'SUCCEEDED' });
    const r = run();
    await a.createRun(r, { owner: 'A', atMs: 1 });
    expect(await b.claimRun(r.id, { owner: 'B', atMs: 9 }, 5)).toMatchObject({ id: r.id });
  });

  it('PostgreSQL: opening a schema that has them takes no ACCESS EXCLUSIVE lock (no ALTER TABLE): an instance starts while a long read holds the table', async (ctx) => {
    if (pgDown) return ctx.skip();
    opened.push(await openScreeningStore(pgSchema.url)); // the tables and columns exist
    const schema = new URL(pgSchema.url).searchParams.get('schema')!;
    const reader = new pg.Client({ connectionString: PG_URL });
    await reader.connect();
    try {
      // A long outreach query, say: ACCESS SHARE on screening_runs until it ends, which an ALTER TABLE would wait for.
      await reader.query('BEGIN');
      await reader.query(`SELECT count(*) FROM "${schema}".screening_runs`);
      const started = openScreeningStore(pgSchema.url).then((st) => (opened.push(st), 'started' as const));
      const got = await Promise.race([started, new Promise<'blocked'>((ok) => setTimeout(() => ok('blocked'), 3000))]);
      await reader.query('COMMIT');
      await started;
      expect(got).toBe('started');
    } finally {
      await reader.end();
    }
  });

  it('PostgreSQL: opening an older schema adds them', async (ctx) => {
    if (pgDown) return ctx.skip();
    const old = freshSchema('screening_lease_old');
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA "${old.schema}"; CREATE TABLE "${old.schema}".screening_runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, finished_at TEXT, body TEXT NOT NULL)`);
      const s = await openScreeningStore(old.url);
      opened.push(s);
      const r = run();
      await s.createRun(r, { owner: 'A', atMs: 1 });
      expect(await s.staleRuns(5, 10)).toEqual([r.id]);
    } finally {
      await c.end();
      await old.drop();
    }
  });
});
