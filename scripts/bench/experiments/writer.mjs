// Cost of the SQLite writer's work per audit record, alone (no HTTP, no thread hop), from the compiled output:
// run `npm run build` first. `node scripts/bench/experiments/writer.mjs [records, default 30000] [ordered|random]`
//
// Records from record-corpus.mjs, prepared as the service prepares them, are appended in batches of 50 by
// SqliteAppender (one IMMEDIATE transaction each, synchronous=FULL) to a fresh file trail. Decision ids are
// time-ordered like the service's (UUIDv7, `ordered`) or random (v4, `random`): two of the trail's indexes
// are keyed by decision id. Preparing the records is not counted. Prints CPU µs per record and wall time.
// WRITER_BATCH=<n> sets the batch size (1: a commit per record, as at a low request rate).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionIds } from '../../../dist/src/adapters/decision-ids.js';
import { fragmentsOfPrepared, prepareRecord, preparedFromFragments } from '../../../dist/src/adapters/store/chain/records.js';
import { openDatabase, SqliteAppender } from '../../../dist/src/adapters/store/sqlite/append-batch.js';
import { openSqliteStore } from '../../../dist/src/adapters/store/sqlite/driver.js';
import { recordInputs, snapshot } from '../record-corpus.mjs';

const total = Number(process.argv[2] ?? 30_000);
const ids = process.argv[3] ?? 'ordered';
if (ids !== 'ordered' && ids !== 'random') throw new Error(`ids must be ordered or random, got ${ids}`);
const BATCH = Number(process.env.WRITER_BATCH ?? 50);
if (!Number.isInteger(BATCH) || BATCH < 1) throw new Error(`WRITER_BATCH must be a whole number of records, at least 1: ${process.env.WRITER_BATCH}`);

const inputs = await recordInputs();
const dir = mkdtempSync(join(tmpdir(), 'tideover-bench-writer-'));
try {
  (await openSqliteStore(join(dir, 'audit.db'))).close(); // creates the schema
  const db = openDatabase(join(dir, 'audit.db'));
  const appender = new SqliteAppender(db);
  let prepareUs = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let n = 0; n < total; ) {
    const p0 = process.cpuUsage();
    const items = [];
    for (let k = 0; k < BATCH && n < total; k++, n++) {
      const decisionId = ids === 'ordered' ? decisionIds.next() : randomUUID();
      // As in the writer thread: the record rebuilt from its canonical fragments.
      items.push({ record: preparedFromFragments(fragmentsOfPrepared(prepareRecord({ ...inputs[n % inputs.length], decisionId }))), snapshot });
    }
    const p = process.cpuUsage(p0);
    prepareUs += p.user + p.system;
    appender.write(items);
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  db.close();
  console.log(JSON.stringify({ records: total, ids, batch: BATCH, writeCpuUsPerRecord: Number(((cpu.user + cpu.system - prepareUs) / total).toFixed(1)), wallSeconds: Number((wallMs / 1000).toFixed(1)) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
