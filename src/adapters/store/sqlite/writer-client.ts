// Runs SQLite appends in a worker thread, so a commit's fsync (and, with WORKERS>1, waiting for another
// process's write lock) never blocks the event loop that serves requests.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AuditStoreError, type AppendResult, type AuditRecord, type AuditStoreErrorCode, type PolicySnapshot } from '../../../ports/audit-store.js';
import { fragmentsOfPrepared, type PreparedRecord } from '../chain/records.js';
import type { Settled } from '../chain/group-commit.js';
import type { PreparedAppend } from '../driver.js';

/** One record as it crosses to the writer: its canonical fragments, and its snapshot the first time that snapshot is sent. */
export interface WireItem {
  fragments: Record<string, string>;
  snapshotSha256: string;
  snapshot?: PolicySnapshot;
}

export type WireResult =
  | { ok: true; existing: false; seq: number; prevHash: string; hash: string }
  | { ok: true; existing: true; record: AuditRecord }
  /** A repeat of an idempotency key first used by item `of` of the same batch. */
  | { ok: true; existing: true; of: number }
  | { ok: false; code: AuditStoreErrorCode; message: string };

export type WireRequest = { type: 'append'; id: number; items: WireItem[] } | { type: 'ping'; id: number } | { type: 'close' };
export type WireReply = { id: number; results: WireResult[] } | { id: number; error: string };

/**
 * The compiled writer entry. Under the test runner this module is TypeScript source, which a worker
 * cannot load, so the entry comes from the build (test/global-setup.ts builds it before any test).
 */
function writerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'writer-thread.js');
  const built = join(dirname(here), '..', '..', '..', '..', 'dist', 'src', 'adapters', 'store', 'sqlite', 'writer-thread.js');
  if (!existsSync(built)) throw new Error(`the SQLite writer thread is not built (${built}); run npm run build`);
  return built;
}

interface Pending {
  items: PreparedAppend[];
  resolve: (results: Settled<AppendResult>[]) => void;
  reject: (err: Error) => void;
}

export class ThreadedAppender {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly sentSnapshots = new Set<string>();
  private nextId = 1;
  private failure: Error | undefined;
  private exited: Promise<void>;

  constructor(file: string) {
    this.worker = new Worker(writerEntry(), { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (reply: WireReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    // A reply that cannot be read would leave its request waiting for ever.
    this.worker.on('messageerror', (err) => this.fail(err));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => {
      this.fail(new Error('the SQLite writer thread stopped'));
      resolve();
    }));
  }

  append(items: PreparedAppend[]): Promise<Settled<AppendResult>[]> {
    if (this.failure) return Promise.reject(this.failure);
    const wire: WireItem[] = items.map(({ record, snapshot }) => {
      const first = !this.sentSnapshots.has(snapshot.sha256);
      // The writer keeps every snapshot it was sent and stores it with each batch that needs it.
      this.sentSnapshots.add(snapshot.sha256);
      return { fragments: fragmentsOfPrepared(record), snapshotSha256: snapshot.sha256, ...(first ? { snapshot } : {}) };
    });
    return this.request((id) => ({ type: 'append', id, items: wire }), items);
  }

  /** A rolled-back write by the writer itself: waiting for the lock happens there, not on the event loop. */
  async ping(): Promise<void> {
    if (this.failure) throw this.failure;
    await this.request((id) => ({ type: 'ping', id }), []);
  }

  private request(message: (id: number) => WireRequest, items: PreparedAppend[]): Promise<Settled<AppendResult>[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Referenced only while a request is in flight: an idle store never keeps the process alive.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { items, resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private settle(reply: WireReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) return p.reject(new Error(reply.error));
    const settled: Settled<AppendResult>[] = [];
    reply.results.forEach((r, i) => {
      if (r.ok && r.existing && 'of' in r) {
        const first = settled[r.of];
        settled.push(first?.ok ? { ok: true, value: { record: first.value.record, existing: true } } : { ok: false, error: new AuditStoreError('unavailable', 'writer reply refers to a failed item') });
      } else settled.push(fromWire(r, p.items[i]!.record));
    });
    p.resolve(settled);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    if (!this.failure) this.worker.postMessage({ type: 'close' } satisfies WireRequest);
    this.worker.ref();
    await this.exited;
  }
}

function fromWire(r: Exclude<WireResult, { of: number }>, prepared: PreparedRecord): Settled<AppendResult> {
  if (!r.ok) return { ok: false, error: new AuditStoreError(r.code, r.message) };
  if (r.existing) return { ok: true, value: { record: r.record, existing: true } };
  // The same record sealRecord makes in-process: the prepared members, then seq, prevHash and hash.
  return { ok: true, value: { record: { ...prepared, seq: r.seq, prevHash: r.prevHash, hash: r.hash }, existing: false } };
}
