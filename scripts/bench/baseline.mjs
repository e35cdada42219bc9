// The baseline of `npm run bench`: POST /v1/decisions as a competent but straightforward implementation
// of the same pipeline would write it, so that Tideover's HTTP decision throughput can be compared with
// something other than itself (the performance target is Tideover ≥ 3× this, same run, same load).
// Runs on the compiled output (dist/), like the other bench scripts; prints {"port":N,"db":"…"} once listening.
//   PORT=0 [BASELINE_DB=/tmp/x/baseline.db] node scripts/bench/baseline.mjs
//
// The pipeline, the same work Tideover does for a decision, with the same guarantees:
//   - express 5 + express.json(); the body validated with ajv 8 + ajv-formats against schemas/application
//     (and common, which it $refs), one Ajv instance, the validator compiled once at start-up;
//   - decide() from the core with the reference evaluator JreEvaluator (json-rules-engine itself, every rule
//     explained) on the shipped policy policies/restructuring/1.0.0.yaml;
//   - every plan in the answer (approved or counter-offered) recomputed with the decimal.js reference
//     schedule (core/money/decimal-schedule.js), checked equal to the fast one and put in the answer in its place;
//     a mismatch is a 500, so the benchmark would count it. STEP plans have no reference path and keep their rows;
//   - a hash-chained audit record per decision {seq, prevHash, decisionId, decidedAt, application, decision}
//     (full explanation), JSON.stringify + sha256, inserted with better-sqlite3 into a file database
//     (WAL, synchronous=FULL) by group commit: appends queued and written in one transaction per event-loop
//     turn (setImmediate); the answer is sent only after that transaction has committed (durable);
//   - res.json(decision).
//
// Deliberately not optimised, as a straightforward implementation would not be: json-rules-engine rather than
// compiled rules; decimal.js schedules rather than integer-cent arithmetic (computed twice: the core's fast
// ones, then the reference ones that are answered); JSON.stringify of the whole record for the hash and again
// for the answer; no worker processes. Not part of it (Tideover does these and the baseline does not, which
// flatters the baseline): authentication, idempotency keys, policy-version selection, rate limits, metrics,
// logging, problem+json errors, canonical (JCS) hashing and an HMAC'd borrower id in the record.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Database from 'better-sqlite3';
import express from 'express';
import { decide } from '../../dist/src/core/decide/decide.js';
import { JreEvaluator } from '../../dist/src/core/evaluate/jre-engine.js';
import { formatCents, parseMoney } from '../../dist/src/core/money/decimal.js';
import { buildScheduleDecimal } from '../../dist/src/core/money/decimal-schedule.js';
import { loadPolicy } from '../../dist/src/core/policy/load.js';

const root = join(import.meta.dirname, '..', '..');

// --- validation: the application schema and the one it $refs, in one Ajv instance
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);
for (const file of ['common.schema.json', 'application.schema.json']) ajv.addSchema(JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')));
const validateApplication = ajv.getSchema('https://tideover.dev/schemas/application.schema.json');
if (!validateApplication) throw new Error('application schema not registered');

// --- policy and evaluator, loaded once
const policyFile = 'policies/restructuring/1.0.0.yaml';
const policyText = readFileSync(join(root, policyFile), 'utf8');
const { policy, problems } = loadPolicy(policyText, policyFile, createHash('sha256').update(policyText).digest('hex'));
if (!policy) throw new Error(`policy does not load: ${problems.map((p) => p.message).join('; ')}`);
const evaluator = new JreEvaluator(policy);

// --- reference schedules
let mismatches = 0;

/** Recomputes a plan's schedule with the decimal.js reference path; returns its rows as the answer shows them, or null if they differ from the plan's. */
function referenceRows(plan) {
  const s = buildScheduleDecimal({
    principal: parseMoney(plan.newPrincipal),
    annualRate: plan.annualRate,
    amortisationMonths: plan.amortisationMonths,
    method: plan.method,
    graceMonths: plan.graceMonths,
    firstDueDate: plan.firstDueDate,
  });
  const rows = s.rows.map((r) => ({
    period: r.period,
    ...(r.dueDate ? { dueDate: r.dueDate } : {}),
    payment: formatCents(r.payment),
    principal: formatCents(r.principal),
    interest: formatCents(r.interest),
    closingBalance: formatCents(r.closingBalance),
  }));
  const same =
    isDeepStrictEqual(rows, plan.schedule) &&
    formatCents(s.regularPayment) === plan.regularPayment &&
    (s.gracePayment === undefined ? undefined : formatCents(s.gracePayment)) === plan.gracePayment &&
    formatCents(s.totalInterest) === plan.totalInterest &&
    formatCents(s.totalPayment) === plan.totalPayment;
  return same ? rows : null;
}

// --- audit: hash chain in SQLite, group commit
const dbFile = process.env.BASELINE_DB || join(mkdtempSync(join(tmpdir(), 'tideover-baseline-')), 'baseline.db');
const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, decision_id TEXT NOT NULL UNIQUE, decided_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO audit (seq, decision_id, decided_at, prev_hash, hash, body) VALUES (?, ?, ?, ?, ?, ?)');
let head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() ?? { seq: 0, hash: '0'.repeat(64) };

let queue = [];
let scheduled = false;

const writeBatch = db.transaction((batch) => {
  let { seq, hash } = head;
  for (const { application, decision } of batch) {
    const record = { seq: seq + 1, prevHash: hash, decisionId: decision.decisionId, decidedAt: decision.decidedAt, application, decision };
    const body = JSON.stringify(record);
    seq = record.seq;
    hash = createHash('sha256').update(body).digest('hex');
    insert.run(seq, record.decisionId, record.decidedAt, record.prevHash, hash, body);
  }
  return { seq, hash };
});

/** Writes everything queued in one transaction; the head moves only once it has committed. */
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (!batch.length) return;
  try {
    head = writeBatch(batch);
  } catch (err) {
    for (const w of batch) w.reject(err);
    return;
  }
  for (const w of batch) w.resolve();
}

/** Resolves once the decision's record is committed. */
function append(application, decision) {
  return new Promise((resolve, reject) => {
    queue.push({ application, decision, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

// --- HTTP
const app = express();
app.disable('x-powered-by');
app.post('/v1/decisions', express.json(), async (req, res) => {
  if (!validateApplication(req.body)) {
    res.status(400).json({ error: 'invalid application', details: validateApplication.errors });
    return;
  }
  const application = req.body;
  const decision = await decide({
    application,
    policy,
    evaluator,
    now: new Date().toISOString(),
    decisionId: randomUUID(),
    language: req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en',
    selectedBy: `baseline: ${policyFile}`,
  });
  for (const o of decision.options) {
    if (!o.plan || o.plan.method === 'STEP') continue;
    const rows = referenceRows(o.plan);
    if (!rows) {
      if (mismatches++ < 5) process.stderr.write(`reference schedule differs: ${decision.decisionId} ${o.option}\n`);
      res.status(500).json({ error: 'reference schedule differs from the fast one', option: o.option });
      return;
    }
    o.plan.schedule = rows;
  }
  await append(application, decision);
  res.json(decision);
});
app.use((err, _req, res, _next) => {
  res.status(err.status ?? err.statusCode ?? 500).json({ error: String(err.message) });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, db: dbFile })}\n`);
});
process.on('SIGTERM', () =>
  server.close(() => {
    flush();
    db.close();
    process.exit(0);
  }),
);
