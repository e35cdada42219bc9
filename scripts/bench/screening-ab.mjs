// Two (or more) builds' single-process screening pipelines alternating in one process, chunk by chunk, so a
// shared machine's drift hits all of them alike. Before a change: `npm run build && cp -r dist .bench/dist-before`
// (inside the repository, so its packages resolve; .bench/ is ignored by git); after it: `npm run build`, then
//   node scripts/bench/screening-ab.mjs .bench/dist-before dist [--rounds 30] [--chunk 20000] [--count 300000]
// Each round screens the same chunk of the generated book with every build in turn (the order flips every
// round): reader, validation, screening, offers, each result's JSON written to /dev/null, as screening.mjs.
// Prints each build's snapshots per CPU second of the process. Builds share one V8, so code common to them
// (JSON, streams) warms up for all; compare the figures of one run, and confirm with screening.mjs.
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '30' }, chunk: { type: 'string', default: '20000' }, count: { type: 'string', default: '300000' } } });
if (positionals.length < 2) throw new Error('usage: screening-ab.mjs <dist> <dist> [...]');
const count = Number(values.count);
const bookFile = join(tmpdir(), `tideover-bench-book-${count}.ndjson`);
if (!existsSync(bookFile)) {
  const fd = openSync(bookFile, 'w');
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', String(count)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
}
const book = readFileSync(bookFile);
const perChunk = Math.max(1, Math.floor((book.length / count) * Number(values.chunk)));
const chunks = [];
for (let at = 0; at < book.length; ) {
  let end = Math.min(book.length, at + perChunk);
  while (end < book.length && book[end - 1] !== 10) end++;
  chunks.push(book.subarray(at, end));
  at = end;
}

const builds = [];
for (const dist of positionals) {
  const src = (p) => pathToFileURL(join(resolve(dist), 'src', p)).href;
  const { loadPolicyFiles } = await import(src('adapters/policies/file-source.js'));
  const { readBook } = await import(src('adapters/screening/snapshot-reader.js'));
  const { evaluatorFactory } = await import(src('app/evaluators.js'));
  const { prepareScreening } = await import(src('app/screening-policies.js'));
  const { Screener } = await import(src('app/screening-run.js'));
  const setup = await prepareScreening(await loadPolicyFiles([join(ROOT, 'policies')]), evaluatorFactory('compiled'), new Date().toISOString());
  if (!setup.ok) throw new Error(`policies do not load with ${dist}`);
  builds.push({ dist, readBook, screener: new Screener({ screeningPolicies: setup.screeningPolicies, decisionPolicies: () => setup.decisionPolicies }), cpu: 0, records: 0 });
}

const sink = createWriteStream('/dev/null');
const write = (r) => {
  if (!sink.write(`${JSON.stringify(r)}\n`)) return new Promise((ok) => sink.once('drain', ok));
};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (let round = 0; round < Number(values.rounds); round++) {
  const chunk = chunks[round % chunks.length];
  for (const b of round % 2 ? [...builds].reverse() : builds) {
    const c0 = cpu();
    const tally = await b.screener.run(b.readBook(Readable.from([chunk]), 'ndjson'), { result: write, invalid: () => {} });
    b.cpu += cpu() - c0;
    b.records += tally.counts.read;
  }
}
console.log(JSON.stringify(builds.map((b) => ({ dist: b.dist, records: b.records, perCpuSecond: Math.round(b.records / b.cpu) })), null, 1));
