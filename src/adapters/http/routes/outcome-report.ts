import { Router } from 'express';
import { dateParam } from '../../../app/arrangements.js';
import { TideoverError, type FieldProblem } from '../../../app/errors.js';
import { outcomeReport, outcomeReportCsv } from '../../../app/outcome-report.js';
import type { ArrangementStore } from '../../../ports/arrangement-store.js';
import type { AuditStore } from '../../../ports/audit-store.js';
import type { Clock } from '../../../ports/clock.js';
import { requireRole } from '../auth.js';

/** GET /v1/reports/outcomes?from=&to= (role audit): JSON, or CSV with `Accept: text/csv` or `format=csv`. */
export function outcomeReportRoutes(deps: { audit: AuditStore; arrangements: ArrangementStore; clock: Clock }): Router {
  const r = Router();
  r.get('/v1/reports/outcomes', requireRole('audit'), async (req, res) => {
    const problems: FieldProblem[] = [];
    for (const k of Object.keys(req.query)) if (!['from', 'to', 'format'].includes(k)) problems.push({ pointer: `/query/${k.slice(0, 64)}`, message: 'unknown query parameter; use from, to, format' });
    const date = (k: 'from' | 'to'): string => {
      try {
        return dateParam(k, req.query[k], true)!;
      } catch (e) {
        problems.push(...(e as TideoverError).problems);
        return '';
      }
    };
    const from = date('from');
    const to = date('to');
    const format = req.query.format;
    if (format !== undefined && format !== 'csv' && format !== 'json') problems.push({ pointer: '/query/format', message: 'format must be csv or json' });
    if (problems.length) throw new TideoverError('INVALID_BODY', 'The report query is not valid.', problems);
    const report = await outcomeReport(deps, from, to);
    const wantsCsv = format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (wantsCsv) {
      res.type('text/csv').attachment(`outcomes-${from}-${to}.csv`).send(outcomeReportCsv(report.rows));
      return;
    }
    res.json(report);
  });
  return r;
}
