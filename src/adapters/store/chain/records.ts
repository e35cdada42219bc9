// Hash chain shared by every driver; the algorithm is specified in docs/audit-hash-chain.md.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  AuditStoreError,
  type AuditRecord,
  type AuditRecordInput,
  type ChainLink,
  type PurgeCheckpoint,
} from '../../../ports/audit-store.js';
import { isDateOrInstant } from '../../../core/money/dates.js';
import { sha256Hex } from '../../../app/sha256.js';
import { canonicalForm as formOf, NotJsonError, type CanonicalForm } from '../../../core/canonical-json.js';

export const GENESIS: ChainLink = { seq: 0, hash: '0'.repeat(64) };

/** An AuditRecordInput reduced to the documented fields and JSON-normalized, ready to be sealed. */
export type PreparedRecord = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

export type { CanonicalForm };

/** The canonical form of a value a record holds; a value JSON cannot carry makes the record invalid. */
export function canonicalForm(value: unknown): CanonicalForm {
  try {
    return formOf(value);
  } catch (err) {
    throw err instanceof NotJsonError ? new AuditStoreError('invalid', err.message) : err;
  }
}

export function canonicalJson(value: unknown): string {
  return canonicalForm(value).text;
}

/** Canonical JSON of an object whose members are already canonical fragments (keys are sorted here). */
function assemble(fragments: Record<string, string>): string {
  const keys = Object.keys(fragments).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${fragments[keys[i]!]}`;
  return `${out}}`;
}

/**
 * Each prepared record's members as canonical fragments, so sealing and storing never re-serialize it: kept
 * on the record itself (a property JSON and spreads do not see), not in a WeakMap, whose entries outlive
 * V8's scavenges and had each record's text promoted to the old generation.
 */
const FRAGMENTS = Symbol('canonical fragments');

function keep<T extends object>(on: T, key: symbol, value: unknown): void {
  Object.defineProperty(on, key, { value });
}

const fragmentsOf = (prepared: PreparedRecord): Record<string, string> | undefined => (prepared as { [FRAGMENTS]?: Record<string, string> })[FRAGMENTS];

/**
 * The hash an idempotent request is remembered by: sha256 of the body's canonical JSON, the trail's own
 * serialisation, so a body the trail can hold always has one (a lone surrogate included).
 */
export function requestHash(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** Normalises an ISO date (UTC midnight) or date-time with offset to a UTC instant in ms (sortable as text). */
export function utcInstant(value: string, field: string): string {
  return new Date(instantMs(value, field)).toISOString();
}

function instantMs(value: string, field: string): number {
  const ms = typeof value === 'string' && isDateOrInstant(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new AuditStoreError('invalid', `${field} must be an ISO date or a date-time with offset: ${value}`);
  return ms;
}

const MEMBERS = [
  'decisionId', 'decidedAt', 'applicationId', 'borrowerIdHash', 'callerKeyId', 'policy', 'versions',
  'application', 'decision', 'outcomes', 'idempotencyKey', 'requestHash', 'challenger',
] as const satisfies readonly (keyof PreparedRecord)[];
// A member left out of MEMBERS would silently be left out of every record.
const _everyMember: Exclude<keyof PreparedRecord, (typeof MEMBERS)[number]> extends never ? true : never = true;

/**
 * Keeps only the documented fields, normalised as their canonical JSON reads back (canonicalForm), so the
 * record that gets hashed is exactly the record that get() later parses back (no undefined, Dates or class
 * instances).
 */
export function prepareRecord(input: AuditRecordInput): PreparedRecord {
  instantMs(input.decidedAt, 'decidedAt');
  const picked: PreparedRecord = {
    decisionId: input.decisionId,
    decidedAt: input.decidedAt,
    applicationId: input.applicationId,
    borrowerIdHash: input.borrowerIdHash,
    callerKeyId: input.callerKeyId ?? null,
    policy: { id: input.policy.id, version: input.policy.version, sha256: input.policy.sha256 },
    versions: { tideover: input.versions.tideover, jsonRulesEngine: input.versions.jsonRulesEngine },
    application: input.application,
    decision: input.decision,
    outcomes: input.outcomes.map((o) => ({ option: o.option, decision: o.decision })),
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    challenger: input.challenger,
  };
  const fragments: Record<string, string> = {};
  const normalized: Record<string, unknown> = {};
  for (const key of MEMBERS) {
    const value = picked[key];
    if (value === undefined) continue;
    const form = canonicalForm(value);
    fragments[key] = form.text;
    normalized[key] = form.value;
  }
  for (const key of ['decisionId', 'decidedAt', 'applicationId', 'borrowerIdHash'] as const) {
    if (typeof normalized[key] !== 'string' || normalized[key] === '') {
      throw new AuditStoreError('invalid', `audit record needs a non-empty ${key}`);
    }
  }
  const prepared = normalized as PreparedRecord;
  keep(prepared, FRAGMENTS, fragments);
  return prepared;
}

/** The canonical member fragments of a prepared record, to seal it in another thread. */
export function fragmentsOfPrepared(prepared: PreparedRecord): Record<string, string> {
  const fragments = fragmentsOf(prepared);
  if (!fragments) throw new Error('record was not made by prepareRecord');
  return fragments;
}

/** Fields that sealing and indexing read; a record rebuilt from fragments parses only these. */
const INDEXED = ['decisionId', 'decidedAt', 'applicationId', 'borrowerIdHash', 'idempotencyKey', 'outcomes'] as const;

/**
 * A prepared record rebuilt from its fragments (in the writer thread): it seals and stores exactly as the
 * original would, but holds only the indexed fields, so large members are never parsed there.
 */
export function preparedFromFragments(fragments: Record<string, string>): PreparedRecord {
  const partial: Record<string, unknown> = {};
  for (const key of INDEXED) if (fragments[key] !== undefined) partial[key] = JSON.parse(fragments[key]);
  const prepared = partial as PreparedRecord;
  keep(prepared, FRAGMENTS, fragments);
  return prepared;
}

export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...withoutHash } = record;
  return sha256Hex(canonicalJson(withoutHash));
}

/** The body a driver stores for each sealed record: its canonical JSON, assembled from cached fragments (kept as FRAGMENTS are). */
const BODY = Symbol('canonical body');

export function sealRecord(prepared: PreparedRecord, previous: ChainLink): AuditRecord {
  const unsealed = { ...prepared, seq: previous.seq + 1, prevHash: previous.hash };
  const cached = fragmentsOf(prepared);
  if (!cached) return { ...unsealed, hash: hashRecord(unsealed) };
  const fragments = { ...cached, seq: String(unsealed.seq), prevHash: JSON.stringify(unsealed.prevHash) };
  const hash = sha256Hex(assemble(fragments));
  const record = { ...unsealed, hash };
  keep(record, BODY, assemble({ ...fragments, hash: JSON.stringify(hash) }));
  return record;
}

/** What a driver stores per record: the canonical JSON body plus the columns it indexes for queries. */
export interface StoredRow {
  seq: number;
  decisionId: string;
  decidedAt: string;
  applicationId: string;
  borrowerIdHash: string;
  idempotencyKey: string | null;
  outcomes: { option: string; decision: string }[];
  body: string;
}

export type IndexColumns = Omit<StoredRow, 'body'>;

export function indexColumns(record: AuditRecord): IndexColumns {
  return {
    seq: record.seq,
    decisionId: record.decisionId,
    decidedAt: utcInstant(record.decidedAt, 'decidedAt'),
    applicationId: record.applicationId,
    borrowerIdHash: record.borrowerIdHash,
    idempotencyKey: record.idempotencyKey ?? null,
    outcomes: record.outcomes,
  };
}

export function toStoredRow(record: AuditRecord): StoredRow {
  return { ...indexColumns(record), body: (record as { [BODY]?: string })[BODY] ?? canonicalJson(record) };
}

function indexFingerprint(row: IndexColumns): string {
  const outcomes = row.outcomes.map((o) => `${o.option}\u0000${o.decision}`).sort();
  return canonicalJson({ ...row, outcomes });
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  firstBrokenId?: string;
  reason?: string;
  /** Last link that verified (the anchor when none did). */
  last: ChainLink;
}

/**
 * Walks rows in stored seq order from `anchor` (genesis or a purge checkpoint). Catches edited records (hash
 * mismatch), deleted or reordered ones (seq or prevHash mismatch), index columns that disagree with the hashed
 * body (which would hide records from filters) and, given `head`, truncated tails.
 */
export async function verifyRecords(
  rows: AsyncIterable<StoredRow> | Iterable<StoredRow>,
  anchor: ChainLink,
  head?: ChainLink,
): Promise<ChainCheck> {
  let last = anchor;
  let records = 0;
  const broken = (decisionId: string | undefined, reason: string): ChainCheck => ({
    ok: false,
    records,
    ...(decisionId === undefined ? {} : { firstBrokenId: decisionId }),
    reason,
    last,
  });
  for await (const row of rows) {
    let record: AuditRecord;
    try {
      record = JSON.parse(row.body) as AuditRecord;
    } catch {
      return broken(row.decisionId, `record at seq ${row.seq} is not valid JSON`);
    }
    const id = typeof record?.decisionId === 'string' ? record.decisionId : row.decisionId;
    let problem: string | undefined;
    try {
      problem = linkProblem(record, row, last);
    } catch (err) {
      problem = `record ${id} is unreadable: ${(err as Error).message}`;
    }
    if (problem) return broken(id, problem);
    records++;
    last = { seq: record.seq, hash: record.hash };
  }
  if (head && (last.seq !== head.seq || last.hash !== head.hash)) {
    return broken(undefined, `chain ends at seq ${last.seq} but the head is seq ${head.seq}: trailing records missing or altered`);
  }
  return { ok: true, records, last };
}

function linkProblem(record: AuditRecord, row: StoredRow, last: ChainLink): string | undefined {
  const id = record.decisionId;
  if (hashRecord(record) !== record.hash) return `record ${id} was altered: its hash does not match`;
  if (record.seq !== last.seq + 1) {
    return `expected seq ${last.seq + 1} but found record ${id} with seq ${record.seq} (deleted or reordered)`;
  }
  if (record.prevHash !== last.hash) return `record ${id} does not link to the hash of seq ${last.seq}`;
  const { body: _body, ...columns } = row;
  if (indexFingerprint(columns) !== indexFingerprint(indexColumns(record))) {
    return `indexed columns of record ${id} (stored at seq ${row.seq}) differ from its hashed content`;
  }
  return undefined;
}

type CheckpointBody = Omit<PurgeCheckpoint, 'signature'>;

function checkpointMac(body: CheckpointBody, key: Buffer): string {
  const { purgedBefore, lastSeq, lastHash, count, at } = body;
  return createHmac('sha256', key).update(canonicalJson({ purgedBefore, lastSeq, lastHash, count, at }), 'utf8').digest('hex');
}

export function signCheckpoint(body: CheckpointBody, key: Buffer): PurgeCheckpoint {
  return { ...body, signature: checkpointMac(body, key) };
}

export function checkpointSignatureValid(checkpoint: PurgeCheckpoint, key: Buffer): boolean {
  const expected = Buffer.from(checkpointMac(checkpoint, key), 'hex');
  const actual = Buffer.from(checkpoint.signature, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
