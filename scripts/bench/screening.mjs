// Book screening throughput and memory, from the compiled output (run `npm run build` first).
//   node scripts/bench/screening.mjs [--count 100000] [--book file.ndjson] [--core-seconds 3]
// 1. core: screenLoan alone over the sample book's snapshots, cycling (points, tier, reasons; no I/O, no offers);
// 2. pipeline: the book file streamed through the reader, validation, screening and offers for HIGH/CRITICAL
//    (two decisions each), results written to /dev/null — what `tideover screen` does in one process —
//    (--no-offers: without them, to show their share) with RSS sampled every 10,000 records (flat memory: RSS at the end within 10 % of RSS at 10 %).
// Rates are per CPU second of this process and per wall second; prints one JSON object.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPolicyFiles } from '../../dist/src/adapters/policies/file-source.js';
import { readBook } from '../../dist/src/adapters/screening/snapshot-reader.js';
import { evaluatorFactory } from '../../dist/src/app/evaluators.js';
import { prepareScreening } from '../../dist/src/app/screening-policies.js';
import { Screener } from '../../dist/src/app/screening-run.js';
import { screenLoan } from '../../dist/src/core/screening/screen.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, book: { type: 'string' }, 'core-seconds': { type: 'string', default: '3' }, 'no-offers': { type: 'boolean', default: false } } });
const count = Number(values.count);
const book = values.book ?? join(tmpdir(), `tideover-bench-book-${count}.ndjson`);
if (!existsSync(book)) {
  const fd = openSync(book, 'w');
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', String(count)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
}

const setup = await prepareScreening(await loadPolicyFiles([join(ROOT, 'policies')]), evaluatorFactory('compiled'), new Date().toISOString());
if (!setup.ok) throw new Error('policies do not load');
const policy = setup.screeningPolicies[0];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

// 1. the points table alone
const sample = readFileSync(join(ROOT, 'examples', 'book.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((s) => typeof s.remainingTermMonths === 'number' && !String(s.signals.utilisation ?? '').includes('%'));
let n = 0;
const c0 = cpu();
const w0 = performance.now();
while (performance.now() - w0 < Number(values['core-seconds']) * 1000) for (let i = 0; i < 1000; i++, n++) screenLoan(sample[n % sample.length], policy);
const core = { snapshots: n, perCpuSecond: Math.round(n / (cpu() - c0)), perWallSecond: Math.round(n / ((performance.now() - w0) / 1000)) };

// 2. the whole pipeline, one process
const screener = new Screener({ screeningPolicies: setup.screeningPolicies, ...(values['no-offers'] ? {} : { decisionPolicies: () => setup.decisionPolicies }) });
const sink = createWriteStream('/dev/null');
const rss = [];
const c1 = cpu();
const w1 = performance.now();
const tally = await screener.run(readBook(createReadStream(book), 'ndjson'), {
  result: (r) => { if (!sink.write(`${JSON.stringify(r)}\n`)) return new Promise((ok) => sink.once('drain', ok)); },
  invalid: () => {},
}, (t) => { if (t.counts.read % 10_000 === 0) rss.push([t.counts.read, Math.round(process.memoryUsage().rss / 2 ** 20)]); });
const cpuSeconds = cpu() - c1;
const wall = (performance.now() - w1) / 1000;
const c = tally.counts;
const at10 = rss[Math.max(0, Math.floor(rss.length / 10) - 1)]?.[1];
console.log(JSON.stringify({
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
  core,
  pipeline: { book, records: c.read, offers: c.offers, byTier: c.byTier, perCpuSecond: Math.round(c.read / cpuSeconds), perWallSecond: Math.round(c.read / wall), wallSeconds: Math.round(wall * 10) / 10, rssMiB: { atTenth: at10, end: rss.at(-1)?.[1] }, rssSamples: rss.filter((_, i) => i % Math.max(1, Math.floor(rss.length / 10)) === 0) },
}, null, 1));
