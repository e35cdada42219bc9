// Cost of preparing audit records (canonical JSON and the normalised copy), from the compiled output: run
// `npm run build` first. `node scripts/bench/experiments/record.mjs [rounds, default 40] [other chain.js]`
//
// Records come from record-corpus.mjs (the 179 applications of the shipped policy's test cases). Given the
// compiled chain.js of another build, both builds' prepareRecord run alternately in this process, round by
// round, so a busy machine slows both alike; each must produce the same canonical text. Prints µs per
// record (median over rounds).
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as current from '../../../dist/src/adapters/store/chain/records.js';
import { recordInputs } from '../record-corpus.mjs';

const rounds = Number(process.argv[2] ?? 40);
const other = process.argv[3] ? await import(pathToFileURL(resolve(process.argv[3])).href) : undefined;
const inputs = await recordInputs();

const body = (chain, input) => chain.toStoredRow(chain.sealRecord(chain.prepareRecord(input), chain.GENESIS)).body;
if (other) for (const input of inputs) if (body(current, input) !== body(other, input)) throw new Error(`${input.decisionId}: the builds' canonical text differs`);

function round(chain) {
  const t0 = performance.now();
  for (const input of inputs) chain.prepareRecord(input);
  return ((performance.now() - t0) * 1000) / inputs.length;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const builds = other ? { current, other } : { current };
const times = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let r = 0; r < rounds + 5; r++) {
  for (const [name, chain] of r % 2 ? Object.entries(builds).reverse() : Object.entries(builds)) {
    const us = round(chain);
    if (r >= 5) times[name].push(us); // the first rounds warm up both
  }
}
const bytes = inputs.reduce((n, input) => n + body(current, input).length, 0) / inputs.length;
const result = { records: inputs.length, meanBodyBytes: Math.round(bytes), rounds };
for (const [name, xs] of Object.entries(times)) result[`${name}UsPerRecord`] = Number(median(xs).toFixed(1));
console.log(JSON.stringify(result));
