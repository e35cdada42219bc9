import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import common from '../../../schemas/common.schema.json' with { type: 'json' };
import loanSnapshot from '../../../schemas/loan-snapshot.schema.json' with { type: 'json' };
import screeningPolicy from '../../../schemas/screening-policy.schema.json' with { type: 'json' };
import screeningTest from '../../../schemas/screening-test.schema.json' with { type: 'json' };
import { addDateFormats } from '../validation/formats.js';

const Ajv2020 = Ajv2020Module.default;

/** Screening's schemas, in their own ajv instance so the decision validators stay as they are. */
export const SCREENING_SCHEMAS = { loanSnapshot, screeningPolicy, screeningTest } as const;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
addDateFormats(ajv);
ajv.addSchema(common as object);
for (const schema of Object.values(SCREENING_SCHEMAS)) ajv.addSchema(schema as object);

function compile(id: string): ValidateFunction {
  const fn = ajv.getSchema(id);
  if (!fn) throw new Error(`schema ${id} not registered`);
  return fn;
}

export const screeningValidators = {
  loanSnapshot: compile('https://tideover.dev/schemas/loan-snapshot.schema.json'),
  screeningPolicy: compile('https://tideover.dev/schemas/screening-policy.schema.json'),
  screeningTest: compile('https://tideover.dev/schemas/screening-test.schema.json'),
};
