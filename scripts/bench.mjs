// npm run bench [-- --quick]: every benchmark of BENCHMARKS.md in one run on this machine.
// Servers and the load generator (autocannon) run as separate processes on 127.0.0.1, bounded in time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { application, autocannon, cpuSecondsOf, root, service, startServer, stopServer } from './bench-lib.mjs';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadavg()[0] }, quick, seconds };

function runScript(script, env = {}, args = []) {
  const out = execFileSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * One HTTP measurement: a warm-up second, then `seconds` of load. Besides what the load generator saw, the
 * server's own CPU time per request (all its threads and worker processes) is recorded: unlike the
 * throughput it hardly depends on what else the machine is doing.
 */
async function measure(name, start, path, body, extra = {}) {
  const s = await start();
  try {
    const url = `http://127.0.0.1:${s.port}${path}`;
    autocannon(url, { body, duration: 1 });
    const cpu0 = cpuSecondsOf(s.proc.pid);
    results[name] = autocannon(url, { body, duration: seconds, ...extra });
    results[name].serverCpuUsPerRequest = Math.round((1e6 * (cpuSecondsOf(s.proc.pid) - cpu0)) / results[name].total);
  } finally {
    await stopServer(s);
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
    results[`core_${ev}`] = runScript('bench-core.mjs', {}, [quick ? '1' : '3', ev]);
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
await measure('http_decisions_workers2_fixed_1000rps', () => service({ WORKERS: '2' }), '/v1/decisions', application, { rate: 1000, connections: 50 });
process.stderr.write('soak…\n');
results.soak = runScript('bench-soak.mjs', {}, [quick ? '5000' : '100000']);
results.ratios = {
  decisionsVsHello: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_hello.requestsPerSec).toFixed(3),
  durableVsMemoryStore: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_sqlite_memory.requestsPerSec).toFixed(3),
  compiledVsReferenceJre: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_reference_jre.requestsPerSec).toFixed(3),
  decisionsVsBaseline: +(results.http_decisions_sqlite_durable.requestsPerSec / results.http_decisions_baseline_straightforward.requestsPerSec).toFixed(3),
  workers2VsWorkers1: +(results.http_decisions_workers2.requestsPerSec / results.http_decisions_sqlite_durable.requestsPerSec).toFixed(3),
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
