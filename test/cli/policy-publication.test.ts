import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TOKENS, buildTestApp, type TestApp } from '../helpers/app.js';
import { CLI } from '../helpers/cli.js';

/** The compiled CLI, run asynchronously: the service it calls lives in this process. */
function tideover(args: string[], token: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TIDEOVER_API_KEY: token } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tideover policy draft / change against a running service', () => {
  let t: TestApp;
  let server: Server;
  let url: string;
  let file: string;
  beforeAll(async () => {
    t = await buildTestApp();
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const dir = join(mkdtempSync(join(tmpdir(), 'tideover-cli-pub-')), 'restructuring');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    file = join(dir, '1.2.0.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'policies', 'restructuring', '1.1.0.yaml'), 'utf8').replace(/^(\s+version:\s*)1\.1\.0/m, '$11.2.0'));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
  });

  it('push without tests exits 1 saying why; with tests, try, submit, list, self-approval refused, a second key approves', async () => {
    const bare = await tideover(['policy', 'draft', 'push', file, '--url', url], TOKENS.author);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/submittable: no — NO_TESTS/);

    const pushed = await tideover(['policy', 'draft', 'push', file, '--tests', join(ROOT, 'policies', 'restructuring', '1.1.0.test.yaml'), '--url', url], TOKENS.authorApprover);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/draft restructuring 1\.2\.0 saved/);

    const tried = await tideover(['policy', 'draft', 'try', 'restructuring', join(ROOT, 'examples', 'application.json'), '--url', url], TOKENS.author);
    expect(tried.code, tried.stderr).toBe(0);
    expect(tried.stdout).toMatch(/INSTALLMENT\s+APPROVE/);
    expect(tried.stdout).toMatch(/nothing was recorded/);

    const submitted = await tideover(['policy', 'draft', 'submit', 'restructuring', '--url', url, '--json'], TOKENS.authorApprover);
    expect(submitted.code, submitted.stderr).toBe(0);
    const change = JSON.parse(submitted.stdout) as { id: string; status: string };
    expect(change.status).toBe('PENDING');

    const list = await tideover(['policy', 'change', 'list', '--status', 'PENDING', '--url', url], TOKENS.approver);
    expect(list.stdout).toContain(change.id);

    const own = await tideover(['policy', 'change', 'approve', change.id, '--url', url], TOKENS.authorApprover);
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/403 SELF_APPROVAL/);

    const approved = await tideover(['policy', 'change', 'approve', change.id, '--comment', 'from the terminal', '--url', url], TOKENS.approver);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/approved and published: restructuring@1\.2\.0/);
  }, 180_000);

  it('submit of a refused draft exits 1 listing every reason; reject needs --reason; no key is a clear error', async () => {
    await tideover(['policy', 'draft', 'push', file, '--url', url], TOKENS.author);
    const refused = await tideover(['policy', 'draft', 'submit', 'restructuring', '--url', url], TOKENS.author);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/422 CHANGE_REFUSED/);
    expect(refused.stderr).toMatch(/NO_TESTS/);
    expect(refused.stderr).toMatch(/VERSION_NOT_GREATER/);
    expect((await tideover(['policy', 'change', 'reject', 'x', '--url', url], TOKENS.approver)).code).toBe(2);
    const nokey = await tideover(['policy', 'change', 'list', '--url', url], '');
    expect(nokey.code).toBe(1);
    expect(nokey.stderr).toMatch(/TIDEOVER_API_KEY is not set/);
  }, 120_000);
});
