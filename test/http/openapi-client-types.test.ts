import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('types an audit record\'s application, decision and challenger as the recorded schemas, never unknown', () => {
    const record = /\n {8}AuditRecord: \{([\s\S]*?)\n {8}\};/.exec(ts)?.[1] ?? '';
    expect(record).toMatch(/\n {12}application: components\["schemas"\]\["RecordedApplication"\] \| null;/);
    expect(record).toMatch(/\n {12}decision: components\["schemas"\]\["RecordedDecision"\] \| components\["schemas"\]\["EventBody"\];/);
    expect(record).toMatch(/\n {12}challenger\?: components\["schemas"\]\["RecordedDecision"\];/);
    expect(record).not.toMatch(/: unknown;/);
  });

  it('keeps a reused definition as one named component (Money is referenced, not repeated inline)', () => {
    expect(ts).toMatch(/\n {8}Money: string;/);
    expect(ts).toMatch(/components\["schemas"\]\["Money"\]/);
  });
});

describe("the workbench's generated client types", () => {
  it('web/api/schema.d.ts is what `npm run gen:web-api` makes from the committed openapi.json (no drift)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const out = join(mkdtempSync(join(tmpdir(), 'tideover-web-api-')), 'schema.d.ts');
    execFileSync(process.execPath, [join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(root, 'openapi.json'), '-o', out], { stdio: 'ignore' });
    expect(readFileSync(out, 'utf8'), 'run npm run gen:web-api').toBe(readFileSync(join(root, 'web', 'api', 'schema.d.ts'), 'utf8'));
  }, 60_000);
});
