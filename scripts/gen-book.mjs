// Generates a sample loan book for `tideover screen`: a realistic mix (about 90 % LOW/WATCH, 10 % HIGH or
// CRITICAL), reproducible from a seed. Streams to the output, so any size fits in flat memory.
//   node scripts/gen-book.mjs [--count 10000] [--seed 20261201] [--as-of 2026-12-01] [--csv] [--invalid N] > book.ndjson
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261201' }, 'as-of': { type: 'string', default: '2026-12-01' }, csv: { type: 'boolean', default: false }, invalid: { type: 'string', default: '0' } } });
const count = Number(values.count);
const asOf = values['as-of'];
const invalidEvery = Number(values.invalid) > 0 ? Math.floor(count / Number(values.invalid)) : 0;

// mulberry32: a small seeded PRNG, so the same seed gives the same book on every machine.
let state = Number(values.seed) >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const chance = (p) => rnd() < p;
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const DAY = 86400000;
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const cents = (n) => (Math.round(n * 100) / 100).toFixed(2);
const ratio = (n) => String(Math.round(Math.min(n, 1) * 100) / 100);

function snapshot(i) {
  const principal = int(2000, 200000);
  const term = pick([3, 6, 9, 12, 18, 24, 36]);
  const rate = pick(['0.0725', '0.108', '0.1095', '0.144', '0.18']);
  const payment = (principal * (1 + Number(rate) * term / 24)) / term;
  const income = chance(0.85) ? int(3000, 60000) : undefined;
  // A borrower in trouble carries several signals at once; most carry none worth a point.
  const stressed = chance(0.16);
  const s = {};
  if (chance(0.8)) s.salaryCreditLateDays = stressed && chance(0.5) ? int(5, 20) : int(0, 4);
  if (chance(0.8)) s.salaryCreditMissingMonths = stressed && chance(0.25) ? int(1, 3) : 0;
  if (chance(0.9)) {
    s.creditScore90dAgo = int(450, 850);
    s.creditScore = Math.max(0, s.creditScore90dAgo - (stressed && chance(0.5) ? int(50, 150) : int(-30, 40)));
  }
  if (chance(0.7)) s.minimumPaymentStreak = stressed && chance(0.4) ? int(3, 8) : int(0, 2);
  if (chance(0.8)) {
    const before = rnd() * 0.7;
    s.utilisation90dAgo = ratio(before);
    s.utilisation = ratio(stressed && chance(0.4) ? Math.max(0.9, before + 0.2) + rnd() * 0.05 : before + rnd() * 0.15);
  }
  if (chance(stressed ? 0.2 : 0.02)) s.autopayCancelledAt = addDays(asOf, -int(0, 60));
  if (chance(0.6)) s.overdraftDaysLast30 = stressed && chance(0.3) ? int(10, 30) : int(0, 5);
  if (chance(0.9)) s.externalArrears = stressed && chance(0.25);
  if (chance(0.9)) s.missedPaymentsLast12m = stressed && chance(0.4) ? int(1, 3) : chance(0.04) ? 1 : 0;
  const dpd = stressed && chance(0.2) ? int(1, 29) : chance(0.01) ? int(30, 90) : 0;
  return {
    loanId: `L-${String(i + 1).padStart(8, '0')}`,
    borrowerId: `B-${String(int(1, count * 0.9 + 1)).padStart(8, '0')}`,
    asOf,
    product: pick(['JIEBEI_CREDIT_LINE', 'JIEBEI_CREDIT_LINE', 'CONSUMER_INSTALLMENT', 'CREDIT_CARD']),
    repaymentMethod: 'EQUAL_INSTALLMENT',
    outstandingPrincipal: cents(principal),
    accruedInterest: cents((principal * Number(rate)) / 12),
    annualRate: rate,
    remainingTermMonths: term,
    currentScheduledPayment: cents(payment),
    nextDueDate: addDays(asOf, int(1, 28)),
    daysPastDue: dpd,
    ...(income !== undefined ? { monthlyIncome: cents(income) } : {}),
    fraudFlag: chance(0.003) ? pick(['SUSPECTED', 'CONFIRMED']) : 'NONE',
    arrangementActive: chance(0.02),
    signals: s,
  };
}

const SIGNALS = ['salaryCreditLateDays', 'salaryCreditMissingMonths', 'creditScore', 'creditScore90dAgo', 'minimumPaymentStreak', 'utilisation', 'utilisation90dAgo', 'autopayCancelledAt', 'overdraftDaysLast30', 'externalArrears', 'missedPaymentsLast12m'];
const TOP = ['loanId', 'borrowerId', 'asOf', 'product', 'repaymentMethod', 'outstandingPrincipal', 'accruedInterest', 'annualRate', 'remainingTermMonths', 'currentScheduledPayment', 'nextDueDate', 'daysPastDue', 'monthlyIncome', 'fraudFlag', 'arrangementActive'];

let buf = values.csv ? `${[...TOP, ...SIGNALS.map((s) => `signals.${s}`)].join(',')}\n` : '';
const flush = () => new Promise((resolve) => (process.stdout.write(buf) ? resolve() : process.stdout.once('drain', resolve)));
for (let i = 0; i < count; i++) {
  const snap = snapshot(i);
  // A few broken records show that a bad record is reported with its line and field and never stops the run.
  if (invalidEvery && i % invalidEvery === invalidEvery - 1) {
    if (i % 2) snap.remainingTermMonths = 'twelve';
    else snap.signals.utilisation = '93%';
  }
  buf += values.csv ? `${[...TOP.map((k) => snap[k] ?? ''), ...SIGNALS.map((k) => snap.signals[k] ?? '')].join(',')}\n` : `${JSON.stringify(snap)}\n`;
  if (buf.length > 1 << 16) {
    await flush();
    buf = '';
  }
}
await flush();
