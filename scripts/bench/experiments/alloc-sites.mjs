// Where the service allocates per decision, by function: V8's sampling heap profiler keeping the objects
// collections free, started after a warm-up and stopped after `decisions` corpus decisions. Prints the
// functions that allocate most themselves, in KB per decision (the profiler names an optimised function's
// outermost frame, so an inlined callee's allocation lands in its caller).
//   node scripts/bench/experiments/alloc-sites.mjs [decisions, default 2000] ['<query>'] [top, default 40]
//   ALLOC_SITES_FLAGS="--no-turbo-inlining" names each allocation by its own function (the service runs slower).
//   ALLOC_SITES_SURVIVORS=1 counts only what outlived a scavenge (what the young generation copies or promotes).
//   --paced=<rate>: the decisions come at that rate (load.mjs's open loop) instead of over 10 busy connections.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannon, pacedArgument, root, service, stopServer, WARM_UP_SECONDS } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
const n = Number(args[0] ?? 2000);
const query = args[1] ?? '';
const top = Number(args[2] ?? 40);
const out = join(mkdtempSync(join(tmpdir(), 'tideover-alloc-sites-')), 'profile.json');
const s = await service({ ALLOC_SITES_OUT: out, ALLOC_SITES_SURVIVORS: process.env.ALLOC_SITES_SURVIVORS ?? '' }, [...(process.env.ALLOC_SITES_FLAGS ?? '').split(' ').filter(Boolean), `--import=${join(root, 'scripts', 'bench', 'experiments', 'alloc-sites-probe.mjs')}`]);
let err = '';
s.proc.stderr.on('data', (c) => (err += c));
const signal = async (word) => {
  s.proc.kill('SIGUSR2');
  for (let i = 0; i < 500 && !err.includes(`alloc-sites ${word}`); i++) await new Promise((r) => setTimeout(r, 20));
};
const url = `http://127.0.0.1:${s.port}/v1/decisions${query}`;
try {
  autocannon(url, { corpus: true, duration: WARM_UP_SECONDS });
  await signal('started');
  autocannon(url, pacedAt ? { corpus: true, rate: pacedAt, paced: true, duration: n / pacedAt } : { corpus: true, amount: n, connections: 10 });
  await signal('written');
} finally {
  await stopServer(s);
}
const profile = JSON.parse(readFileSync(out, 'utf8'));
const bySite = new Map();
const total = { bytes: 0 };
const nameOf = (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
// A built-in (Object.keys, RegExp exec, sort) is named with the function that called it.
const walk = (node, parent = '') => {
  const f = node.callFrame;
  const own = nameOf(f);
  const name = f.url ? own : `${f.functionName || '(native)'} < ${parent}`;
  if (node.selfSize) bySite.set(name, (bySite.get(name) ?? 0) + node.selfSize);
  total.bytes += node.selfSize;
  for (const c of node.children) walk(c, f.url ? own : parent);
};
walk(profile.head);
console.log(`total ${(total.bytes / n / 1024).toFixed(1)} KB per decision over ${n}`);
for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(v / n / 1024).toFixed(2).padStart(7)}  ${k}`);
