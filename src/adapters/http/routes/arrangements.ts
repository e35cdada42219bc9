import { Router, type Request } from 'express';
import type { ArrangementRequest } from '../../../generated/arrangement-request.js';
import type { PaymentReport } from '../../../generated/payment-report.js';
import { dateParam, type ArrangementService } from '../../../app/arrangements.js';
import { TideoverError } from '../../../app/errors.js';
import { checkInput } from '../../../app/input.js';
import { requireRole, type Caller } from '../auth.js';
import { jsonBody } from '../body.js';

/** One optional query parameter, given at most once, and no unknown ones. */
function query(req: Request, allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (!allowed.includes(k)) throw new TideoverError('INVALID_BODY', `unknown query parameter ${k.slice(0, 64)}`, [{ pointer: `/query/${k.slice(0, 64)}`, message: `unknown query parameter; use ${allowed.join(', ')}` }]);
    if (typeof v !== 'string') throw new TideoverError('INVALID_BODY', `query parameter ${k} must be given once`, [{ pointer: `/query/${k}`, message: `${k} must be a single value` }]);
    out[k] = v;
  }
  return out;
}

const date = (q: Record<string, string>, name: string): string | undefined => dateParam(name, q[name]);

/** Arrangements (role decide: the servicing system reports what the borrower accepted and paid). */
export function arrangementRoutes(deps: { arrangements: ArrangementService; bodyLimit: number }): Router {
  const r = Router();
  const decide = requireRole('decide');
  const caller = (res: { locals: Record<string, unknown> }) => (res.locals.caller as Caller).keyId;

  r.post('/v1/arrangements', decide, ...jsonBody(deps.bodyLimit), async (req, res) => {
    query(req, []);
    const body = checkInput<ArrangementRequest>('arrangementRequest', req.body, 'The arrangement request does not match the schema.');
    const a = await deps.arrangements.accept(body, caller(res));
    res.status(201).location(`/v1/arrangements/${encodeURIComponent(a.arrangementId)}`).json(a);
  });

  r.post('/v1/arrangements/:id/payments', decide, ...jsonBody(deps.bodyLimit), async (req, res) => {
    query(req, []);
    const body = checkInput<PaymentReport>('paymentReport', req.body, 'The payment does not match the schema.');
    res.json(await deps.arrangements.reportPayment(String(req.params.id), body, caller(res)));
  });

  r.get('/v1/arrangements/:id', decide, async (req, res) => {
    const asOf = date(query(req, ['asOf']), 'asOf');
    res.json(await deps.arrangements.get(String(req.params.id), asOf, caller(res)));
  });

  r.get('/v1/arrangements', decide, async (req, res) => {
    const q = query(req, ['loanId', 'asOf']);
    if (!q.loanId) throw new TideoverError('INVALID_BODY', 'loanId is required', [{ pointer: '/query/loanId', message: 'loanId is required' }]);
    res.json({ arrangements: await deps.arrangements.listByLoan(q.loanId, date(q, 'asOf')) });
  });
  return r;
}
