// What the decision contract costs before any deciding: Express 5 taking the application's JSON body and
// answering with the decision Tideover would give, already written (no validation, rules, plans or audit).
// Any implementation of POST /v1/decisions must at least parse that body and send that answer, so this
// server's throughput, beside the hello one in the same run, bounds what "end to end ≥ 50 % of hello" can reach.
//   node scripts/bench-floor.mjs   (PORT, default a free one; prints {"port":…} once listening)
// With FLOOR_AUDIT=<file>, each answer also waits until a record of the decision (its JSON without the rule
// trees, the size of the trail's record) is committed to SQLite in that file (WAL, synchronous=FULL, one
// transaction per event-loop turn): no hash chain, no indexes, no writer thread — less than a trail needs.
// The answers are the shipped policy's decisions of its 179 test applications, fully explained, by `decide()`
// and `decisionJson` as the service makes them, sent in turn (the test applications share one applicationId, and
// finding the one received would add work no implementation needs: the load cycles through them in the same order).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate } from 'node:timers';
import Database from 'better-sqlite3';
import express from 'express';
import { decide } from '../dist/src/core/decide/decide.js';
import { CompiledEvaluator } from '../dist/src/core/evaluate/compiled.js';
import { decisionJson } from '../dist/src/core/explain/json.js';
import { loadPolicy } from '../dist/src/core/policy/load.js';
import { parseYamlSource } from '../dist/src/core/policy/yaml-source.js';
import { deepMerge } from '../dist/src/core/policy-tests/merge.js';

const root = join(import.meta.dirname, '..');
const policyFile = 'policies/restructuring/1.0.0.yaml';
const { policy, problems } = loadPolicy(readFileSync(join(root, policyFile), 'utf8'), policyFile, '0'.repeat(64));
if (!policy) throw new Error(`policy does not load: ${problems.map((p) => p.message).join('; ')}`);
const testFile = 'policies/restructuring/1.0.0.test.yaml';
const doc = parseYamlSource(readFileSync(join(root, testFile), 'utf8'), testFile).value;
const evaluator = new CompiledEvaluator(policy);

const answers = [];
const records = [];
let bytes = 0;
for (const [i, c] of doc.cases.entries()) {
  const application = deepMerge(doc.base, c.patch);
  const d = await decide({ application, policy, evaluator, now: c.now ?? doc.now ?? application.receivedAt, decisionId: `floor-${i}`, language: 'en', selectedBy: 'default' });
  const body = Buffer.from(decisionJson(d));
  answers.push(body);
  records.push(JSON.stringify({ ...d, explanation: { ...d.explanation, rules: undefined } }));
  bytes += body.length;
}
let next = 0;

/** Group commit: the records of one event-loop turn in one durable transaction, then their answers. */
let pending = [];
let append;
if (process.env.FLOOR_AUDIT) {
  const db = new Database(process.env.FLOOR_AUDIT);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO records (body) VALUES (?)');
  const commit = db.transaction((batch) => {
    for (const [record] of batch) insert.run(record);
  });
  const flush = () => {
    const batch = pending;
    pending = [];
    commit(batch);
    for (const [, done] of batch) done();
  };
  append = (record, done) => {
    if (pending.push([record, done]) === 1) setImmediate(flush);
  };
}

const app = express();
app.disable('x-powered-by');
app.post('/v1/decisions', express.json({ limit: 1 << 20 }), (_req, res) => {
  const i = next++ % answers.length;
  const body = answers[i];
  if (append) append(records[i], () => send(res, body));
  else send(res, body);
});
function send(res, body) {
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, answers: answers.length, meanAnswerBytes: Math.round(bytes / answers.length) })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
