import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import common from '../../../schemas/common.schema.json' with { type: 'json' };
import application from '../../../schemas/application.schema.json' with { type: 'json' };
import policy from '../../../schemas/policy.schema.json' with { type: 'json' };
import policyTest from '../../../schemas/policy-test.schema.json' with { type: 'json' };
import scheduleRequest from '../../../schemas/schedule-request.schema.json' with { type: 'json' };
import simulationRequest from '../../../schemas/simulation-request.schema.json' with { type: 'json' };
import policyValidationRequest from '../../../schemas/policy-validation-request.schema.json' with { type: 'json' };
import policyApproval from '../../../schemas/policy-approval.schema.json' with { type: 'json' };
import policyRejection from '../../../schemas/policy-rejection.schema.json' with { type: 'json' };
import policyRollback from '../../../schemas/policy-rollback.schema.json' with { type: 'json' };
import arrangementRequest from '../../../schemas/arrangement-request.schema.json' with { type: 'json' };
import paymentReport from '../../../schemas/payment-report.schema.json' with { type: 'json' };
import arrangement from '../../../schemas/arrangement.schema.json' with { type: 'json' };
import { addDateFormats } from './formats.js';

// ajv is CommonJS: the default import is module.exports, whose .default is the export.
const Ajv2020 = Ajv2020Module.default;

/** Every schema of schemas/, registered once; the same objects feed the OpenAPI document. */
export const SCHEMAS = { common, application, policy, policyTest, scheduleRequest, simulationRequest, policyValidationRequest, policyApproval, policyRejection, policyRollback, arrangementRequest, paymentReport, arrangement } as const;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
addDateFormats(ajv);
for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema as object);

function compile(id: string): ValidateFunction {
  const fn = ajv.getSchema(id);
  if (!fn) throw new Error(`schema ${id} not registered`);
  return fn;
}

export const validators = {
  application: compile('https://tideover.dev/schemas/application.schema.json'),
  policy: compile('https://tideover.dev/schemas/policy.schema.json'),
  policyTest: compile('https://tideover.dev/schemas/policy-test.schema.json'),
  scheduleRequest: compile('https://tideover.dev/schemas/schedule-request.schema.json'),
  simulationRequest: compile('https://tideover.dev/schemas/simulation-request.schema.json'),
  policyValidationRequest: compile('https://tideover.dev/schemas/policy-validation-request.schema.json'),
  policyApproval: compile('https://tideover.dev/schemas/policy-approval.schema.json'),
  policyRejection: compile('https://tideover.dev/schemas/policy-rejection.schema.json'),
  policyRollback: compile('https://tideover.dev/schemas/policy-rollback.schema.json'),
  arrangementRequest: compile('https://tideover.dev/schemas/arrangement-request.schema.json'),
  paymentReport: compile('https://tideover.dev/schemas/payment-report.schema.json'),
};

export type { ErrorObject };
