import type { Readable } from 'node:stream';
import { Router, type Request } from 'express';
import { TideoverError } from '../../../app/errors.js';
import { outreachQuery, tierFilter } from '../../../app/screening-queries.js';
import type { BookInput, ScreeningService } from '../../../app/screening-service.js';
import { requireRole, type Caller } from '../auth.js';
import type { BookFormat } from '../../screening/snapshot-reader.js';

/** The book's format from its Content-Type: NDJSON or CSV; anything else is a 415. */
function formatOf(req: Request): BookFormat {
  if (req.is('text/csv') || req.is('application/csv')) return 'csv';
  if (req.is('application/x-ndjson') || req.is('application/ndjson') || req.is('application/jsonl')) return 'ndjson';
  throw new TideoverError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/x-ndjson or text/csv, got ${JSON.stringify(req.headers['content-type'] ?? '(none)').slice(0, 80)}`);
}

/**
 * Book screening over HTTP (role `screen`): POST a book (streamed to a spool file kept until the run has
 * finished, then screened in the background) and follow the run; results stream as NDJSON; the outreach
 * queue lists loans to contact.
 */
export function screeningRoutes(deps: { screening: ScreeningService; maxBookBytes: number; receive: (body: Readable, format: BookFormat, maxBytes: number) => Promise<BookInput> }): Router {
  const r = Router();
  r.post('/v1/screenings', requireRole('screen'), async (req, res) => {
    const format = formatOf(req);
    const input = await deps.receive(req, format, deps.maxBookBytes);
    // The run is about to be created: from here the request timeout leaves the answer to this route. A timeout
    // that already fired (a slow upload or fsync) has told the client 503: no run may exist behind that answer.
    const admit = res.locals.admitRecord as (() => boolean) | undefined;
    if (admit && !admit()) {
      await input.dispose();
      throw new TideoverError('TIMEOUT', 'The request timed out before its screening run was created; no run was created: send the book again.');
    }
    const run = await deps.screening.start(input, (res.locals.caller as Caller | undefined)?.keyId ?? null);
    res.status(202).location(`/v1/screenings/${run.id}`).json(run);
  });
  r.get('/v1/screenings/:id', requireRole('screen'), async (req, res) => {
    res.json(await deps.screening.get(String(req.params.id)));
  });
  r.get('/v1/screenings/:id/results', requireRole('screen'), async (req, res) => {
    const tiers = tierFilter(req.query.tier);
    const lines = deps.screening.results(String(req.params.id), tiers);
    // The first page decides between a 404 (thrown before anything is sent) and a stream.
    const first = await lines.next();
    res.status(200).type('application/x-ndjson');
    if (!first.done) res.write(`${first.value}\n`);
    for await (const line of lines) if (!res.write(`${line}\n`)) await new Promise<void>((ok) => res.once('drain', ok));
    res.end();
  });
  r.get('/v1/outreach', requireRole('screen'), async (req, res) => {
    const { dueBy, limit, cursor } = outreachQuery(req.query);
    res.json({ dueBy, ...(await deps.screening.outreach(dueBy, limit, cursor)) });
  });
  return r;
}
