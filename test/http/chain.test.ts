import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { chain } from '../../src/adapters/http/chain.js';

const req = {} as Request;
const res = {} as Response;

/** Runs the chain and resolves with what reached `done` (undefined when every handler passed on). */
function run(handlers: RequestHandler[]): Promise<unknown> {
  return new Promise((resolve) => chain(handlers)(req, res, ((err?: unknown) => resolve(err)) as NextFunction));
}

describe('a router-free chain of middleware', () => {
  it('runs the handlers in order, each when the one before calls next', async () => {
    const seen: number[] = [];
    const step = (n: number): RequestHandler => (_q, _s, next) => {
      seen.push(n);
      setImmediate(next);
    };
    expect(await run([step(1), step(2), step(3)])).toBeUndefined();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('an error passed to next, thrown, or rejected by an async handler goes to done and stops the chain', async () => {
    let after = false;
    const later: RequestHandler = () => void (after = true);
    const passed = new Error('passed');
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    expect(await run([(_q, _s, next) => next(passed), later])).toBe(passed);
    expect(await run([() => { throw thrown; }, later])).toBe(thrown);
    expect(await run([async () => { throw rejected; }, later])).toBe(rejected);
    expect(after).toBe(false);
  });

  it('a promise rejected without a reason still reaches done as an error', async () => {
    const err = await run([() => Promise.reject(undefined)]);
    expect(err).toBeInstanceOf(Error);
  });
});
