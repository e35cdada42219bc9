import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { TideoverError } from '../../core/errors.js';
import { forbiddenKeys } from '../../core/validation/messages.js';

const MAX_DEPTH = 32;

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH || v === null || typeof v !== 'object') return d;
  let max = d;
  // for…in over own keys: Object.values would allocate an array per object of every body.
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    max = Math.max(max, depth((v as Record<string, unknown>)[k], d + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
}

/** Whether the request carries a body (a chunked one, or a Content-Length above 0). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Set on a request whose body body-parser found empty. */
const EMPTY = Symbol('empty body');
type MarkedRequest = Request & { [EMPTY]?: true };

/** An error the error handler maps as it maps body-parser's (problem.ts): by its type. */
function bodyError(type: 'entity.too.large' | 'entity.parse.failed' | 'request.aborted', status: number): Error {
  return Object.assign(new Error(type), { type, status });
}

/** Content-Type application/json with no charset or UTF-8's: what a servicing system sends. */
function plainUtf8Json(contentType: string | undefined): boolean {
  if (contentType === 'application/json') return true;
  const t = contentType?.toLowerCase();
  return t === 'application/json; charset=utf-8' || t === 'application/json;charset=utf-8';
}

/**
 * The common body (no Content-Encoding, UTF-8, within the limit) read and parsed as body-parser would: a
 * leading BOM dropped, invalid UTF-8 read as U+FFFD, an oversized body drained before its 413. An empty body
 * is left undefined, to be refused as a missing one is (jsonBody has body-parser's {} refused alike).
 * body-parser reads the rest (compressed bodies, other charsets); its type checks, charset lookup, decoder and
 * stream plumbing cost ~2 KB of allocation and more CPU than JSON.parse itself per decision.
 */
function readPlainJson(limitBytes: number, fallback: RequestHandler): RequestHandler {
  return (req, res, next) => {
    // No body declared, or one already read (by nothing today): nothing to wait for, whatever its spelling.
    if (!hasBody(req) || req.readableEnded || req.destroyed || !req.readable) return next();
    const encoding = req.headers['content-encoding'];
    if ((encoding !== undefined && encoding.toLowerCase() !== 'identity') || !plainUtf8Json(req.headers['content-type'])) return fallback(req, res, next);
    if (Number(req.headers['content-length'] ?? 0) > limitBytes) return drain(req, bodyError('entity.too.large', 413), next);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const detach = () => {
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
    };
    const settle = (err?: Error) => {
      if (settled) return;
      detach();
      if (err) return next(err);
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const start = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
      const text = body.toString('utf8', start);
      try {
        // Empty: left undefined, to be refused as a body never sent is (body-parser would read it as {}).
        if (text.length > 0) req.body = JSON.parse(text);
      } catch {
        return next(bodyError('entity.parse.failed', 400));
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        detach();
        return drain(req, bodyError('entity.too.large', 413), next);
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle();
    // An error, or the connection closed before the body's end.
    const onAbort = () => settle(bodyError('request.aborted', 400));
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  };
}

/** The rest of a refused body read and dropped before the refusal is sent, so the connection stays usable. */
function drain(req: Request, err: Error, next: NextFunction): void {
  if (req.complete) return next(err);
  let called = false;
  const done = () => {
    if (called) return;
    called = true;
    next(err);
  };
  req.once('end', done).once('close', done);
  req.resume();
}

/**
 * JSON bodies only: 415 for any other content type, 413 above the limit, 400 for malformed JSON, nesting
 * deeper than 32 or prototype-polluting keys. Applied to routes that take a body.
 */
export function jsonBody(limitBytes: number) {
  // body-parser reads an empty body as {}: verify marks it, to be refused as our reader refuses one.
  const markEmpty = (req: Request, _res: Response, buf: Buffer) => {
    if (buf.length === 0) (req as MarkedRequest)[EMPTY] = true;
  };
  const parse = readPlainJson(limitBytes, express.json({ limit: limitBytes, strict: false, type: () => true, verify: markEmpty }));
  return [
    (req: Request, _res: Response, next: NextFunction) => {
      if (!req.is('application/json')) {
        const got = JSON.stringify(req.headers['content-type'] ?? '(none)').slice(0, 80);
        // No body at all is the first thing to fix: a right Content-Type alone would still be refused.
        if (!hasBody(req)) return next(new TideoverError('UNSUPPORTED_MEDIA_TYPE', `The request body is empty (Content-Type ${got}): send a JSON body with Content-Type: application/json.`, [{ pointer: '', message: 'a JSON body is required' }]));
        return next(new TideoverError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got ${got}`, [{ pointer: '', message: `the body must be JSON sent as application/json, not ${got}` }]));
      }
      next();
    },
    parse,
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.body === undefined || (req as MarkedRequest)[EMPTY]) return next(new TideoverError('INVALID_JSON', 'The request body is empty.', [{ pointer: '', message: 'a JSON body is required' }]));
      if (depth(req.body) > MAX_DEPTH) return next(new TideoverError('INVALID_BODY', `The body is nested more than ${MAX_DEPTH} levels deep.`, [{ pointer: '', message: 'nesting too deep' }]));
      const bad = forbiddenKeys(req.body);
      if (bad.length) return next(new TideoverError('FORBIDDEN_KEY', undefined, bad));
      next();
    },
  ];
}

/**
 * A JSON answer already written as pieces of text (a decision's, see decisionAnswer), written in turn in one
 * socket write. Node encodes each piece straight into the socket's buffer, so the answer is never joined
 * into one string nor copied into a Buffer of its own on the JS heap. Node joins the first piece written to
 * the header text, so that piece is one character: the rest of the first piece follows on its own.
 */
export function sendJsonParts(res: Response, status: number, parts: readonly string[]): void {
  if (res.headersSent) return; // already answered (a timeout): a late result is not written twice
  let length = 0;
  for (let i = 0; i < parts.length; i++) length += Buffer.byteLength(parts[i]!, 'utf8');
  res.status(status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', length);
  res.cork();
  const first = parts[0] ?? '';
  if (first.length) res.write(first.slice(0, 1), 'utf8');
  if (first.length > 1) res.write(first.slice(1), 'utf8');
  for (let i = 1; i < parts.length; i++) if (parts[i]!.length) res.write(parts[i]!, 'utf8');
  res.end();
  res.uncork();
}
