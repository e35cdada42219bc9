import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import snapshotSchema from '../../../schemas/loan-snapshot.schema.json' with { type: 'json' };
import type { RawRecord } from '../../app/screening-run.js';

export type BookFormat = 'ndjson' | 'csv';

/** The format of a book from its file name or content type; NDJSON unless it says CSV. */
export function bookFormat(nameOrType: string | undefined): BookFormat {
  return /(\.csv$|text\/csv|application\/csv)/i.test(nameOrType ?? '') ? 'csv' : 'ndjson';
}

type FieldType = 'integer' | 'boolean' | 'string';
const typeOf = (p: { type?: string }): FieldType => (p.type === 'integer' ? 'integer' : p.type === 'boolean' ? 'boolean' : 'string');
const TOP: Record<string, FieldType> = Object.fromEntries(Object.entries(snapshotSchema.properties).filter(([k]) => k !== 'signals').map(([k, p]) => [k, typeOf(p as { type?: string })]));
const SIGNALS: Record<string, FieldType> = Object.fromEntries(Object.entries(snapshotSchema.properties.signals.properties).map(([k, p]) => [k, typeOf(p as { type?: string })]));

/** A CSV cell as the JSON value the schema expects; anything that is not clean stays a string, so the schema names it. */
function cell(raw: string, type: FieldType): unknown {
  if (type === 'integer' && /^-?\d{1,15}$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/**
 * A CSV row as a snapshot object: columns carry the snapshot's field names, signals as `signals.<name>`
 * or the bare signal name; an empty cell is an absent field (an unknown signal).
 */
export function csvRowToSnapshot(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { signals: {} };
  const signals = out.signals as Record<string, unknown>;
  for (const [col, raw] of Object.entries(row)) {
    if (raw === '' || raw === undefined) continue;
    const name = col.startsWith('signals.') ? col.slice(8) : col;
    if (!col.startsWith('signals.') && TOP[name]) out[name] = cell(raw, TOP[name]);
    else if (SIGNALS[name]) signals[name] = cell(raw, SIGNALS[name]);
    else out[col] = raw; // unknown column: the schema reports it by name
  }
  return out;
}

/** NDJSON lines as raw records, one at a time (blank lines skipped); a line that is not JSON is an error record. */
async function* ndjson(input: Readable): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (e) {
      yield { line, errors: [{ field: '', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
}

/** CSV rows (header first) as raw records, streamed by csv-parse; a malformed row is an error record and the run goes on. */
async function* csv(input: Readable): AsyncGenerator<RawRecord> {
  const parser = input.pipe(parse({ columns: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: false, skip_records_with_error: true, info: true }));
  const skipped: RawRecord[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? 0, errors: [{ field: '', message: err.message }] }));
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    // The parser runs ahead of this loop: a skip it reported may belong after records still queued.
    while (skipped.length && skipped[0]!.line < rec.info.lines) yield skipped.shift()!;
    yield { line: rec.info.lines, value: csvRowToSnapshot(rec.record) };
  }
  while (skipped.length) yield skipped.shift()!;
}

/** A book as raw records with their line numbers, streamed: memory stays flat whatever the size. */
export function readBook(input: Readable, format: BookFormat): AsyncGenerator<RawRecord> {
  return format === 'csv' ? csv(input) : ndjson(input);
}
