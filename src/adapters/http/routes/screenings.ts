import { Router, type Request } from 'express';
import type { ScreeningService } from '../../../app/screening-service.js';
import { TideoverError } from '../../../core/errors.js';
import { isValidIsoDate } from '../../../core/money/dates.js';
import { TIERS } from '../../../core/screening/model.js';
import { requireRole, type Caller } from '../auth.js';
import { spoolBook } from '../../screening/spool.js';
import type { BookFormat } from '../../screening/snapshot-reader.js';

/** The book's format from its Content-Type: NDJSON or CSV; anything else is a 415. */
function formatOf(req: Request): BookFormat {
  if (req.is('text/csv') || req.is('application/csv')) return 'csv';
  if (req.is('application/x-ndjson') || req.is('application/ndjson') || req.is('application/jsonl')) return 'ndjson';
  throw new TideoverError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/x-ndjson or text/csv, got ${JSON.stringify(req.headers['content-type'] ?? '(none)').slice(0, 80)}`);
}

function tiersOf(q: unknown): string[] | undefined {
  if (q === undefined) return undefined;
  const names = String(q).split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const bad = names.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (bad.length || !names.length) throw new TideoverError('INVALID_BODY', `tier must be a comma-separated list of ${TIERS.join(', ')}.`, [{ pointer: '/query/tier', message: `unknown tier ${JSON.stringify(bad[0] ?? String(q)).slice(0, 80)}` }]);
  return names;
}

/**
 * Book screening over HTTP (role `screen`): POST a book (streamed to a spool file, then screened in the
 * background) and follow the run; results stream as NDJSON; the outreach queue lists loans to contact.
 */
export function screeningRoutes(deps: { screening: ScreeningService; maxBookBytes: number }): Router {
  const r = Router();
  r.post('/v1/screenings', requireRole('screen'), async (req, res) => {
    const format = formatOf(req);
    const input = await spoolBook(req, format, deps.maxBookBytes);
    const run = await deps.screening.start(input, (res.locals.caller as Caller | undefined)?.keyId ?? null);
    res.status(202).location(`/v1/screenings/${run.id}`).json(run);
  });
  r.get('/v1/screenings/:id', requireRole('screen'), async (req, res) => {
    res.json(await deps.screening.get(String(req.params.id)));
  });
  r.get('/v1/screenings/:id/results', requireRole('screen'), async (req, res) => {
    const tiers = tiersOf(req.query.tier);
    const lines = deps.screening.results(String(req.params.id), tiers);
    // The first page decides between a 404 (thrown before anything is sent) and a stream.
    const first = await lines.next();
    res.status(200).type('application/x-ndjson');
    if (!first.done) res.write(`${first.value}\n`);
    for await (const line of lines) if (!res.write(`${line}\n`)) await new Promise<void>((ok) => res.once('drain', ok));
    res.end();
  });
  r.get('/v1/outreach', requireRole('screen'), async (req, res) => {
    const dueBy = req.query.dueBy;
    if (typeof dueBy !== 'string' || !isValidIsoDate(dueBy)) throw new TideoverError('INVALID_BODY', 'dueBy must be a date YYYY-MM-DD.', [{ pointer: '/query/dueBy', message: `dueBy must be a date YYYY-MM-DD, got ${JSON.stringify(dueBy ?? null).slice(0, 40)}` }]);
    const limitRaw = req.query.limit ?? '1000';
    const limit = Number(limitRaw);
    if (!/^\d{1,5}$/.test(String(limitRaw)) || limit < 1 || limit > 10000) throw new TideoverError('INVALID_BODY', 'limit must be a whole number from 1 to 10000.', [{ pointer: '/query/limit', message: 'limit must be 1 to 10000' }]);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    res.json({ dueBy, ...(await deps.screening.outreach(dueBy, limit, cursor)) });
  });
  return r;
}
