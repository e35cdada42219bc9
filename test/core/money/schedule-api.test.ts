import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import common from '../../../schemas/common.schema.json' with { type: 'json' };
import requestSchema from '../../../schemas/schedule-request.schema.json' with { type: 'json' };
import responseSchema from '../../../schemas/schedule-response.schema.json' with { type: 'json' };
import type { ScheduleRequest } from '../../../src/generated/schedule-request.js';
import { buildScheduleDecimal } from '../../../src/core/money/decimal-schedule.js';
import { checkScheduleRequest, computeSchedule } from '../../../src/core/money/schedule-api.js';

const ajv = new Ajv2020Module.default({ allErrors: true, strict: true, strictTypes: false });
addFormatsModule.default(ajv, ['date']);
ajv.addSchema(common);
const validRequest = ajv.compile(requestSchema);
const validResponse = ajv.compile(responseSchema);

const exampleC: ScheduleRequest = { principal: '30270.00', annualRate: '0.108', termMonths: 24, method: 'EQUAL_INSTALLMENT', graceMonths: 3, firstDueDate: '2026-01-31' };

describe('POST /v1/schedules contract', () => {
  it('answers worked example C in strings with two decimals, and the answer matches its schema', () => {
    const res = computeSchedule(exampleC);
    expect(validResponse(res), JSON.stringify(validResponse.errors)).toBe(true);
    expect(res).toMatchObject({ regularPayment: '1408.01', gracePayment: '272.43', totalInterest: '4339.55', totalPayment: '34609.55', aprIrr: '0.108000' });
    expect(res.schedule).toHaveLength(27);
    expect(res.schedule[0]).toEqual({ period: 1, dueDate: '2026-01-31', payment: '272.43', principal: '0.00', interest: '272.43', closingBalance: '30270.00' });
    expect(res.schedule[26]).toEqual({ period: 27, dueDate: '2028-03-31', payment: '1408.03', principal: '1395.47', interest: '12.56', closingBalance: '0.00' });
  });

  it('gives the same answer on the reference engine', () => {
    expect(computeSchedule(exampleC, buildScheduleDecimal)).toEqual(computeSchedule(exampleC));
  });

  it('omits gracePayment and due dates when not asked for', () => {
    const res = computeSchedule({ principal: '50000', annualRate: '0.108', termMonths: 12, method: 'EQUAL_PRINCIPAL' });
    expect(validResponse(res)).toBe(true);
    expect(res.gracePayment).toBeUndefined();
    expect(res.schedule[0]).not.toHaveProperty('dueDate');
    expect(res).toMatchObject({ regularPayment: '4616.67', totalInterest: '2925.00' });
  });

  it('accepts a well-formed request and rejects what the schema can express', () => {
    expect(validRequest(exampleC)).toBe(true);
    const bad: Record<string, unknown>[] = [
      { principal: '0.00' },
      { principal: '0' },
      { principal: '10.001' },
      { principal: 100 },
      { annualRate: '1.5' },
      { annualRate: '1.00000001' },
      { termMonths: 0 },
      { termMonths: 601 },
      { termMonths: 12.5 },
      { graceMonths: 121 },
      { method: 'BALLOON' },
      { firstDueDate: '2026-02-30' },
      { extra: true },
    ];
    for (const patch of bad) expect(validRequest({ ...exampleC, ...patch }), JSON.stringify(patch)).toBe(false);
    expect(validRequest({ ...exampleC, annualRate: '1.0' })).toBe(true);
  });

  it('reports, with JSON pointers, the rules the schema cannot express', () => {
    expect(checkScheduleRequest(exampleC)).toEqual([]);
    expect(checkScheduleRequest({ ...exampleC, graceMonths: 100, termMonths: 501 })).toEqual([
      { pointer: '/graceMonths', message: 'graceMonths + termMonths must not exceed 600' },
    ]);
    const problems = checkScheduleRequest({ ...exampleC, principal: '0.00', annualRate: '1.01', firstDueDate: '2026-02-30' });
    expect(problems.map((p) => p.pointer)).toEqual(['/principal', '/annualRate', '/firstDueDate']);
  });
});
