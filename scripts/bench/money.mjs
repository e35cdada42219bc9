// Throughput of the money core, from the compiled output: run `npm run build` first.
// Prints {schedule36PerSec, schedule360PerSec, reference36PerSec, reference360PerSec, apr36PerSec}.
// `node scripts/bench/money.mjs [seconds per case, default 2]`
import { performance } from 'node:perf_hooks';
import { aprIrr } from '../../dist/src/core/money/apr.js';
import { buildScheduleDecimal } from '../../dist/src/core/money/decimal-schedule.js';
import { buildSchedule } from '../../dist/src/core/money/schedule.js';

const seconds = Number(process.argv[2] ?? 2);
const BATCH = 20;

function perSecond(fn) {
  for (let i = 0; i < 200; i++) fn(); // warm-up so the JIT has compiled the hot path
  let runs = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < BATCH; i++) fn();
    runs += BATCH;
    now = performance.now();
  }
  return Math.round((runs * 1000) / (now - start));
}

// Vary the principal so no layer can serve a repeated answer; the (rate, term) factor cache is meant to hit.
const input = (months, i) => ({ principal: 5_000_000n + BigInt(i % 1000), annualRate: '0.108', amortisationMonths: months, method: 'EQUAL_INSTALLMENT' });
let i = 0;
const plan36 = buildSchedule(input(36, 0)).rows.map((r) => r.payment);

const result = {
  schedule36PerSec: perSecond(() => buildSchedule(input(36, i++))),
  schedule360PerSec: perSecond(() => buildSchedule(input(360, i++))),
  reference36PerSec: perSecond(() => buildScheduleDecimal(input(36, i++))),
  reference360PerSec: perSecond(() => buildScheduleDecimal(input(360, i++))),
  apr36PerSec: perSecond(() => aprIrr(5_000_000n, plan36, '0.108')),
};
console.log(JSON.stringify(result));
