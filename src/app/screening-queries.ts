import { TideoverError } from '../core/errors.js';
import { isValidIsoDate } from '../core/money/dates.js';
import { TIERS } from '../core/screening/model.js';

// The query parameters of the screening routes, checked in the app so a bad one is a located 400.

/** `?tier=HIGH,critical` as tier names; an unknown one is a 400 naming the query parameter. */
export function tierFilter(q: unknown): string[] | undefined {
  if (q === undefined) return undefined;
  const names = String(q).split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const bad = names.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (bad.length || !names.length) throw new TideoverError('INVALID_BODY', `tier must be a comma-separated list of ${TIERS.join(', ')}.`, [{ pointer: '/query/tier', message: `unknown tier ${JSON.stringify(bad[0] ?? String(q)).slice(0, 80)}` }]);
  return names;
}

/** The outreach query: `dueBy` a date, `limit` 1..10000 (default 1000), an optional cursor. */
export function outreachQuery(q: Record<string, unknown>): { dueBy: string; limit: number; cursor?: string } {
  const dueBy = q.dueBy;
  if (typeof dueBy !== 'string' || !isValidIsoDate(dueBy)) throw new TideoverError('INVALID_BODY', 'dueBy must be a date YYYY-MM-DD.', [{ pointer: '/query/dueBy', message: `dueBy must be a date YYYY-MM-DD, got ${JSON.stringify(dueBy ?? null).slice(0, 40)}` }]);
  const raw = q.limit ?? '1000';
  const limit = Number(raw);
  if (typeof raw !== 'string' || !/^\d{1,5}$/.test(raw) || limit < 1 || limit > 10000) throw new TideoverError('INVALID_BODY', 'limit must be a whole number from 1 to 10000.', [{ pointer: '/query/limit', message: 'limit must be 1 to 10000' }]);
  return { dueBy, limit, ...(typeof q.cursor === 'string' ? { cursor: q.cursor } : {}) };
}
