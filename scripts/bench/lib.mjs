// Shared by the HTTP benchmarks: servers and the load generator as separate processes on 127.0.0.1.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const token = 'bench-token-0123456789';
/** The V8 flags `npm start` runs the service with (package.json), so the benchmark measures what ships. */
export const serviceFlags = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start.match(/--[a-z0-9-]+=\S+/g) ?? []);

/** Stops a server started here and waits for it to exit, so the next measurement has the machine to itself. */
export function stopServer(s) {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) return resolve();
    s.proc.removeAllListeners('exit');
    s.proc.once('exit', () => resolve());
    s.proc.kill('SIGTERM');
  });
}

const START_TIMEOUT_S = Number(process.env.BENCH_START_TIMEOUT_S ?? 180);

/** Starts `node <args>` and resolves once its output matches `match` (whose group 1 is the port). */
export function startServer(args, env, match) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // The service checks every policy's test cases with both evaluators before it listens (each worker does,
    // with WORKERS=2): over a minute when the two cores are shared with other work.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_S} s: ${out}`));
    }, START_TIMEOUT_S * 1000);
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

/** The Tideover service on a random port with a fresh SQLite trail and a key holding every role; `flags` go to node. */
/** The service from `dist` (this checkout's build unless another is given, e.g. a copy kept for an A/B). */
export function service(env = {}, flags = [], dist = join(root, 'dist')) {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-bench-'));
  writeFileSync(join(dir, 'keys.yaml'), `keys:\n  - id: bench\n    sha256: ${createHash('sha256').update(token).digest('hex')}\n    roles: [decide, audit, policy-admin]\n`);
  return startServer([...serviceFlags, ...flags, join(dist, 'src', 'main.js')], { PORT: '0', LOG_LEVEL: 'info', POLICY_WATCH: 'false', RATE_LIMIT_PER_MINUTE: '0', API_KEYS_FILE: join(dir, 'keys.yaml'), AUDIT_KEY_FILE: join(dir, 'audit.key'), AUDIT_URL: `sqlite:${join(dir, 'audit.db')}`, ...env }, /"port":(\d+)/);
}

const loadArgs = (url, opts) => [join(root, 'scripts', 'bench', 'load.mjs'), JSON.stringify({ url, token, ...opts })];

/**
 * The load generator (scripts/bench/load.mjs, its own process): `duration` seconds or `amount` requests,
 * `rate` caps requests/s; `body` is one POST body, `corpus: true` cycles through the policy's test applications.
 */
export function autocannon(url, opts) {
  return JSON.parse(execFileSync(process.execPath, loadArgs(url, opts), { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

/** As autocannon(), without blocking this process (so it can sample the server meanwhile). */
export function autocannonAsync(url, opts) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, loadArgs(url, opts), { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** The fields of a /proc stat file after the command name (Linux): state first, then ppid, … */
const statFields = (path) => readFileSync(path, 'utf8').split(') ')[1].split(' ');
/** User + system CPU seconds from stat fields (clock ticks of 1/100 s). */
const cpuOfFields = (fields) => (Number(fields[11]) + Number(fields[12])) / 100;

/** [ppid, CPU seconds (user + system, all threads)] of a process, from /proc. */
function statOf(pid) {
  const fields = statFields(`/proc/${pid}/stat`);
  return [Number(fields[1]), cpuOfFields(fields)];
}

/** CPU seconds of each live thread of a process, by Linux thread id. */
export function threadCpuSecondsOf(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, cpuOfFields(statFields(`/proc/${pid}/task/${tid}/stat`)));
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

/** The name of each of a process's threads (Linux's comm: V8's profiler threads are `v8:ProfEvntProc`). */
export function threadNamesOf(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

/** Minor page faults of a process so far (all threads). */
export const minorFaultsOf = (pid) => Number(statFields(`/proc/${pid}/stat`)[7]);

/** CPU seconds a process and its live child processes (cluster workers) have used. */
export function cpuSecondsOf(pid) {
  let total = statOf(pid)[1];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    try {
      const [ppid, cpu] = statOf(Number(entry));
      if (ppid === pid) total += cpu;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** A memory line of /proc/<pid>/status (VmRSS, VmHWM, …) in MiB (Linux). */
export function statusMiBOf(pid, field) {
  const kib = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

/** Resident memory of a process in MiB. */
export const rssMiBOf = (pid) => statusMiBOf(pid, 'VmRSS');

/**
 * Seconds of load before a measurement: both the service and Express hello cost more per request while V8 still
 * compiles and deoptimises (the service's helper threads 564 µs per decision in its first 4 s, 174 in the next 4,
 * ~60 from 12 s on; hello ~20 % over its steady state in its first 12 s: experiments/warm-up.mjs). After 12 s
 * each window is within the host's drift of the next.
 */
export const WARM_UP_SECONDS = 12;

/**
 * One HTTP measurement of a server started by `start()`: a warm-up (`warmUp`: load options, by default
 * WARM_UP_SECONDS of it; 200 requests in a quick run), then `seconds` of `load`, then the server is
 * stopped. Besides what the load generator saw, the server's own CPU time per request (all its threads and worker
 * processes) is recorded: unlike the throughput it hardly depends on what else the machine is doing. A run with
 * failed requests measured something else (a crashed or refusing server) and is marked `invalid`.
 */
export async function measureServer(start, path, { load = {}, seconds, warmUp = { duration: WARM_UP_SECONDS } }) {
  const s = await start();
  try {
    return measureRunning(s, path, { load, seconds, warmUp });
  } finally {
    await stopServer(s);
  }
}

/** measureServer's measurement of a server already started (`warmUp: null` for none), which it leaves running. */
export function measureRunning(s, path, { load = {}, seconds, warmUp = { duration: WARM_UP_SECONDS } }) {
  const url = `http://127.0.0.1:${s.port}${path}`;
  if (warmUp) autocannon(url, { ...load, ...warmUp, rate: undefined, paced: undefined });
  const cpu0 = cpuSecondsOf(s.proc.pid);
  const result = autocannon(url, { duration: seconds, ...load });
  result.serverCpuUsPerRequest = Math.round((1e6 * (cpuSecondsOf(s.proc.pid) - cpu0)) / result.total);
  const failures = result.errors + result.non2xx + result.timeouts;
  if (failures > 0) result.invalid = `${failures} requests failed`;
  return result;
}

/** The middle value of `xs` (the upper of the two middle ones for an even count); `xs` is left as it is. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** An experiment's arguments without its `--paced=<rate>` option, and that rate (0 without it). */
export function pacedArgument(argv = process.argv.slice(2)) {
  const option = argv.find((a) => a.startsWith('--paced='));
  const pacedAt = option ? Number(option.slice('--paced='.length)) : 0;
  if (!(pacedAt >= 0 && Number.isFinite(pacedAt))) throw new Error(`--paced must be a rate in requests per second: ${option}`);
  return { pacedAt, args: argv.filter((a) => a !== option) };
}

/** The corpus load: paced at `pacedAt` requests/s (load.mjs's open loop) when given, else 50 busy connections. */
export const corpusLoad = (pacedAt, more = {}) => (pacedAt ? { corpus: true, rate: pacedAt, paced: true, ...more } : { corpus: true, ...more });

/**
 * Services measured in turn, `rounds` times, the order reversed every other round so a machine whose speed
 * drifts slows each alike: `variants` are [name, start()] pairs, each run `measureServer` of POST
 * /v1/decisions`query` under `load`. Prints one JSON line per run, then each variant's medians.
 */
export async function alternate(variants, { rounds, seconds, load, query = '' }) {
  const seen = new Map(variants.map(([name]) => [name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const [name, start] of round % 2 ? variants : [...variants].reverse()) {
      const r = await measureServer(start, `/v1/decisions${query}`, { load, seconds });
      const latency = load.paced ? { p50ms: r.p50ms, p90ms: r.p90ms, p99ms: r.p99ms, maxMs: r.maxMs } : { p99ms: r.p99ms };
      const row = { round, name, requestsPerSec: Math.round(r.requestsPerSec), serverCpuUsPerRequest: r.serverCpuUsPerRequest, ...latency, ...(r.invalid ? { invalid: r.invalid } : {}) };
      seen.get(name).push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
  }
  for (const [name, rows] of seen) {
    const of = (k) => median(rows.map((r) => r[k]));
    process.stdout.write(`${JSON.stringify({ name, medianRequestsPerSec: of('requestsPerSec'), medianServerCpuUs: of('serverCpuUsPerRequest'), ...(load.paced ? { medianP90ms: of('p90ms') } : {}), medianP99ms: of('p99ms') })}\n`);
  }
}

/** Node flags for a server whose allocation is measured: a young generation no batch fills, and alloc-probe.mjs. */
export const allocationFlags = ['--min-semi-space-size=512', '--max-semi-space-size=512', `--import=${join(root, 'scripts', 'bench', 'alloc-probe.mjs')}`];

/**
 * Bytes per request that a server started with allocationFlags allocates under the corpus load at `url`: a
 * warm-up, then batches of `batch` requests (10 connections) between two probes, kept when no collection ran
 * through them, up to four of eight. Returns them sorted; stops the server.
 */
export async function allocationPerRequest(s, url, batch) {
  let err = '';
  s.proc.stderr.on('data', (c) => (err += c));
  const probe = async () => {
    const seen = err.length;
    s.proc.kill('SIGUSR2');
    for (let i = 0; i < 100; i++) {
      const m = /alloc-probe (\{.*\})\n/.exec(err.slice(seen));
      if (m) return JSON.parse(m[1]);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no answer from the allocation probe: ${err.slice(-500)}`);
  };
  const perRequest = [];
  try {
    autocannon(url, { corpus: true, duration: WARM_UP_SECONDS });
    for (let round = 0; round < 8 && perRequest.length < 4; round++) {
      const a = await probe();
      const r = autocannon(url, { corpus: true, amount: batch, connections: 10 });
      const b = await probe();
      if (b.gcs === a.gcs && r.total === batch) perRequest.push((b.heapUsed - a.heapUsed) / batch);
    }
  } finally {
    await stopServer(s);
  }
  return perRequest.sort((x, y) => x - y);
}
