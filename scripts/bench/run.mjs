// npm run bench [-- --quick | --account | --ratio]: every benchmark of BENCHMARKS.md in one run on this machine (--account: the CPU account alone).
// The one-off A/B tools behind single findings of docs/perf-journal.md are in experiments/, outside this run.
// Servers and the load generator (autocannon) run as separate processes on 127.0.0.1, bounded in time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { corpusLoad, measureRunning, measureServer, median, root, service, serviceFlags, startServer, stopServer, WARM_UP_SECONDS } from './lib.mjs';

const quick = process.argv.includes('--quick');
/** `--account`: only the CPU account and the allocation per decision (scripts/bench/cpu-account.mjs, alloc.mjs). */
const accountOnly = process.argv.includes('--account');
/** `--ratio`: only Express hello and the service loaded in turn (alternatingHelloDecisions), ~2 minutes. */
const ratioOnly = process.argv.includes('--ratio');
const seconds = quick ? 2 : 10;
const began = performance.now();
/** Progress on stderr, with the seconds since the start, so a slow phase shows. */
const phase = (what) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${what}\n`);
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadavg()[0] }, quick, seconds };

function runScript(script, env = {}, args = []) {
  const out = execFileSync(process.execPath, [join(root, 'scripts', 'bench', script), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

/** One HTTP measurement (lib.mjs's measureServer): WARM_UP_SECONDS of warm-up, 200 requests when quick; no ratio from an invalid one. */
async function measure(name, start, path, load = {}) {
  results[name] = await measureServer(start, path, { load, seconds, warmUp: quick ? { amount: 200 } : { duration: WARM_UP_SECONDS } });
  phase(`${name}: ${JSON.stringify(results[name])}`);
}

/** Five rounds of 5 s each: in the full run and alone (`--ratio`). */
const alternating = () => alternatingHelloDecisions(5, 5);
if (ratioOnly) {
  results.http_alternating_hello_decisions = await alternating();
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.exit(results.http_alternating_hello_decisions.invalid ? 1 : 0);
}
if (accountOnly) {
  for (const [name, query] of [['default', ''], ['full', '?explain=full']]) {
    phase(`CPU account, ${name} answer…`);
    results[`account_${name}`] = runScript('cpu-account.mjs', {}, ['8', query]);
    phase(`allocation, ${name} answer…`);
    results[`alloc_${name}`] = runScript('alloc.mjs', {}, [query, '200']);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}
phase('money…');
results.money = runScript('money.mjs', {}, [quick ? '0.3' : '2']);
phase('simulation…');
try {
  results.simulate = runScript('simulate.mjs', { EVALUATOR: 'compiled', BENCH_SIM_COUNT: quick ? '5000' : '100000' });
} catch (e) {
  results.simulate = { error: String(e.message).split('\n')[0] };
}
phase('memory…');
results.memory = runScript('memory.mjs', { EVALUATOR: 'compiled', BENCH_MEMORY_DECISIONS: quick ? '20000' : '1000000' });
phase('core…');
// Quick: one run measures both evaluators; full: each evaluator in a process of its own.
for (const ev of quick ? ['both'] : ['jre', 'compiled']) {
  try {
    results[`core_${ev}`] = runScript('core.mjs', {}, quick ? ['0.5'] : ['3', ev]);
  } catch (e) {
    results[`core_${ev}`] = { error: String(e.message).split('\n')[0] };
  }
}
const decisions = '/v1/decisions';
/** Every decision measurement cycles through the policy's 179 test applications (varied, every rule fires). */
const corpus = { corpus: true };
const at1000 = { corpus: true, rate: 1000, connections: 50 };
// Paced (load.mjs): one request every 1/300 s; autocannon's rate sends each second's quota in a burst.
const at300 = corpusLoad(300);
const baseline = () => startServer([join(root, 'scripts', 'bench', 'baseline.mjs')], { PORT: '0', BASELINE_DB: join(mkdtempSync(join(tmpdir(), 'tideover-bench-')), 'baseline.db') }, /"port":(\d+)/);
await measure('http_hello', () => startServer([join(root, 'scripts', 'bench', 'hello.mjs')], { PORT: '0' }, /"port":(\d+)/), '/hello');
// What the contract alone costs: the application's body parsed and its decision's answer sent, already written
// (scripts/bench/floor.mjs); then also a plain durable record per decision. Bounds what "% of hello" can reach.
// It runs with the service's V8 flags, being the service's floor.
const floor = (env = {}) => () => startServer([...serviceFlags, join(root, 'scripts', 'bench', 'floor.mjs')], { PORT: '0', ...env }, /"port":(\d+)/);
await measure('http_contract_floor', floor(), decisions, corpus);
await measure('http_contract_floor_durable', floor({ FLOOR_AUDIT: join(mkdtempSync(join(tmpdir(), 'tideover-bench-')), 'floor.db') }), decisions, corpus);
await measure('http_decisions_sqlite_durable', () => service({}), decisions, corpus);
// The straightforward implementation of the same pipeline (scripts/bench/baseline.mjs); it ignores the auth header.
await measure('http_decisions_baseline_straightforward', baseline, decisions, corpus);
await measure('http_decisions_workers2', () => service({ WORKERS: '2' }), decisions, corpus);
await measure('http_decisions_fixed_1000rps', () => service({}), decisions, at1000);
await measure('http_decisions_paced_300rps', () => service({}), decisions, at300);
// The quick (smoke) run stops here; the full run also prices durability and the evaluator, and soaks.
if (!quick) {
  await measure('http_decisions_sqlite_memory', () => service({ AUDIT_URL: 'sqlite::memory:' }), decisions, corpus);
  await measure('http_decisions_explain_full', () => service({}), `${decisions}?explain=full`, corpus);
  await measure('http_decisions_reference_jre', () => service({ EVALUATOR: 'jre' }), decisions, corpus);
  await measure('http_decisions_workers2_fixed_1000rps', () => service({ WORKERS: '2' }), decisions, at1000);
  phase('hello and decisions, alternating…');
  results.http_alternating_hello_decisions = await alternating();
  phase(`http_alternating_hello_decisions: ${JSON.stringify(results.http_alternating_hello_decisions)}`);
}

/**
 * Express hello and the service (default answer, durable SQLite) both kept running and loaded in turn, `rounds`
 * times, the order reversed every other round: each round's ratio of decisions to hello, and their medians.
 * The two measurements behind decisionsVsHello run minutes apart, and this host's speed drifts by up to 2×
 * within minutes; a ratio of neighbours measures the code rather than the drift.
 */
async function alternatingHelloDecisions(rounds, secondsEach) {
  const hello = await startServer([join(root, 'scripts', 'bench', 'hello.mjs')], { PORT: '0' }, /"port":(\d+)/);
  let decider;
  try {
    decider = await service({});
    const run = {
      hello: (warmUp) => measureRunning(hello, '/hello', { seconds: secondsEach, warmUp }),
      decisions: (warmUp) => measureRunning(decider, '/v1/decisions', { load: { corpus: true }, seconds: secondsEach, warmUp }),
    };
    run.hello({ duration: WARM_UP_SECONDS });
    run.decisions({ duration: WARM_UP_SECONDS });
    const rows = [];
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? ['hello', 'decisions'] : ['decisions', 'hello'];
      const got = {};
      // A second's load first: the server idled while the other was measured.
      for (const name of order) got[name] = run[name]({ duration: 1 });
      const failed = got.hello.invalid ?? got.decisions.invalid;
      rows.push({ round, helloPerSec: Math.round(got.hello.requestsPerSec), decisionsPerSec: Math.round(got.decisions.requestsPerSec), helloCpuUs: got.hello.serverCpuUsPerRequest, decisionsCpuUs: got.decisions.serverCpuUsPerRequest, ratio: +(got.decisions.requestsPerSec / got.hello.requestsPerSec).toFixed(3), ...(failed ? { invalid: failed } : {}) });
    }
    const of = (k) => median(rows.map((r) => r[k]));
    const invalid = rows.find((r) => r.invalid)?.invalid;
    return { rounds: rows, secondsEach, medianRatio: of('ratio'), medianHelloCpuUs: of('helloCpuUs'), medianDecisionsCpuUs: of('decisionsCpuUs'), ...(invalid ? { invalid } : {}) };
  } finally {
    await stopServer(hello);
    if (decider) await stopServer(decider);
  }
}
phase('soak…');
results.soak = runScript('soak.mjs', {}, [quick ? '1000' : '100000']);
const valid = (r) => r && !r.invalid;
const ratio = (a, b) => (valid(results[a]) && valid(results[b]) ? +(results[a].requestsPerSec / results[b].requestsPerSec).toFixed(3) : undefined);
results.ratios = {
  decisionsVsHello: ratio('http_decisions_sqlite_durable', 'http_hello'),
  // The same, from hello and the service loaded in turn (the median of five neighbouring pairs); full run only.
  decisionsVsHelloAlternating: valid(results.http_alternating_hello_decisions) ? results.http_alternating_hello_decisions.medianRatio : undefined,
  explainFullVsDefault: ratio('http_decisions_explain_full', 'http_decisions_sqlite_durable'),
  // The baseline and the floors send the full answer (~45 KB): against them, the like-for-like line is explain=full.
  explainFullVsBaseline: ratio('http_decisions_explain_full', 'http_decisions_baseline_straightforward'),
  explainFullVsDurableFloor: ratio('http_decisions_explain_full', 'http_contract_floor_durable'),
  floorVsHello: ratio('http_contract_floor', 'http_hello'),
  durableFloorVsHello: ratio('http_contract_floor_durable', 'http_hello'),
  decisionsVsDurableFloor: ratio('http_decisions_sqlite_durable', 'http_contract_floor_durable'),
  decisionsVsBaseline: ratio('http_decisions_sqlite_durable', 'http_decisions_baseline_straightforward'),
  workers2VsWorkers1: ratio('http_decisions_workers2', 'http_decisions_sqlite_durable'),
  durableVsMemoryStore: ratio('http_decisions_sqlite_durable', 'http_decisions_sqlite_memory'),
  compiledVsReferenceJre: ratio('http_decisions_sqlite_durable', 'http_decisions_reference_jre'),
};
phase('done');
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
// A part that could not run (a script out of step with the code it imports) or an HTTP measurement with failed
// requests fails the run, so CI's quick run catches it.
const failed = Object.entries(results).filter(([, r]) => r && typeof r === 'object' && ('error' in r || r.invalid));
if (failed.length) {
  process.stderr.write(`failed: ${failed.map(([k, r]) => `${k} (${r.error ?? r.invalid})`).join('; ')}\n`);
  process.exitCode = 1;
}
