import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/create-service.js';
import { listEvents } from '../../src/app/audit-events.js';
import { ScreeningService } from '../../src/app/screening-service.js';
import { ScreeningTally } from '../../src/app/screening-tally.js';
import { decisionIds } from '../../src/adapters/decision-ids.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { composeScreening, type ScreeningWiring } from '../../src/adapters/screening/compose.js';
import { BookSpoolDir } from '../../src/adapters/screening/spool.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { openScreeningStore } from '../../src/adapters/store/open-screening-store.js';
import { AuditStoreError, type AuditStore } from '../../src/ports/audit-store.js';
import type { ScreeningStore, StoredScreeningResult, StoredScreeningRun } from '../../src/ports/screening-store.js';
import { ROOT } from '../helpers/app.js';
import { freshSchema, postgresUnreachable } from '../helpers/postgres.js';

// Runs accepted over HTTP survive the instance that accepted them: a run whose owner stopped heartbeating is
// claimed by one instance and screened again from its spooled book (the process test kills a real service).
const POLICY_DIR = join(ROOT, 'policies');
const versions = { tideover: 'test', jsonRulesEngine: '7.3.1' };
const clock = { now: () => new Date().toISOString() };
const BOOK = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', '1500', '--seed', '7', '--invalid', '3'], { encoding: 'utf8' }).stdout;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface Instance {
  wiring: ScreeningWiring;
  audit: AuditStore;
  resumed: string[];
  close(): Promise<void>;
}

const open: Instance[] = [];
afterAll(async () => {
  for (const i of open.splice(0)) await i.close();
});

async function instance(auditUrl: string, spoolDir: string): Promise<Instance> {
  const audit = await openAuditStore(auditUrl, { now: () => new Date() });
  const service = await createService({ policySource: () => loadPolicyFiles([POLICY_DIR]), audit, clock, ids: decisionIds, secret: randomBytes(32), versions, crossCheck: false });
  const resumed: string[] = [];
  const wiring = await composeScreening({ auditUrl, policyDir: POLICY_DIR, audit, decisionPolicies: service.policies, clock, ids: decisionIds, versions, spoolDir, leaseSeconds: 2, onResumed: (ids) => resumed.push(...ids) });
  let closed: Promise<void> | undefined;
  const i = { wiring, audit, resumed, close: () => (closed ??= wiring.close().then(() => audit.close())) };
  open.push(i);
  return i;
}

/** A run as its dead owner left it: RUNNING, heartbeat long stale, its book spooled under its name (or not). */
async function orphan(store: ScreeningStore, spoolDir: string, o: { host: string; writeBook: boolean; silentMs?: number; file?: (id: string) => string }): Promise<StoredScreeningRun> {
  const id = decisionIds.next();
  const file = o.file ? o.file(id) : `${id}.ndjson.book`;
  mkdirSync(spoolDir, { recursive: true });
  if (o.writeBook) writeFileSync(join(spoolDir, file), BOOK);
  const run: StoredScreeningRun = { id, status: 'RUNNING', createdAt: clock.now(), startedAt: clock.now(), callerKeyId: 'screener', format: 'ndjson', inputSha256: sha256(BOOK), inputBytes: Buffer.byteLength(BOOK), bytesDone: 0, counts: new ScreeningTally().counts, attempts: 1, spool: { host: o.host, file } };
  await store.createRun(run, { owner: 'dead-instance', atMs: Date.now() - (o.silentMs ?? 60_000) });
  return run;
}

async function finished(i: Instance, id: string): Promise<Awaited<ReturnType<ScreeningWiring['service']['get']>>> {
  for (let t = 0; t < 600; t++) {
    const run = await i.wiring.service.get(id);
    if (run.status === 'SUCCEEDED' || run.status === 'FAILED') {
      // The book is removed just after the run is closed, by whichever instance ran it.
      await Promise.all(open.map((o) => o.wiring.service.drain()));
      return run;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`run ${id} did not finish`);
}

async function results(i: Instance, id: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of i.wiring.service.results(id)) out.push(line);
  return out;
}

const screeningRecords = async (audit: AuditStore, runId: string) => (await listEvents(audit, ['SCREENING_RUN'])).filter((e) => (e.data as { runId?: string }).runId === runId) as { seq: number; eventId: string; data: { counts?: unknown } }[];

describe('screening runs outlive the instance that accepted them (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-resume-'));
  const url = `sqlite:${join(dir, 'audit.db')}`;
  const spoolDir = join(dir, 'screening-spool');

  it('a run whose book was spooled on another machine, or whose spooled book is not the one received, is FAILED with an error saying so and asking for the book again', async () => {
    const store = await openScreeningStore(url);
    const run = await orphan(store, spoolDir, { host: 'screening-host-elsewhere', writeBook: false });
    // Same host, but the file in the spool is not the book received: never screened as if it were.
    const tampered = await orphan(store, spoolDir, { host: new BookSpoolDir(spoolDir).host, writeBook: true });
    writeFileSync(join(spoolDir, `${tampered.id}.ndjson.book`), BOOK.replace('"L-', '"X-'));
    await store.close();
    const b = await instance(url, spoolDir);
    const got = await finished(b, run.id);
    expect(got.status).toBe('FAILED');
    expect(got.error).toMatch(/spooled on another instance \(host "screening-host-elsewhere"\).*cannot read it.*resubmit the book/);
    expect(got.attempts).toBe(2);
    expect(await screeningRecords(b.audit, run.id)).toEqual([]);
    const bad = await finished(b, tampered.id);
    expect(bad).toMatchObject({ status: 'FAILED', progress: { records: 0 } });
    expect(bad.error).toMatch(/is not the book that was received.*resubmit the book/);
    expect(readdirSync(spoolDir)).not.toContain(`${tampered.id}.ndjson.book`);
    await b.close();
  });

  it('a run whose book this instance cannot see is left for ten leases to an instance that can (its host restarted), then claimed and FAILED', async () => {
    const store = await openScreeningStore(url);
    // Lease 2 s: silent for 5 s, stale but not yet orphaned (20 s).
    const run = await orphan(store, spoolDir, { host: 'screening-host-restarting', writeBook: false, silentMs: 5000 });
    const b = await instance(url, spoolDir);
    await new Promise((ok) => setTimeout(ok, 2500)); // the start tick and two more
    expect(await b.wiring.service.get(run.id)).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(b.resumed).toEqual([]);
    await store.heartbeat(run.id, { owner: 'dead-instance', atMs: Date.now() - 25_000 });
    await store.close();
    const got = await finished(b, run.id);
    expect(got).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(got.error).toMatch(/spooled on another instance \(host "screening-host-restarting"\)/);
    await b.close();
  });

  it('a run handed back on shutdown is resumed by the next instance and ends SUCCEEDED with the results and counts of an uninterrupted run, one SCREENING_RUN record, the spooled book removed', async () => {
    const a = await instance(url, spoolDir);
    const { Readable } = await import('node:stream');
    const run = await a.wiring.service.start(await a.wiring.spool.receive(Readable.from([BOOK]), 'ndjson', 1 << 30), 'screener');
    expect(readdirSync(spoolDir)).toContain(`${run.id}.ndjson.book`);
    while ((await a.wiring.service.get(run.id)).progress.records === 0) await new Promise((ok) => setTimeout(ok, 5));
    await a.close(); // SIGTERM: the run stops at its next record and its lease is handed back
    const left = (await openScreeningStore(url).then(async (s) => [await s.getRun(run.id), await s.close()]))[0] as StoredScreeningRun;
    expect(left.status).toBe('RUNNING');

    const b = await instance(url, spoolDir);
    const resumed = await finished(b, run.id);
    expect(b.resumed).toEqual([run.id]);
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', attempts: 2, progress: { fraction: 1 } });
    expect(resumed.resumedAt).toBeDefined();
    expect(readdirSync(spoolDir)).not.toContain(`${run.id}.ndjson.book`);

    const again = await b.wiring.service.start(await b.wiring.spool.receive(Readable.from([BOOK]), 'ndjson', 1 << 30), 'screener');
    const single = await finished(b, again.id);
    expect(single.attempts).toBe(1);
    expect(resumed.summary).toEqual(single.summary);
    expect(await results(b, run.id)).toEqual(await results(b, again.id));
    const records = await screeningRecords(b.audit, run.id);
    expect(records).toHaveLength(1);
    expect(records[0]!.seq).toBe(resumed.auditSeq);
    expect(records[0]!.data.counts).toEqual((await screeningRecords(b.audit, again.id))[0]!.data.counts);
    await b.close();
  });

  it('a run that died after its SCREENING_RUN record was written is finished without a second record; one that died just before writing it gets it, with the counts it saved', async () => {
    const a = await instance(url, spoolDir);
    const { Readable } = await import('node:stream');
    const accepted = await a.wiring.service.start(await a.wiring.spool.receive(Readable.from([BOOK]), 'ndjson', 1 << 30), 'screener');
    const done = await finished(a, accepted.id);
    await a.close();
    // Rewind it to the moment after its record was durable: RUNNING, no auditSeq, its owner gone.
    const store = await openScreeningStore(url);
    const row = (await store.getRun(accepted.id))!;
    const { auditSeq: _seq, finishedAt: _f, ...rest } = row;
    await store.updateRun({ ...rest, status: 'RUNNING' });
    await store.releaseLease(accepted.id, a.wiring.service.owner);
    // And one that died after saving its final counts and its record's id, before appending the record (its book already gone).
    const { spool: _s, ...unrecorded } = { ...rest, id: decisionIds.next(), status: 'RUNNING' as const, eventId: decisionIds.next() };
    await store.createRun(unrecorded, { owner: 'dead-instance', atMs: 1 });
    await store.close();

    const b = await instance(url, spoolDir);
    const again = await finished(b, accepted.id);
    expect(again).toMatchObject({ status: 'SUCCEEDED', attempts: 2, auditSeq: done.auditSeq, summary: done.summary });
    expect(await screeningRecords(b.audit, accepted.id)).toHaveLength(1);
    const late = await finished(b, unrecorded.id);
    expect(late).toMatchObject({ status: 'SUCCEEDED', attempts: 2, summary: done.summary });
    const records = await screeningRecords(b.audit, unrecorded.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ seq: late.auditSeq, eventId: unrecorded.eventId, data: { counts: (await screeningRecords(b.audit, accepted.id))[0]!.data.counts } });
    await b.close();
  });
});

describe('one instance, its store or audit trail failing under it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-failing-'));
  const url = `sqlite:${join(dir, 'audit.db')}`;
  const spool = new BookSpoolDir(join(dir, 'screening-spool'));

  /** A screening service over `store` and `audit` (stubs over the real ones), results flushed 100 at a time. */
  async function direct(store: ScreeningStore, audit: AuditStore, onError?: (runId: string, e: unknown) => void): Promise<ScreeningService> {
    const decisions = await createService({ policySource: () => loadPolicyFiles([POLICY_DIR]), audit, clock, ids: decisionIds, secret: randomBytes(32), versions, crossCheck: false });
    return new ScreeningService({ store, audit, policySource: () => loadPolicyFiles([POLICY_DIR]), decisionPolicies: decisions.policies, clock, ids: decisionIds, versions, batchSize: 100, spool, lease: { leaseMs: 60_000 }, ...(onError ? { onError } : {}) });
  }
  /** Rejects the first call with `error`, then calls `real`. */
  const failOnce = <A extends unknown[], R>(real: (...a: A) => Promise<R>, error: Error) => {
    let failed = false;
    return async (...a: A): Promise<R> => {
      if (failed) return real(...a);
      failed = true;
      throw error;
    };
  };
  /** `target` with some methods replaced (the rest, and `this`, are the real object's). */
  const stub = <T extends object>(target: T, methods: Partial<T>): T => Object.assign(Object.create(target) as T, methods);
  const accept = async (svc: ScreeningService) => svc.start(await spool.receive(Readable.from([BOOK]), 'ndjson', 1 << 30), 'screener');

  it('an owner whose run was claimed between two batches writes no further result: its next batch is refused with the lease check, and the run stays the new owner’s', async () => {
    const store = await openScreeningStore(url);
    const audit = await openAuditStore(url, { now: () => new Date() });
    let batches = 0;
    // Another instance claims the run just before this one flushes its second batch (this one was paused, say).
    const claiming = stub(store, {
      putResults: async (runId: string, results: StoredScreeningResult[], owner?: string) => {
        if (++batches === 2) await store.claimRun(runId, { owner: 'new-owner', atMs: Date.now() }, Date.now() + 3600_000);
        return store.putResults(runId, results, owner);
      },
    });
    const svc = await direct(claiming, audit);
    const run = await accept(svc);
    await svc.drain();
    expect(batches).toBe(2);
    expect(Object.values(await store.countByTier(run.id)).reduce((a, b) => a + b, 0)).toBe(100);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'RUNNING' });
    expect(await screeningRecords(audit, run.id)).toEqual([]);
    expect(readdirSync(spool.dir)).toContain(`${run.id}.ndjson.book`); // the new owner's to read
    await store.close();
    await audit.close();
  });

  const failingOnce = [
    ['the screening store fails to write a batch', (store: ScreeningStore, audit: AuditStore) => ({ audit, store: stub(store, { putResults: failOnce(store.putResults.bind(store), new Error('Connection terminated unexpectedly')) }) })],
    ['the audit trail fails to append the SCREENING_RUN record', (store: ScreeningStore, audit: AuditStore) => ({ store, audit: stub(audit, { append: failOnce(audit.append.bind(audit), new AuditStoreError('unavailable', 'the audit database is unreachable')) }) })],
  ] as const;

  it.each(failingOnce)('when %s once, the run is handed back, not FAILED: resumed, it ends SUCCEEDED with one SCREENING_RUN record', async (_what, failing) => {
    const realStore = await openScreeningStore(url);
    const realAudit = await openAuditStore(url, { now: () => new Date() });
    const { store, audit } = failing(realStore, realAudit);
    const errors: unknown[] = [];
    const svc = await direct(store, audit, (_id, e) => errors.push(e));
    const run = await accept(svc);
    await svc.drain();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(/handed back, to be resumed later: the store failed/);
    expect(await realStore.getRun(run.id)).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(await realStore.staleRuns(1, 1000)).toContain(run.id); // claimable at once
    expect(readdirSync(spool.dir)).toContain(`${run.id}.ndjson.book`);

    expect(await svc.recover()).toEqual([run.id]);
    await svc.drain();
    const done = await svc.get(run.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2, summary: { read: 1500, invalid: 3, screened: 1497 } });
    expect(await screeningRecords(realAudit, run.id)).toHaveLength(1);
    expect(readdirSync(spool.dir)).not.toContain(`${run.id}.ndjson.book`);
    await realStore.close();
    await realAudit.close();
  });
});

describe('the spool folder', () => {
  it('is swept of books of finished runs and of leftovers older than an hour, never of the book of a run still open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-sweep-'));
    const store = await openScreeningStore(`sqlite:${join(dir, 'audit.db')}`);
    const spool = new BookSpoolDir(join(dir, 'screening-spool'));
    mkdirSync(spool.dir);
    const fixture = async (status: StoredScreeningRun['status']) => {
      const id = decisionIds.next();
      await store.createRun({ id, status, createdAt: clock.now(), callerKeyId: null, format: 'ndjson', inputSha256: 'x', inputBytes: 1, bytesDone: 0, counts: new ScreeningTally().counts, spool: { host: spool.host, file: `${id}.ndjson.book` } }, { owner: 'live', atMs: Date.now() });
      writeFileSync(join(spool.dir, `${id}.ndjson.book`), '{}');
      return `${id}.ndjson.book`;
    };
    const running = await fixture('RUNNING');
    const queued = await fixture('QUEUED');
    const succeeded = await fixture('SUCCEEDED');
    const failed = await fixture('FAILED');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    const files: Record<string, boolean> = { 'incoming-0a1b2c3d4e5f6a7b.ndjson.book.part': false, 'incoming-2c3d4e5f6a7b8c9d.csv.book.part': true, [`${decisionIds.next()}.csv.book`]: false, [`${decisionIds.next()}.ndjson.book`]: true, 'notes.txt': true };
    for (const [name, old] of Object.entries(files)) {
      writeFileSync(join(spool.dir, name), 'x');
      if (old) utimesSync(join(spool.dir, name), hourAgo, hourAgo);
    }
    const removed = await spool.sweep((id) => store.getRun(id), Date.now());
    await store.close();
    const young = Object.entries(files).filter(([name, old]) => !old || name === 'notes.txt').map(([name]) => name);
    expect(readdirSync(spool.dir).sort()).toEqual([running, queued, ...young].sort());
    expect(removed).toBe(4);
    expect([succeeded, failed].filter((f) => readdirSync(spool.dir).includes(f))).toEqual([]);
  });

  it("never removes an operator's own files, however old: only names the service writes are swept", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tideover-sweep-'));
    const store = await openScreeningStore(`sqlite:${join(dir, 'audit.db')}`);
    const spool = new BookSpoolDir(join(dir, 'screening-spool'));
    mkdirSync(spool.dir);
    // A finished run: its book goes; a file of the operator's named like the run does not.
    const done = decisionIds.next();
    await store.createRun({ id: done, status: 'SUCCEEDED', createdAt: clock.now(), callerKeyId: null, format: 'csv', inputSha256: 'x', inputBytes: 1, bytesDone: 0, counts: new ScreeningTally().counts, spool: { host: spool.host, file: `${done}.csv.book` } }, { owner: 'live', atMs: Date.now() });
    const operators = ['book.csv', 'book.ndjson', 'incoming-0a1b.ndjson.part', `${decisionIds.next()}.ndjson`, 'nightly.ndjson', `${done}.csv`];
    const twoHoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    for (const name of [...operators, `${done}.csv.book`]) {
      writeFileSync(join(spool.dir, name), 'x');
      utimesSync(join(spool.dir, name), twoHoursAgo, twoHoursAgo);
    }
    expect(await spool.sweep((id) => store.getRun(id), Date.now())).toBe(1);
    await store.close();
    expect(readdirSync(spool.dir).sort()).toEqual([...operators].sort());
  });

  it('with an in-memory SQLite, the temporary spool folder is removed on close', async () => {
    const audit = await openAuditStore('sqlite::memory:', { now: () => new Date() });
    const service = await createService({ policySource: () => loadPolicyFiles([POLICY_DIR]), audit, clock, ids: decisionIds, secret: randomBytes(32), versions, crossCheck: false });
    const wiring = await composeScreening({ auditUrl: 'sqlite::memory:', policyDir: POLICY_DIR, audit, decisionPolicies: service.policies, clock, ids: decisionIds, versions });
    expect(basename(wiring.spool.dir)).toMatch(/^tideover-spool-/);
    expect(existsSync(wiring.spool.dir)).toBe(true);
    await wiring.close();
    await audit.close();
    expect(existsSync(wiring.spool.dir)).toBe(false);
  });
});

describe('screening runs outlive the instance that accepted them (PostgreSQL)', () => {
  const schema = freshSchema('screening_resume');
  let down: string | undefined;
  beforeAll(async () => {
    down = await postgresUnreachable();
  });
  afterAll(async () => {
    if (!down) await schema.drop();
  });

  it('two instances starting together on one PostgreSQL: exactly one claims the dead owner’s run, which ends SUCCEEDED with one SCREENING_RUN record', async (ctx) => {
    if (down) return ctx.skip();
    const spoolDir = join(mkdtempSync(join(tmpdir(), 'tideover-resume-pg-')), 'shared-spool');
    const store = await openScreeningStore(schema.url);
    const run = await orphan(store, spoolDir, { host: 'screening-host-gone', writeBook: true });
    await store.close();
    // The book was spooled by a host that is gone, into the folder every instance shares: it stays resumable.
    const [b, c] = await Promise.all([instance(schema.url, spoolDir), instance(schema.url, spoolDir)]);
    const got = await finished(b, run.id);
    expect([...b.resumed, ...c.resumed]).toEqual([run.id]);
    expect(got).toMatchObject({ status: 'SUCCEEDED', attempts: 2, summary: { read: 1500, invalid: 3, screened: 1497 } });
    expect(await screeningRecords(b.audit, run.id)).toHaveLength(1);
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
