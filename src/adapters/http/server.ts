import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from '../log/logger.js';

/** Listens with timeouts that cut slow or partial requests off within seconds. */
export function listen(app: RequestListener, opts: { port: number; host: string; requestTimeoutMs: number }): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    // Node enforces these timeouts only every connectionsCheckingInterval (30 s by default): check every second.
    const server = createServer(
      { connectionsCheckingInterval: 1000, headersTimeout: 5_000, requestTimeout: Math.max(opts.requestTimeoutMs + 1000, 5000), keepAliveTimeout: 5_000 },
      app,
    );
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}

/** Stops accepting, lets in-flight requests finish (answers close their connections meanwhile), then resolves. */
export function drain(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.once('close', () => clearInterval(sweep));
  });
}

/**
 * On SIGTERM/SIGINT: run `close` (drain, flush the audit store) and exit 0. In-flight requests get
 * `graceMs`; then connections are cut, and 1 s later the process exits regardless after `flush` — a request
 * cut off was never acknowledged, so nothing acknowledged is lost.
 */
export function exitOnSignals(server: Server, opts: { graceMs: number; logger: Logger; close: () => Promise<void>; flush: () => Promise<void> }): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    opts.logger.info('shutting down', { signal });
    setTimeout(() => {
      opts.logger.warn('shutdown grace over; closing remaining connections');
      server.closeAllConnections();
    }, opts.graceMs).unref();
    setTimeout(() => {
      opts.logger.warn('shutdown deadline reached; exiting');
      void opts.flush().finally(() => process.exit(0));
    }, opts.graceMs + 1000).unref();
    opts.close().then(
      () => process.exit(0),
      (e: Error) => {
        opts.logger.error('shutdown failed', { error: e.message });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
