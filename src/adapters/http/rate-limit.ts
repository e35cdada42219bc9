import type { NextFunction, Request, Response } from 'express';
import { TideoverError } from '../../core/errors.js';
import type { Caller } from './auth.js';

/**
 * Fixed one-minute windows per API key (per client address for anonymous calls). In memory and per
 * process: with WORKERS > 1 each worker enforces the limit on its own share of traffic.
 */
export function rateLimit(perMinute: number, onLimited: () => void, now: () => number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (req: Request, res: Response, next: NextFunction) => {
    if (perMinute <= 0) return next();
    const who = (res.locals.caller as Caller | undefined)?.keyId ?? `ip:${req.socket.remoteAddress ?? ''}`;
    const t = now();
    let w = windows.get(who);
    if (!w || t - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear(); // bounds memory under a flood of distinct addresses
      w = { start: t, count: 0 };
      windows.set(who, w);
    }
    if (++w.count > perMinute) {
      onLimited();
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000))));
      return next(new TideoverError('RATE_LIMITED', `More than ${perMinute} requests a minute for this key.`));
    }
    next();
  };
}
