import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { auditStoreContract, input, snapshot, type Harness } from './audit-contract.js';

const root = mkdtempSync(join(tmpdir(), 'tideover-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Runs `sql` through a second connection, as someone with file access would. */
function direct(file: string, fn: (db: Database.Database) => void): Promise<void> {
  const db = new Database(file);
  try {
    db.transaction(() => fn(db))();
  } finally {
    db.close();
  }
  return Promise.resolve();
}

async function openHarness(): Promise<Harness> {
  const file = join(root, `run-${++n}`, 'nested', 'audit.db');
  const store = await openAuditStore(`sqlite:${file}`);
  return {
    store,
    reopen: () => openAuditStore(`sqlite:${file}`),
    tamper: {
      editDecision: (id, decision) =>
        direct(file, (db) =>
          db.prepare("UPDATE audit_records SET body = json_set(body, '$.decision', json(?)) WHERE decision_id = ?").run(JSON.stringify(decision), id),
        ),
      deleteRecord: (id) =>
        direct(file, (db) => {
          db.prepare('DELETE FROM audit_outcomes WHERE decision_id = ?').run(id);
          db.prepare('DELETE FROM audit_records WHERE decision_id = ?').run(id);
        }),
      swapSeq: (a, b) =>
        direct(file, (db) => {
          const seqOf = db.prepare('SELECT seq FROM audit_records WHERE decision_id = ?').pluck();
          const [sa, sb] = [seqOf.get(a), seqOf.get(b)];
          const move = db.prepare('UPDATE audit_records SET seq = ? WHERE decision_id = ?');
          move.run(-1, a);
          move.run(sa, b);
          move.run(sb, a);
        }),
      breakStorage: () => direct(file, (db) => db.exec('DROP TABLE audit_records')),
    },
    cleanup: () => store.close(),
  };
}

auditStoreContract('sqlite', openHarness);

describe('sqlite audit store', () => {
  it('creates the file and its folders, in WAL mode with a migration table', async () => {
    const file = join(root, 'fresh', 'deeper', 'audit.db');
    const store = await openAuditStore(`sqlite:${file}`);
    await store.append(input(), snapshot);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    } finally {
      db.close();
    }
  });

  it('resolves relative paths against the working directory and supports :memory:', async () => {
    const memory = await openAuditStore('sqlite::memory:');
    expect(memory.kind).toBe('sqlite');
    await memory.append(input(), snapshot);
    expect(await memory.verify()).toMatchObject({ ok: true, records: 1 });
    await memory.close();

    const cwd = process.cwd();
    process.chdir(root);
    try {
      const store = await openAuditStore('sqlite:relative/audit.db');
      await store.close();
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(join(root, 'relative', 'audit.db'))).toBe(true);
  });

  it('names AUDIT_URL when the scheme is unknown, without echoing the rest', async () => {
    await expect(openAuditStore('mysql://user:secret@db/audit')).rejects.toThrow(/AUDIT_URL.*"mysql"/);
    await expect(openAuditStore('mysql://user:secret@db/audit')).rejects.not.toThrow(/secret/);
    await expect(openAuditStore('sqlite:')).rejects.toThrow(/AUDIT_URL/);
  });

  it('commits and probes in a writer thread: while an append or a ping waits for the write lock of another connection, the event loop keeps serving', async () => {
    const file = join(root, 'locked', 'audit.db');
    const store = await openAuditStore(`sqlite:${file}`);
    await store.append(input(), snapshot);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const appended = store.append(input(), snapshot);
      // The readiness probe is a write too: it waits in the writer thread, behind the append.
      const pinged = store.ping();
      // The writer is blocked on the lock; in-process, this whole wait would have frozen the event loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ticks).toBeGreaterThan(5);
      other.exec('COMMIT');
      expect((await appended).record.seq).toBe(2);
      await expect(pinged).resolves.toBeUndefined();
    } finally {
      clearInterval(timer);
      other.close();
    }
    expect(await store.verify()).toMatchObject({ ok: true, records: 2 });
    await store.close();
  });

  it('a record appended twice in one batch under the same idempotency key is written once and both get the whole record', async () => {
    const file = join(root, 'same-batch', 'audit.db');
    const store = await openAuditStore(`sqlite:${file}`);
    const a = input({ idempotencyKey: 'k-1', requestHash: 'h' });
    const b = input({ idempotencyKey: 'k-1', requestHash: 'h' });
    const [first, second] = await Promise.all([store.append(a, snapshot), store.append(b, snapshot)]);
    expect(first.existing).toBe(false);
    expect(second).toEqual({ record: first.record, existing: true });
    expect(second.record.application).toEqual(a.application);
    expect(await store.verify()).toMatchObject({ ok: true, records: 1 });
    await store.close();
  });

  it('when the writer thread dies, appends fail fast as unavailable and ping reports it (readiness goes down)', async () => {
    const file = join(root, 'writer-dies', 'audit.db');
    const store = await openAuditStore(`sqlite:${file}`);
    await store.append(input(), snapshot);
    // White box: the store's writer thread, stopped as a crash would stop it.
    const writer = (store as unknown as { driver: { appends: { worker: { terminate(): Promise<number> } } } }).driver.appends.worker;
    await writer.terminate();
    await expect(store.append(input(), snapshot)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.ping()).rejects.toThrow(/writer thread stopped/);
    // Reading the trail does not need the writer.
    expect(await store.verify()).toMatchObject({ ok: true, records: 1 });
    await store.close();
  });
});
