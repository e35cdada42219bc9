import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { ROOT } from '../helpers/app.js';
import { CLI } from '../helpers/cli.js';

describe('tideover on PATH', () => {
  it('the container image links package.json\'s bin entry into /usr/local/bin and makes it executable', () => {
    const docker = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = docker.slice(docker.lastIndexOf('\nFROM '));
    const bin = `/app/${pkg.bin.tideover}`;
    expect(runtime).toContain(`chmod +x ${bin}`);
    expect(runtime).toContain(`ln -s ${bin} /usr/local/bin/tideover`);
    // Linked before USER node drops the rights to write /usr/local/bin.
    expect(runtime.indexOf('/usr/local/bin/tideover')).toBeLessThan(runtime.indexOf('\nUSER node'));
  });

  it('the compiled CLI runs as `tideover` from a PATH folder (shebang, executable link)', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bin = join(mkdtempSync(join(tmpdir(), 'tideover-bin-')), 'tideover');
    symlinkSync(CLI, bin);
    chmodSync(CLI, 0o755);
    const r = spawnSync('tideover', ['--version'], { env: { ...process.env, PATH: `${join(bin, '..')}:${join(process.execPath, '..')}` }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
