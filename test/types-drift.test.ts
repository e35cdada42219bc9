import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers/app.js';

it('the TypeScript types in src/generated match the JSON Schemas they are generated from', () => {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-types.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(out).toMatch(/checked \d+ type files/);
});
