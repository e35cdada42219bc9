import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './app.js';
import { MAIN } from './cli.js';

export const TOKEN = 'tok-process-test-0123456789';

export interface Service {
  proc: ChildProcess;
  port: number;
  dataDir: string;
  stdout: string[];
  exited: Promise<number | null>;
}

/** A data folder with a keys file holding TOKEN (all roles), for one or more service processes. */
export function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-svc-'));
  writeFileSync(join(dir, 'keys.yaml'), `keys:\n  - id: tester\n    sha256: ${createHash('sha256').update(TOKEN).digest('hex')}\n    roles: [decide, audit, policy-admin]\n`);
  writeFileSync(join(dir, 'audit.key'), `${'ab'.repeat(32)}\n`);
  return dir;
}

/** The V8 flags `npm start` passes (package.json), so process tests run the service as it ships. */
export const START_FLAGS: string[] = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.match(/--[a-z0-9-]+=\S+/g) ?? [];

/** Starts the compiled service on a free port and resolves once it logs "listening". */
export async function startService(dir: string, env: NodeJS.ProcessEnv = {}, startTimeoutMs = 20_000): Promise<Service> {
  const proc = spawn(process.execPath, [...START_FLAGS, MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POLICY_WATCH: 'false', LOG_LEVEL: 'info', API_KEYS_FILE: join(dir, 'keys.yaml'), AUDIT_KEY_FILE: join(dir, 'audit.key'), AUDIT_URL: `sqlite:${join(dir, 'audit.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${stdout.join('')}`)), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      if (stdout.length < 200) stdout.push(String(chunk));
      const m = /"port":(\d+)/.exec(stdout.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => stdout.push(String(c)));
    void exited.then((code) => reject(new Error(`service exited ${code}: ${stdout.join('')}`)));
  });
  return { proc, port, dataDir: dir, stdout, exited };
}

export interface Answer {
  status: number;
  body: any;
}

/** One HTTP call to 127.0.0.1; network errors resolve as status 0 (the caller got no answer). */
export function call(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { Authorization: `Bearer ${TOKEN}`, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', () => resolve({ status: 0, body: null }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: null }));
    req.setTimeout(15_000, () => req.destroy());
    if (data) req.write(data);
    req.end();
  });
}

/** Sends decisions with `concurrency` in flight until stopped; records the ids of every 200. */
export function loadGenerator(port: number, body: unknown, concurrency = 16) {
  const acked: string[] = [];
  let stopped = false;
  let sent = 0;
  const worker = async () => {
    while (!stopped && sent < 100_000) {
      sent++;
      const a = await call(port, 'POST', '/v1/decisions', body);
      if (a.status === 200) acked.push(a.body.decisionId);
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    acked,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}
