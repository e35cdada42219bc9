// The parts of POST /v1/decisions outside decide() and the store, each alone, from the compiled output (run
// `npm run build` first): parsing the body, validating it against the schema, the forbidden-key check, the
// default answer's JSON text (`decisionAnswer`: the decision's canonical JSON, which the record shares, and the
// fired rules' pieces) and that text joined into one Buffer.
//   node scripts/bench/experiments/parts.mjs [passes over the corpus per part, default 20]
// Corpus: the 179 applications of the shipped policy's test cases, as the load generator sends them. Prints one
// JSON object: CPU µs per request for each part (this process's CPU time, so run it with --single-threaded to
// count garbage collection on the one core), the mean body and answer sizes.
import { Buffer } from 'node:buffer';
import { decisionAnswer } from '../../../dist/src/app/decision-answer.js';
import { forbiddenKeys } from '../../../dist/src/core/validation/messages.js';
import { validators } from '../../../dist/src/core/validation/schemas.js';
import { corpusDecisions } from '../record-corpus.mjs';

const passes = Number(process.argv[2] ?? 20);
const corpus = await corpusDecisions();
const texts = corpus.map((c) => c.text);
const bodies = corpus.map((c) => c.application);
const decisions = corpus.map((c) => c.decision);
for (const [i, body] of bodies.entries()) if (!validators.application(body)) throw new Error(`case ${i} does not validate`);
const answers = decisions.map((d) => decisionAnswer(d, 'fired').join(''));

/** CPU µs per call of `fn` over the corpus, after three warm-up passes. */
function cpuUs(fn) {
  for (let k = 0; k < 3; k++) for (let i = 0; i < texts.length; i++) fn(i);
  const c0 = process.cpuUsage();
  for (let k = 0; k < passes; k++) for (let i = 0; i < texts.length; i++) fn(i);
  const c = process.cpuUsage(c0);
  return Number(((c.user + c.system) / (passes * texts.length)).toFixed(1));
}

const mean = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
process.stdout.write(
  `${JSON.stringify({
    jsonParseUs: cpuUs((i) => JSON.parse(texts[i])),
    validateUs: cpuUs((i) => validators.application(bodies[i])),
    forbiddenKeysUs: cpuUs((i) => forbiddenKeys(bodies[i])),
    answerTextUs: cpuUs((i) => decisionAnswer(decisions[i], 'fired')),
    answerTextAndBufferUs: cpuUs((i) => Buffer.from(decisionAnswer(decisions[i], 'fired').join(''))),
    bufferOfFlatTextUs: cpuUs((i) => Buffer.from(answers[i])),
    meanBodyBytes: mean(texts.map((t) => Buffer.byteLength(t))),
    meanAnswerBytes: mean(answers.map((a) => Buffer.byteLength(a))),
    passes,
  })}\n`,
);
