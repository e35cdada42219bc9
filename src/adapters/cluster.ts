import cluster from 'node:cluster';

/**
 * WORKERS > 1: the primary forks that many HTTP workers sharing the port (node:cluster) and one audit
 * trail (SQLite serialises appends across processes under its write lock; PostgreSQL on its head row).
 * The primary forwards SIGTERM/SIGINT so every worker drains, and exits with the first failure code.
 */
export function runPrimary(workers: number, log: (msg: string) => void): void {
  let stopping = false;
  let exitCode = 0;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (code) exitCode = code;
    if (!stopping) {
      log(`worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const)
    process.on(sig, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
    });
  process.on('SIGHUP', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
  });
}

export const isPrimary = () => cluster.isPrimary;
