// What the decision contract costs before any deciding: Express 5 taking the application's JSON body and
// answering with the decision Tideover would give, already written (no validation, rules, plans or audit).
// Any implementation of POST /v1/decisions must at least parse that body and send that answer, so this
// server's throughput, beside the hello one in the same run, bounds what "end to end ≥ 50 % of hello" can reach.
//   node scripts/bench/floor.mjs   (PORT, default a free one; prints {"port":…} once listening)
// With FLOOR_AUDIT=<file>, each answer also waits until a record of the decision (its JSON without the rule
// trees, smaller than the trail's record) is committed to SQLite in that file (WAL, synchronous=FULL) by a
// writer thread, as the service's trail is: the records of one event-loop turn go to the thread as one
// transaction, and several may be queued. No hash chain, no indexes, no outcome rows: less than a trail needs.
// The answers are the shipped policy's decisions of its 179 test applications, fully explained, by `decide()`
// and `decisionAnswer` as the service makes them (the full answer), sent in turn. With 50 connections an answer is not the one of
// the application just received, but the answers have the mix of sizes the load's applications have.
import { Buffer } from 'node:buffer';
import { setImmediate } from 'node:timers';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) await serve();
else await write();

/** The writer thread: each message is a batch of records, committed in one transaction, then acknowledged. */
async function write() {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(workerData.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO records (body) VALUES (?)');
  const commit = db.transaction((records) => {
    for (const r of records) insert.run(r);
  });
  parentPort.on('message', ({ id, records }) => {
    try {
      commit(records);
      parentPort.postMessage({ id });
    } catch (err) {
      parentPort.postMessage({ id, error: String(err?.message ?? err) });
    }
  });
}

async function serve() {
  const { default: express } = await import('express');
  const { decisionAnswer } = await import('../../dist/src/app/decision-answer.js');
  const { corpusDecisions } = await import('./record-corpus.mjs');

  const answers = [];
  const records = [];
  let bytes = 0;
  let recordBytes = 0;
  for (const { decision: d } of await corpusDecisions()) {
    const body = Buffer.from(decisionAnswer(d, 'full').join(''));
    answers.push(body);
    records.push(JSON.stringify({ ...d, explanation: { ...d.explanation, rules: undefined } }));
    bytes += body.length;
    recordBytes += Buffer.byteLength(records.at(-1));
  }
  let next = 0;

  const send = (res, status, body) => {
    res.status(status);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  };
  const failed = Buffer.from(JSON.stringify({ title: 'audit write failed' }));

  let append;
  if (process.env.FLOOR_AUDIT) {
    const writer = new Worker(new URL(import.meta.url), { workerData: { file: process.env.FLOOR_AUDIT } });
    // A writer that dies takes the answers waiting on it: fail loudly rather than leave requests hanging.
    writer.on('error', (err) => {
      process.stderr.write(`floor writer failed: ${err.message}\n`);
      process.exit(1);
    });
    /** Batch id → the answers waiting for its commit. */
    const waiting = new Map();
    let batchId = 0;
    let pending = [];
    writer.on('message', ({ id, error }) => {
      const batch = waiting.get(id);
      waiting.delete(id);
      if (error) process.stderr.write(`floor audit commit failed: ${error}\n`);
      for (const [, res, body] of batch) send(res, error ? 500 : 200, error ? failed : body);
    });
    const flush = () => {
      const id = ++batchId;
      waiting.set(id, pending);
      writer.postMessage({ id, records: pending.map(([record]) => record) });
      pending = [];
    };
    append = (record, res, body) => {
      if (pending.push([record, res, body]) === 1) setImmediate(flush);
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.post('/v1/decisions', express.json({ limit: 1 << 20 }), (_req, res) => {
    const i = next++ % answers.length;
    if (append) append(records[i], res, answers[i]);
    else send(res, 200, answers[i]);
  });
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port, answers: answers.length, meanAnswerBytes: Math.round(bytes / answers.length), meanRecordBytes: Math.round(recordBytes / answers.length) })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
