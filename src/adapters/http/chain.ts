import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware run in order without a router: one closure per request instead of a router's layer matching,
 * parameter and URL bookkeeping per middleware. Errors, thrown or rejected (an async handler), go to `done`
 * as Express would pass them, to its error handler. For the one route where that per-request cost shows
 * (POST /v1/decisions; see docs/perf-journal.md).
 */
export function chain(handlers: readonly RequestHandler[]): (req: Request, res: Response, done: NextFunction) => void {
  return (req, res, done) => {
    let i = 0;
    const next: NextFunction = (err?: unknown) => {
      if (err !== undefined && err !== null) return done(err);
      const h = handlers[i++];
      if (h === undefined) return done();
      try {
        const r = h(req, res, next) as unknown;
        if (r instanceof Promise) r.then(undefined, (e: unknown) => done(e ?? new Error('rejected without a reason')));
      } catch (e) {
        done(e);
      }
    };
    next();
  };
}
