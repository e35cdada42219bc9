// The named parts of the CPU account (scripts/bench/cpu-account.mjs) and how a sampled stack is charged to one.
// A stack is read leaf first; the innermost frame that a rule below recognises names the part. Frames of Node's
// own internals and of V8 builtins (no script URL) are passed over, so a builtin is charged to the code that
// called it: JSON.stringify from the chain's record code is record encoding, from the answer code answer encoding.

/** The parts, in the order a decision meets them. */
export const PARTS = [
  'HTTP in/out',
  'body parsing',
  'auth and rate limit',
  'validation',
  'facts',
  'evaluation',
  'plans',
  'explanation',
  'decision service',
  'answer encoding',
  'record encoding',
  'hashing',
  'SQLite (main thread)',
  'SQLite (writer thread)',
  'logging',
  'metrics',
  'GC (main thread)',
  'GC and V8 helper threads',
  'V8 and native, unattributed',
  'other',
];

/** [part, test of a frame's URL] — first match wins, for each frame from the leaf up. */
const BY_URL = [
  ['hashing', /node:internal\/crypto\/hash|\/app\/sha256\.js/],
  ['validation', /\/node_modules\/ajv|\/core\/validation\/|\/app\/input\.js/],
  ['answer encoding', /\/core\/explain\/json\.js|\/core\/decide\/plan-json\.js|\/app\/decision-answer\.js|\/core\/one-byte\.js/],
  ['record encoding', /\/store\/chain\/records\.js|\/core\/canonical-json\.js|\/core\/explain\/recorded\.js|\/app\/recorded-/],
  ['SQLite (main thread)', /\/store\/chain\/(group-commit|plan-batch|audit-store)\.js|\/store\/sqlite\/|better-sqlite3/],
  ['evaluation', /\/core\/evaluate\//],
  ['facts', /\/core\/facts\/|\/core\/forbearance\/|\/core\/decide\/fact-sheet\.js/],
  ['plans', /\/core\/money\/|\/core\/decide\/waiver\.js/],
  ['explanation', /\/core\/explain\/|\/core\/decide\/reduce\.js/],
  ['logging', /\/node_modules\/(winston|logform|triple-beam|readable-stream|@colors|safe-stable-stringify)|\/adapters\/log\//],
  ['metrics', /\/node_modules\/(prom-client|tdigest|bintrees)|\/http\/metrics\.js/],
  ['auth and rate limit', /\/http\/(auth|rate-limit)\.js/],
  ['body parsing', /\/node_modules\/(body-parser|raw-body|iconv-lite|content-type|type-is|media-typer)|\/http\/body\.js/],
  ['decision service', /\/core\/decide\/|\/app\/|\/adapters\/decision-ids\.js|\/node_modules\/uuid/],
  ['HTTP in/out', /\/node_modules\/(express|router|finalhandler|send|on-finished|vary|helmet|path-to-regexp|statuses|http-errors|depd|debug|qs|parseurl|accepts|negotiator|mime)|\/adapters\/http\/|node:_http_|node:internal\/http|node:net|node:internal\/stream_base_commons|node:internal\/streams/],
];

/**
 * The part a sampled stack (its call frames, leaf first) is charged to, or null for idle samples.
 * @param {{functionName: string, url: string}[]} stack
 */
export function partOf(stack) {
  const leaf = stack[0];
  if (leaf.functionName === '(idle)') return null;
  if (leaf.functionName === '(garbage collector)') return 'GC (main thread)';
  if (leaf.functionName === '(program)') return 'V8 and native, unattributed';
  for (const frame of stack) {
    if (!frame.url) continue;
    // body.js both reads requests and writes answers: the answer's bytes are answer encoding.
    if (frame.functionName === 'sendJsonParts') return 'answer encoding';
    for (const [part, test] of BY_URL) if (test.test(frame.url)) return part;
  }
  return 'other';
}
