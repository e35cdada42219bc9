import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, exampleApplication, type TestApp } from '../helpers/app.js';
import { edgyValid, rawBytes, scheduleRequest } from './arbitraries.js';

// Answers are checked against the committed openapi.json, the contract clients generate code from.
const openapi = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as { components: unknown };
const ajv = new Ajv2020Module.default({ strict: false, allErrors: true });
addFormatsModule.default(ajv);
ajv.addSchema({ $id: 'https://tideover.dev/openapi.json', components: openapi.components });
const schemaOf = (name: string) => {
  const v = ajv.getSchema(`https://tideover.dev/openapi.json#/components/schemas/${name}`);
  if (!v) throw new Error(`openapi.json has no schema ${name}`);
  return v;
};
const answers = { decision: schemaOf('DecisionResult'), schedule: schemaOf('ScheduleResponse') };
const problem = schemaOf('Problem');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function decisionRecords(): Promise<number> {
  let n = 0;
  for await (const r of t.audit.export({})) if (Array.isArray((r.decision as { options?: unknown } | null)?.options)) n++;
  return n;
}

const day = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** The dates a decision counts from, anywhere the schemas' years allow and beyond, with long terms. */
const datedApplication = fc
  .record({
    receivedAt: day('1995-01-01', '2199-12-31'),
    nextDueDate: day('1900-01-01', '2199-12-31'),
    recovery: fc.option(day('1995-01-01', '2199-12-31'), { nil: undefined }),
    term: fc.integer({ min: 1, max: 600 }),
    grace: fc.integer({ min: 1, max: 120 }),
    options: fc.uniqueArray(fc.constantFrom('INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER'), { maxLength: 4 }),
  })
  .map((x) => {
    const a = exampleApplication();
    a.receivedAt = `${x.receivedAt}T10:00:00+08:00`;
    a.loan.nextDueDate = x.nextDueDate;
    if (x.recovery) a.borrower.hardship.expectedRecoveryDate = x.recovery;
    else delete a.borrower.hardship.expectedRecoveryDate;
    a.request = { options: x.options, desiredTermMonths: x.term, desiredGraceMonths: x.grace };
    return JSON.stringify(a);
  });

const call = fc.oneof(
  { arbitrary: datedApplication.map((body) => ({ route: 'decision' as const, body: body as string | Buffer, contentType: 'application/json' })), weight: 3 },
  { arbitrary: edgyValid.map((body) => ({ route: 'decision' as const, body: body as string | Buffer, contentType: 'application/json' })), weight: 6 },
  { arbitrary: rawBytes.map((h) => ({ route: 'decision' as const, body: h.body, contentType: h.contentType ?? 'application/json' })), weight: 1 },
  { arbitrary: scheduleRequest.map((body) => ({ route: 'schedule' as const, body: JSON.stringify(body) as string | Buffer, contentType: 'application/json' })), weight: 3 },
);

describe('fuzzed applications and schedules', () => {
  it('every answer is valid by openapi.json or a problem+json 4xx, and the trail holds one record per 2xx decision', async () => {
    const before = await decisionRecords();
    let decided = 0;
    const seen = { ok: 0, problems: 0 };
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        const res = await request(t.app)
          .post(c.route === 'decision' ? '/v1/decisions' : '/v1/schedules')
          .set('Authorization', `Bearer ${TOKENS.decide}`)
          .set('Content-Type', c.contentType)
          .send(c.body);
        const what = `${c.route} ${res.status}: ${res.text.slice(0, 400)}`;
        if (res.status >= 200 && res.status < 300) {
          seen.ok++;
          if (c.route === 'decision') decided++;
          const valid = answers[c.route](res.body);
          expect(valid, `${what}\n${JSON.stringify(answers[c.route].errors?.slice(0, 3))}`).toBe(true);
          return;
        }
        seen.problems++;
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
        expect(problem(res.body), `${what}\n${JSON.stringify(problem.errors?.slice(0, 3))}`).toBe(true);
      }),
      { numRuns: 150, endOnFailure: true },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.problems).toBeGreaterThan(0);
    expect((await decisionRecords()) - before).toBe(decided);
  }, 180_000);
});
