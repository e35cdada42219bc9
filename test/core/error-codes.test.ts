import { expect, it } from 'vitest';
import problem from '../../schemas/problem.schema.json' with { type: 'json' };
import { ERROR_CODES } from '../../src/core/errors.js';

it('every error code is documented in the problem schema, and the schema lists no other', () => {
  expect([...problem.properties.code.enum].sort()).toEqual(Object.keys(ERROR_CODES).sort());
});
