import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../src/core/policy/yaml-source.js';
import { ROOT } from '../helpers/app.js';
import { tideover } from '../helpers/cli.js';
import { dataDir, startService } from '../helpers/service.js';

const SECRET = 'SECRET-CUSTOMER-NOTE';

function policyWithUnknownTag(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-policies-'));
  cpSync(join(ROOT, 'policies'), dir, { recursive: true });
  const file = join(dir, 'restructuring', '1.0.0.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('{ fact: fraudFlag, operator: equal, value: CONFIRMED }', `{ fact: fraudFlag, operator: equal, value: !${SECRET} CONFIRMED }`));
  return dir;
}

describe('the yaml library\'s warnings', () => {
  it('come back as located warnings in words of our own, and nothing reaches stderr', async () => {
    const warnings: unknown[] = [];
    const onWarning = (w: unknown) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const src = parseYamlSource(`a: !${SECRET} x\n? [${SECRET}]\n: 1\n`, 'p.yaml');
      await new Promise((r) => setTimeout(r, 50)); // process warnings are emitted on a later tick
      expect(src.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity}`)).toEqual(['p.yaml:1:4: warning', 'p.yaml:2:3: warning']);
      expect(JSON.stringify(src.problems)).not.toContain(SECRET);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('policy check prints the warning with file:line:column and never the text', () => {
    const r = tideover(['policy', 'check', policyWithUnknownTag()]);
    expect(r.stdout).toMatch(/1\.0\.0\.yaml:\d+:\d+: warning: YAML warning TAG_RESOLVE_FAILED/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('the service logs it at warn level with file:line:column, never the text', async () => {
    const svc = await startService(dataDir(), { POLICY_DIR: policyWithUnknownTag() });
    try {
      const out = svc.stdout.join('');
      expect(out).toMatch(/"level":"warn".*"message":"policy warning"|"message":"policy warning".*"level":"warn"/);
      expect(out).toMatch(/"at":"[^"]*1\.0\.0\.yaml:\d+:\d+"/);
      expect(out).not.toContain(SECRET);
    } finally {
      svc.proc.kill('SIGTERM');
      await svc.exited;
    }
  });
});
