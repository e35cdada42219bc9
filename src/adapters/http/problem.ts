import type { NextFunction, Request, Response } from 'express';
import { ERROR_CODES, TideoverError, type ErrorCode, type FieldProblem } from '../../core/errors.js';
import { MoneyInputError } from '../../core/money/errors.js';

const STATUS: Record<ErrorCode, number> = {
  INVALID_JSON: 400,
  INVALID_BODY: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  FORBIDDEN_KEY: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NO_POLICY: 422,
  POLICY_YAML_SYNTAX: 422,
  POLICY_SCHEMA: 422,
  POLICY_SEMANTIC: 422,
  POLICY_TEST_FAILED: 422,
  AUDIT_UNAVAILABLE: 503,
  IDEMPOTENCY_CONFLICT: 422,
  AUDIT_RECORD_INCONSISTENT: 409,
  TIMEOUT: 503,
  SELF_APPROVAL: 403,
  CHANGE_REFUSED: 422,
  CHANGE_CONFLICT: 409,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

const QUERY = '/query/';
const QUERY_TITLE = 'A query parameter is not valid.';

/** A query problem's sentence names the query parameter, whatever words the route chose. */
/** A name as the client sent it may hold a broken escape (`%ZZ`): then it is shown as sent, never thrown on. */
function decodedOrAsSent(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function inQueryWords(e: FieldProblem): FieldProblem {
  const name = decodedOrAsSent(e.pointer.slice(QUERY.length).replace(/~1/g, '/').replace(/~0/g, '~'));
  return /query parameter/i.test(e.message) ? e : { pointer: e.pointer, message: `query parameter ${name}: ${e.message}` };
}

/** RFC 9457 problem details; `errors` lists every invalid field with its JSON pointer. */
export function sendProblem(res: Response, code: ErrorCode, detail?: string, errors: FieldProblem[] = []): void {
  if (res.headersSent) return;
  const status = STATUS[code];
  // Routes report a bad query with INVALID_BODY (a stable code for clients); the words say what was wrong.
  const queryOnly = code === 'INVALID_BODY' && errors.length > 0 && errors.every((e) => e.pointer.startsWith(QUERY));
  if (queryOnly) errors = errors.map(inQueryWords);
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://tideover.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
        title: queryOnly ? QUERY_TITLE : ERROR_CODES[code],
        status,
        code,
        detail: queryOnly && (detail === undefined || detail === ERROR_CODES[code]) ? QUERY_TITLE : (detail ?? ERROR_CODES[code]),
        instance: res.locals.requestId ? `urn:request:${res.locals.requestId}` : undefined,
        ...(errors.length ? { errors: errors.map((e) => ({ pointer: e.pointer, detail: e.message })) } : {}),
      }),
    );
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The last middleware: typed errors keep their code; anything else is a 500 without internals. */
export function errorHandler(onInternal: (e: unknown, req: Request) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof TideoverError) return sendProblem(res, err.code, err.message, err.problems);
    // A money or date computation refusing its input is a validation gap, not a crash: the caller learns why.
    if (err instanceof MoneyInputError) return sendProblem(res, 'INVALID_BODY', `The request cannot be computed: ${err.message}`);
    const type = (err as BodyParserError)?.type;
    if (type === 'entity.too.large') return sendProblem(res, 'BODY_TOO_LARGE');
    if (type === 'entity.parse.failed') return sendProblem(res, 'INVALID_JSON', 'The request body is not valid JSON.', [{ pointer: '', message: 'the body is not valid JSON' }]);
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') return sendProblem(res, 'UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 JSON bodies are accepted.');
    // zlib's codes: a Content-Encoding the body does not live up to (corrupt or truncated compressed data).
    if (/^Z_/.test(String((err as { code?: unknown })?.code ?? ''))) {
      const encoding = String(req.headers['content-encoding'] ?? '').slice(0, 20);
      return sendProblem(res, 'INVALID_BODY', `The request body could not be decompressed: it is not valid ${encoding} data.`, [{ pointer: '', message: `the body is sent with Content-Encoding: ${encoding} but is corrupt or truncated ${encoding} data` }]);
    }
    const status = (err as BodyParserError)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendProblem(res, 'INVALID_BODY', 'The request could not be read.');
    onInternal(err, req);
    sendProblem(res, 'INTERNAL');
  };
}
