import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ApiKey, Role } from '../../generated/api-keys.js';
import { TideoverError } from '../../core/errors.js';

export type { ApiKey, Role };

export interface Caller {
  keyId: string;
  roles: ReadonlySet<Role>;
}

/** Tokens are never stored or logged: only their sha256, compared in constant time against every key. */
export class KeyRing {
  private keys: { id: string; digest: Buffer; roles: Set<Role> }[] = [];
  constructor(keys: ApiKey[]) {
    this.replace(keys);
  }

  /** Swaps in a reloaded keys file; requests already identified keep the caller they had. */
  replace(keys: ApiKey[]): void {
    this.keys = keys.map((k) => ({ id: k.id, digest: Buffer.from(k.sha256, 'hex'), roles: new Set(k.roles) }));
  }

  identify(token: string): Caller | undefined {
    const digest = createHash('sha256').update(token).digest();
    let found: Caller | undefined;
    for (const k of this.keys) if (timingSafeEqual(k.digest, digest) && !found) found = { keyId: k.id, roles: k.roles };
    return found;
  }
}

const BEARER = /^Bearer ([\x21-\x7e]{8,512})$/;

/** Identifies the caller from the bearer token, if any; routes then demand roles with requireRole. */
export function authenticate(ring: KeyRing) {
  return (req: Request, res: Response, next: NextFunction) => {
    const m = BEARER.exec(req.headers.authorization ?? '');
    const caller = m ? ring.identify(m[1]!) : undefined;
    if (caller) res.locals.caller = caller;
    next();
  };
}

/** 401 without a valid token; 403 when the key lacks every role this route accepts. */
export function requireRole(...roles: Role[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="tideover"');
      return next(new TideoverError('UNAUTHENTICATED'));
    }
    if (!roles.some((r) => caller.roles.has(r))) return next(new TideoverError('FORBIDDEN', `This route needs the role ${roles.join(' or ')}.`));
    next();
  };
}
