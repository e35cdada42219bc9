// Driver-independent AuditStore: validation, group commit, cursors, verify and purge. Drivers only speak SQL.
import {
  AuditStoreError,
  type AppendResult,
  type AuditRecord,
  type AuditRecordInput,
  type AuditStore,
  type AuditStoreStats,
  type ChainLink,
  type DecisionPage,
  type DecisionQuery,
  type PolicySnapshot,
  type PurgeCheckpoint,
  type PurgeResult,
  type VerifyResult,
} from '../../ports/audit-store.js';
import {
  GENESIS,
  checkpointSignatureValid,
  prepareRecord,
  sealRecord,
  signCheckpoint,
  toStoredRow,
  utcInstant,
  verifyRecords,
  type PreparedRecord,
  type StoredRow,
} from './chain.js';
import { GroupCommit, type Settled } from './group-commit.js';

export interface PreparedAppend {
  record: PreparedRecord;
  snapshot: PolicySnapshot;
}

/** Filters on indexed columns; from/to are UTC instants from utcInstant(). */
export interface RowFilter {
  applicationId?: string;
  borrowerIdHash?: string;
  from?: string;
  to?: string;
  option?: string;
  decision?: string;
}

export interface StoreDriver {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * In ONE transaction that excludes every other writer of the chain: read the head, look up the batch's
   * idempotency keys and decision ids, apply planBatch, insert its rows and snapshots, move the head.
   */
  appendBatch(items: PreparedAppend[]): Promise<Settled<AppendResult>[]>;
  bodyById(decisionId: string): Promise<string | undefined>;
  bodyByIdempotencyKey(key: string): Promise<string | undefined>;
  /** Bodies with seq > afterSeq matching the filter, ascending seq. */
  bodies(filter: RowFilter, afterSeq: number, limit: number): Promise<{ seq: number; body: string }[]>;
  /** Stored rows (body and index columns) with afterSeq < seq <= uptoSeq, ascending seq. */
  rows(afterSeq: number, uptoSeq: number, limit: number): Promise<StoredRow[]>;
  policySnapshot(sha256: string): Promise<PolicySnapshot | undefined>;
  head(): Promise<ChainLink>;
  latestCheckpoint(): Promise<PurgeCheckpoint | undefined>;
  /** Highest seq such that it and every record before it were decided before `before` (0 if none). */
  purgeBoundary(before: string): Promise<number>;
  /** Deletes seq <= checkpoint.lastSeq and stores the checkpoint, unless the latest checkpoint moved past anchorSeq. */
  deletePrefix(checkpoint: PurgeCheckpoint, anchorSeq: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BatchLookup {
  /** Already stored records by idempotency key. */
  byKey: Map<string, AuditRecord>;
  /** Already stored decision ids. */
  ids: Set<string>;
}

export interface BatchPlan {
  results: Settled<AppendResult>[];
  rows: StoredRow[];
  snapshots: PolicySnapshot[];
  head: ChainLink;
}

/** Seals the batch onto `head`; keys already stored, or seen earlier in the batch, resolve to the original. */
export function planBatch(items: PreparedAppend[], head: ChainLink, found: BatchLookup): BatchPlan {
  const byKey = new Map(found.byKey);
  const ids = new Set(found.ids);
  const snapshots = new Map<string, PolicySnapshot>();
  const rows: StoredRow[] = [];
  let link = head;
  const results = items.map(({ record: prepared, snapshot }): Settled<AppendResult> => {
    const key = prepared.idempotencyKey;
    const original = key === undefined ? undefined : byKey.get(key);
    if (original) return { ok: true, value: { record: original, existing: true } };
    if (ids.has(prepared.decisionId)) {
      return { ok: false, error: new AuditStoreError('conflict', `decision ${prepared.decisionId} is already recorded`) };
    }
    const record = sealRecord(prepared, link);
    link = { seq: record.seq, hash: record.hash };
    ids.add(record.decisionId);
    if (key !== undefined) byKey.set(key, record);
    snapshots.set(snapshot.sha256, snapshot);
    rows.push(toStoredRow(record));
    return { ok: true, value: { record, existing: false } };
  });
  return { results, rows, snapshots: [...snapshots.values()], head: link };
}

export interface StoreOptions {
  /** Clock for purge checkpoints. */
  now?: () => Date;
  /** Most appends committed in one transaction. */
  maxBatch?: number;
}

const PAGE = 500;
const MAX_LIMIT = 1000;

export class ChainedAuditStore implements AuditStore {
  readonly kind: 'sqlite' | 'postgres';
  private readonly commit: GroupCommit<PreparedAppend, AppendResult>;
  private readonly now: () => Date;
  private closing: Promise<void> | undefined;
  private appends = 0;
  private existing = 0;

  constructor(
    private readonly driver: StoreDriver,
    options: StoreOptions = {},
  ) {
    this.kind = driver.kind;
    this.now = options.now ?? (() => new Date());
    this.commit = new GroupCommit(
      (items) => driver.appendBatch(items),
      (err) => new AuditStoreError('unavailable', `audit write failed: ${(err as Error).message}`, { cause: err }),
      options.maxBatch,
    );
  }

  async append(rec: AuditRecordInput, snapshot: PolicySnapshot): Promise<AppendResult> {
    this.assertOpen();
    const record = prepareRecord(rec);
    const { policy } = record;
    if (
      snapshot.sha256 !== policy.sha256 ||
      snapshot.policyId !== policy.id ||
      snapshot.version !== policy.version ||
      typeof snapshot.source !== 'string'
    ) {
      throw new AuditStoreError('invalid', `policy snapshot ${snapshot.sha256} does not match the record's policy`);
    }
    this.appends++;
    const result = await this.commit.submit({ record, snapshot });
    if (result.existing) this.existing++;
    return result;
  }

  get(decisionId: string): Promise<AuditRecord | undefined> {
    return this.read(async () => parse(await this.driver.bodyById(decisionId)));
  }

  findByIdempotencyKey(key: string): Promise<AuditRecord | undefined> {
    return this.read(async () => parse(await this.driver.bodyByIdempotencyKey(key)));
  }

  async list(q: DecisionQuery): Promise<DecisionPage> {
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT) {
      throw new AuditStoreError('invalid', `limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    const afterSeq = q.cursor === undefined ? 0 : decodeCursor(q.cursor);
    const filter = rowFilter(q);
    return this.read(async () => {
      const rows = await this.driver.bodies(filter, afterSeq, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const records = page.map((r) => JSON.parse(r.body) as AuditRecord);
      return rows.length > q.limit && last ? { records, nextCursor: encodeCursor(last.seq) } : { records };
    });
  }

  async *export(range: { from?: string; to?: string }): AsyncIterable<AuditRecord> {
    const filter = rowFilter(range);
    let afterSeq = 0;
    for (;;) {
      const rows = await this.read(() => this.driver.bodies(filter, afterSeq, PAGE));
      for (const row of rows) yield JSON.parse(row.body) as AuditRecord;
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) return;
      afterSeq = last.seq;
    }
  }

  policySnapshot(sha256: string): Promise<PolicySnapshot | undefined> {
    return this.read(() => this.driver.policySnapshot(sha256));
  }

  verify(signingKey?: Buffer): Promise<VerifyResult> {
    return this.read(async () => {
      const checkpoint = await this.driver.latestCheckpoint();
      const head = await this.driver.head();
      const summary = checkpoint && {
        lastSeq: checkpoint.lastSeq,
        purgedBefore: checkpoint.purgedBefore,
        signatureChecked: signingKey !== undefined,
      };
      if (checkpoint && signingKey && !checkpointSignatureValid(checkpoint, signingKey)) {
        const reason = `purge checkpoint at seq ${checkpoint.lastSeq} has an invalid signature`;
        return { ok: false, records: 0, reason, checkpoint: summary };
      }
      const anchor = checkpoint ? { seq: checkpoint.lastSeq, hash: checkpoint.lastHash } : GENESIS;
      const { last, ...check } = await verifyRecords(this.scan(head.seq), anchor, head);
      return { ...check, ...(check.ok ? { head: last } : {}), ...(summary ? { checkpoint: summary } : {}) };
    });
  }

  async purge(before: string, signingKey: Buffer): Promise<PurgeResult> {
    const purgedBefore = utcInstant(before, 'before');
    return this.read(async () => {
      const previous = await this.driver.latestCheckpoint();
      const anchor = previous ? { seq: previous.lastSeq, hash: previous.lastHash } : GENESIS;
      const lastSeq = await this.driver.purgeBoundary(purgedBefore);
      if (lastSeq <= anchor.seq) return { purged: 0 };
      // Deleting a tampered segment would destroy the evidence, so the segment must verify first.
      const check = await verifyRecords(this.scan(lastSeq), anchor);
      if (!check.ok || check.last.seq !== lastSeq) {
        const at = check.firstBrokenId ?? `seq ${check.last.seq + 1}`;
        throw new AuditStoreError('conflict', `refusing to purge: audit chain is broken at ${at}: ${check.reason ?? 'records missing'}`);
      }
      const checkpoint = signCheckpoint(
        { purgedBefore, lastSeq, lastHash: check.last.hash, count: lastSeq - anchor.seq, at: this.now().toISOString() },
        signingKey,
      );
      const purged = await this.driver.deletePrefix(checkpoint, anchor.seq);
      return { purged, checkpoint };
    });
  }

  ping(): Promise<void> {
    return this.read(() => this.driver.ping());
  }

  stats(): AuditStoreStats {
    return { appends: this.appends, existing: this.existing, ...this.commit.stats };
  }

  close(): Promise<void> {
    this.closing ??= this.commit.drain().then(() => this.driver.close());
    return this.closing;
  }

  private async *scan(uptoSeq: number): AsyncIterable<StoredRow> {
    // Start below any plausible seq so rows moved to a low or negative seq by tampering are still seen.
    let afterSeq = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = await this.driver.rows(afterSeq, uptoSeq, PAGE);
      yield* rows;
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) return;
      afterSeq = last.seq;
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new AuditStoreError('closed', 'audit store is closed');
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AuditStoreError) throw err;
      throw new AuditStoreError('unavailable', `audit store failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function parse(body: string | undefined): AuditRecord | undefined {
  return body === undefined ? undefined : (JSON.parse(body) as AuditRecord);
}

function rowFilter(q: Omit<RowFilter, 'from' | 'to'> & { from?: string; to?: string }): RowFilter {
  const filter: RowFilter = {};
  if (q.applicationId !== undefined) filter.applicationId = q.applicationId;
  if (q.borrowerIdHash !== undefined) filter.borrowerIdHash = q.borrowerIdHash;
  if (q.from !== undefined) filter.from = utcInstant(q.from, 'from');
  if (q.to !== undefined) filter.to = utcInstant(q.to, 'to');
  if (q.option !== undefined) filter.option = q.option;
  if (q.decision !== undefined) filter.decision = q.decision;
  return filter;
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new AuditStoreError('invalid', 'cursor is not one this service issued');
  return Number(match[1]);
}
