import openapiTS, { astToString } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/adapters/http/openapi.js';

describe('a TypeScript client generated from openapi.json with openapi-typescript', () => {
  let ts: string;
  beforeAll(async () => {
    ts = astToString(await openapiTS(buildOpenApi('test') as never));
  }, 60_000);

  it('has no $defs property: the schema files’ definitions are components of their own', () => {
    // openapi-typescript always exports an empty top-level `type $defs`; a property of that name is the defect.
    expect(ts).toMatch(/export type \$defs = Record<string, never>;/);
    expect(ts).not.toMatch(/"?\$defs"?\??:/);
  });

  it('keeps a reused definition as one named component (Money is referenced, not repeated inline)', () => {
    expect(ts).toMatch(/\n {8}Money: string;/);
    expect(ts).toMatch(/components\["schemas"\]\["Money"\]/);
  });
});
