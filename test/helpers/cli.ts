import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './app.js';

export const CLI = join(ROOT, 'dist', 'src', 'adapters', 'cli', 'main.js');
export const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** Runs the compiled `tideover` CLI in a child process. */
export function tideover(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
