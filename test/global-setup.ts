import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Process-level tests run the compiled service and CLI, so build them once, fresh, before any test. */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
