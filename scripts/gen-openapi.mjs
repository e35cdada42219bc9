// Writes openapi.json from the compiled service (schemas/ + the route table); `--check` fails on drift.
import { readFile, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildOpenApi } = await import(join(root, 'dist', 'src', 'adapters', 'http', 'openapi.js'));
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const text = `${JSON.stringify(buildOpenApi(pkg.version), null, 2)}\n`;
const target = join(root, 'openapi.json');
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error('openapi.json is out of date; run npm run openapi');
    process.exit(1);
  }
  console.log('openapi.json is current');
} else {
  await writeFile(target, text);
  console.log('wrote openapi.json');
}
