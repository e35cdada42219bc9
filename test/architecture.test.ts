import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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

  it('the HTTP adapter reaches audit stores only through the AuditStore port (main wires the store in)', () => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src', 'adapters', 'http'))) for (const i of imports(f)) if (i.includes('/store/')) offenders.push(`${relative(ROOT, f)} imports ${i}`);
    expect(offenders).toEqual([]);
  });
});
