import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/app.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [
    ...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...src.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
    ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

/** Where a relative import lands, relative to the repository root (`src/main.ts` for `../main.js`); packages stay as written. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
}

/** Every import of every .ts file under a folder that the predicate refuses, as "file imports target". */
function offending(folder: string, refused: (target: string, file: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of files(join(ROOT, folder))) for (const i of imports(f)) if (refused(target(f, i), f)) out.push(`${relative(ROOT, f)} imports ${i}`);
  return out;
}

/** The core may use these packages: parsing, validation, decimals and the reference rule engine, none of them I/O. */
const CORE_PACKAGES = ['ajv', 'ajv-formats', 'ajv/dist/2020.js', 'decimal.js', 'json-rules-engine', 'yaml'];

const IO = ['express', 'pg', 'better-sqlite3', 'winston', 'node:fs', 'fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'prom-client', 'helmet'];

describe('architecture', () => {
  it('the core imports no I/O library and no adapter', () => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src', 'core')))
      for (const i of imports(f)) if (IO.includes(i) || i.includes('/adapters/') || i.includes('/app/')) offenders.push(`${relative(ROOT, f)} imports ${i}`);
    expect(offenders).toEqual([]);
  });

  it('the core never reads the clock', () => {
    const offenders = files(join(ROOT, 'src', 'core')).filter((f) => /Date\.now\(|new Date\(\)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('use cases import no adapter, and ports import nothing concrete', () => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src', 'app'))) for (const i of imports(f)) if (i.includes('/adapters/') || IO.includes(i)) offenders.push(`${relative(ROOT, f)} imports ${i}`);
    for (const f of files(join(ROOT, 'src', 'ports'))) for (const i of imports(f)) if (!i.startsWith('.')) offenders.push(`${relative(ROOT, f)} imports ${i}`);
    expect(offenders).toEqual([]);
  });

  it('the core imports nothing outside the core but generated types, schema files and its pure packages', () => {
    const inside = (t: string) => t.startsWith('src/core/') || t.startsWith('src/generated/') || /^schemas\/[\w-]+\.schema\.json$/.test(t) || CORE_PACKAGES.includes(t);
    expect(offending('src/core', (t) => !inside(t))).toEqual([]);
  });

  it('HTTP routes call application services only: no route imports the core', () => {
    expect(offending('src/adapters/http/routes', (t) => t.startsWith('src/core/'))).toEqual([]);
  });

  it('CLI commands call application services: from the core they import types, plain values and problem formatting only', () => {
    // `import type …` is erased at build; any other import of the core brings its behaviour into the command.
    const valueImports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    // Problem formatting, error codes and the screening model's types and tier list: values, no behaviour.
    const allowed = new Set(['src/core/policy/problem.ts', 'src/core/errors.ts', 'src/core/screening/model.ts']);
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src', 'adapters', 'cli')))
      for (const i of valueImports(f)) {
        const t = target(f, i);
        if (t.startsWith('src/core/') && !allowed.has(t)) offenders.push(`${relative(ROOT, f)} imports ${i}`);
      }
    expect(offenders).toEqual([]);
    expect(valueImports(join(ROOT, 'src/adapters/cli/policy-check.ts')).length, 'the rule sees value imports').toBeGreaterThan(0);
  });

  it('no adapter imports the composition root (src/main.ts); the CLI included', () => {
    expect(offending('src/adapters', (t) => t === 'src/main.ts')).toEqual([]);
  });

  it('the rules above see what they guard: a route importing the core, an adapter importing main', () => {
    const route = join(ROOT, 'src/adapters/http/routes/x.ts');
    expect(target(route, '../../../core/errors.js')).toBe('src/core/errors.ts');
    expect(target(join(ROOT, 'src/adapters/cli/main.ts'), '../../main.js')).toBe('src/main.ts');
    expect(target(join(ROOT, 'src/adapters/cli/main.ts'), './main.js')).toBe('src/adapters/cli/main.ts');
    expect(imports(join(ROOT, 'src/main.ts')).length).toBeGreaterThan(0);
  });

  it('the HTTP adapter reaches audit stores only through the AuditStore port (main wires the store in)', () => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src', 'adapters', 'http'))) for (const i of imports(f)) if (i.includes('/store/')) offenders.push(`${relative(ROOT, f)} imports ${i}`);
    expect(offenders).toEqual([]);
  });
});
