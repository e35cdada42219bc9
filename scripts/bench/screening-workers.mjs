// The worker curve of distributed book screening: the same book screened by 1, 2 and 4 `tideover worker`
// processes sharing PostgreSQL (pg-boss), each N in a fresh schema.
//   node scripts/bench/screening-workers.mjs [--count 100000] [--workers 1,2,4] [--chunk 1000]
// Run `npm run build` first; needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
// The workers are started and ready (policies loaded and tested) before the run is queued, so the time is from
// queueing the book's chunks to the last chunk committed: screening, offers and the results' writes to PostgreSQL,
// not process start-up nor reading the results back. On this 2-core machine PostgreSQL, the coordinator and the
// workers share the cores. Prints one JSON object.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { decisionIds } from '../../dist/src/adapters/decision-ids.js';
import { loadPolicyFiles } from '../../dist/src/adapters/policies/file-source.js';
import { openPgBossQueue } from '../../dist/src/adapters/queue/pg-boss-queue.js';
import { spoolBook } from '../../dist/src/adapters/screening/spool.js';
import { openAuditStore } from '../../dist/src/adapters/store/open.js';
import { openScreeningStore } from '../../dist/src/adapters/store/open-screening-store.js';
import { parsePostgresUrl } from '../../dist/src/adapters/store/postgres/driver.js';
import { evaluatorFactory } from '../../dist/src/app/evaluators.js';
import { awaitRun, submitRun } from '../../dist/src/app/screening-distributed.js';
import { prepareScreening } from '../../dist/src/app/screening-policies.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, workers: { type: 'string', default: '1,2,4' }, chunk: { type: 'string', default: '1000' } } });
const count = Number(values.count);
const book = join(tmpdir(), `tideover-bench-book-${count}.ndjson`);
if (!existsSync(book)) {
  const fd = openSync(book, 'w');
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', String(count)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
}
const { connectionString } = parsePostgresUrl(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const setup = await prepareScreening(await loadPolicyFiles([join(ROOT, 'policies')]), evaluatorFactory('compiled'), new Date().toISOString());
const versions = { tideover: 'bench', jsonRulesEngine: 'bench' };

async function dropSchemas(schema) {
  const c = new pg.Client({ connectionString });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await c.end();
}

/** A `tideover worker` process, resolved once it says it is taking chunks. */
function startWorker(url) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'adapters', 'cli', 'main.js'), 'worker'], { cwd: ROOT, env: { ...process.env, AUDIT_URL: url, POLICY_DIR: join(ROOT, 'policies') }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
      if (err.includes('taking screening chunks')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err.slice(-500)}`)));
  });
}

const curve = [];
for (const n of values.workers.split(',').map(Number)) {
  const schema = `bench_workers_${process.pid}_${n}`;
  const u = new URL(connectionString);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  await dropSchemas(schema);
  const store = await openScreeningStore(url);
  const audit = await openAuditStore(url, { now: () => new Date() });
  const queue = await openPgBossQueue(url);
  const workers = await Promise.all(Array.from({ length: n }, () => startWorker(url)));
  try {
    const deps = { store, queue, audit, clock: { now: () => new Date().toISOString() }, ids: decisionIds, versions, policies: setup.screeningPolicies, chunkSize: Number(values.chunk) };
    const input = await spoolBook(createReadStream(book), 'ndjson', Number.MAX_SAFE_INTEGER);
    const started = performance.now();
    const { run, chunks } = await submitRun(deps, input, null);
    const { tally } = await awaitRun(deps, run, chunks, { pollMs: 50 });
    const seconds = (performance.now() - started) / 1000;
    curve.push({ workers: n, chunks, seconds: +seconds.toFixed(2), snapshotsPerSec: Math.round(count / seconds), read: tally.counts?.read ?? tally.read });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((ok) => w.once('exit', ok)) : undefined)));
    await queue.stop();
    await store.close();
    await audit.close();
    await dropSchemas(schema);
  }
}
const one = curve.find((c) => c.workers === 1);
for (const c of curve) if (one) c.speedup = +(one.seconds / c.seconds).toFixed(2);
process.stdout.write(`${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((x) => +x.toFixed(1)) }, book: count, curve })}\n`);
