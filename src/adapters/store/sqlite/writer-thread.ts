// Worker-thread entry of the SQLite audit writer (see writer-client.ts): one connection, one batch at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { AuditStoreError, type PolicySnapshot } from '../../../ports/audit-store.js';
import { preparedFromFragments } from '../chain/records.js';
import { openDatabase, SqliteAppender } from './append-batch.js';
import type { WireItem, WireReply, WireRequest, WireResult } from './writer-client.js';

const port = parentPort!;
const db = openDatabase((workerData as { file: string }).file);
const appender = new SqliteAppender(db);
const snapshots = new Map<string, PolicySnapshot>();

function append(items: WireItem[]): WireResult[] {
  // Kept before anything can fail: the sender sends each snapshot once, whatever becomes of this batch.
  for (const item of items) if (item.snapshot) snapshots.set(item.snapshotSha256, item.snapshot);
  const prepared = items.map((item) => {
    const snapshot = snapshots.get(item.snapshotSha256);
    if (!snapshot) throw new Error(`policy snapshot ${item.snapshotSha256} was never sent to the writer`);
    return { record: preparedFromFragments(item.fragments), snapshot };
  });
  const results = appender.write(prepared);
  // Records sealed in this batch hold only their indexed fields here: a repeat of one names it by index.
  const sealedAt = new Map(results.flatMap((r, i) => (r.ok && !r.value.existing ? [[r.value.record, i] as const] : [])));
  return results.map((r): WireResult => {
    if (!r.ok) return { ok: false, code: r.error instanceof AuditStoreError ? r.error.code : 'unavailable', message: r.error.message };
    const of = sealedAt.get(r.value.record);
    if (r.value.existing && of !== undefined) return { ok: true, existing: true, of };
    if (r.value.existing) return { ok: true, existing: true, record: r.value.record };
    const { seq, prevHash, hash } = r.value.record;
    return { ok: true, existing: false, seq, prevHash, hash };
  });
}

port.on('message', (msg: WireRequest) => {
  if (msg.type === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: WireReply;
  try {
    if (msg.type === 'ping') {
      appender.probe();
      reply = { id: msg.id, results: [] };
    } else reply = { id: msg.id, results: append(msg.items) };
  } catch (err) {
    reply = { id: msg.id, error: (err as Error).message };
  }
  port.postMessage(reply);
});
