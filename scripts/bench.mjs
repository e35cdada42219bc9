// npm run bench [-- --quick]: every benchmark of BENCHMARKS.md in one run on this machine.
// Servers and the load generator (autocannon) run as separate processes on 127.0.0.1, bounded in time.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const token = 'bench-token-0123456789';
const application = readFileSync(join(root, 'examples', 'application.json'), 'utf8');
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, quick, seconds };

function runScript(script, env = {}) {
  const out = execFileSync(process.execPath, [join(root, 'scripts', script)], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

function startServer(args, env, match) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (c) => {
      out += c;
      const m = match.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        proc.stdout.resume();
        resolve({ proc, port: Number(m[1]) });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c) => (out += c));
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function autocannon(url, opts) {
  const args = [join(root, 'node_modules', 'autocannon', 'autocannon.js'), '--json', '-c', String(opts.connections ?? 50), '-d', String(opts.duration ?? seconds)];
  if (opts.rate) args.push('-R', String(opts.rate));
  if (opts.body) args.push('-m', 'POST', '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', opts.body);
  const out = execFileSync(process.execPath, [...args, url], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const r = JSON.parse(out);
  return { requestsPerSec: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, total: r.requests.total };
}

async function service(env) {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-bench-'));
  writeFileSync(join(dir, 'keys.yaml'), `keys:\n  - id: bench\n    sha256: ${createHash('sha256').update(token).digest('hex')}\n    roles: [decide, audit, policy-admin]\n`);
  return startServer([join(root, 'dist', 'src', 'main.js')], { PORT: '0', LOG_LEVEL: 'info', POLICY_WATCH: 'false', RATE_LIMIT_PER_MINUTE: '0', API_KEYS_FILE: join(dir, 'keys.yaml'), AUDIT_KEY_FILE: join(dir, 'audit.key'), AUDIT_URL: `sqlite:${join(dir, 'audit.db')}`, ...env }, /"port":(\d+)/);
}

async function measure(name, start, path, body, extra = {}) {
  const s = await start();
  try {
    autocannon(`http://127.0.0.1:${s.port}${path}`, { body, duration: 1 }); // warm up
    results[name] = autocannon(`http://127.0.0.1:${s.port}${path}`, { body, ...extra });
  } finally {
    s.proc.kill('SIGTERM');
  }
  process.stderr.write(`${name}: ${JSON.stringify(results[name])}\n`);
}

process.stderr.write('money…\n');
results.money = runScript('bench-money.mjs');
process.stderr.write('simulation…\n');
try {
  results.simulate = runScript('bench-simulate.mjs', { EVALUATOR: 'compiled', BENCH_SIM_COUNT: quick ? '5000' : '100000' });
} catch (e) {
  results.simulate = { error: String(e.message).split('\n')[0] };
}
process.stderr.write('memory…\n');
results.memory = runScript('bench-memory.mjs', { EVALUATOR: 'compiled', BENCH_MEMORY_DECISIONS: quick ? '50000' : '1000000' });
process.stderr.write('core…\n');
for (const ev of ['jre', 'compiled']) {
  try {
    results[`core_${ev}`] = runScript('bench-core.mjs', { EVALUATOR: ev, BENCH_SECONDS: quick ? '1' : '3' });
  } catch (e) {
    results[`core_${ev}`] = { error: String(e.message).split('\n')[0] };
  }
}
await measure('http_hello', () => startServer([join(root, 'scripts', 'bench-hello.mjs')], { PORT: '0' }, /"port":(\d+)/), '/hello');
await measure('http_decisions_sqlite_durable', () => service({}), '/v1/decisions', application);
await measure('http_decisions_sqlite_memory', () => service({ AUDIT_URL: 'sqlite::memory:' }), '/v1/decisions', application);
await measure('http_decisions_reference_jre', () => service({ EVALUATOR: 'jre' }), '/v1/decisions', application);
// The straightforward implementation of the same pipeline (scripts/bench-baseline.mjs); it ignores the auth header.
await measure(
  'http_decisions_baseline_straightforward',
  () => startServer([join(root, 'scripts', 'bench-baseline.mjs')], { PORT: '0', BASELINE_DB: join(mkdtempSync(join(tmpdir(), 'tideover-bench-')), 'baseline.db') }, /"port":(\d+)/),
  '/v1/decisions',
  application,
);
await measure('http_decisions_workers2', () => service({ WORKERS: '2' }), '/v1/decisions', application);
await measure('http_decisions_fixed_1000rps', () => service({}), '/v1/decisions', application, { rate: 1000, connections: 50 });
results.ratios = {
  decisionsVsHello: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_hello.requestsPerSec).toFixed(3),
  durableVsMemoryStore: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_sqlite_memory.requestsPerSec).toFixed(3),
  compiledVsReferenceJre: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_reference_jre.requestsPerSec).toFixed(3),
  decisionsVsBaseline: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_baseline_straightforward.requestsPerSec).toFixed(3),
  workers2VsWorkers1: +(results.http_decisions_workers2.requestsPerSec / results.http_decisions_sqlite_durable.requestsPerSec).toFixed(3),
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
