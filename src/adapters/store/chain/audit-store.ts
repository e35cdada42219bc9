// The AuditStore every backend shares, a hash chain over a StoreDriver: validation, group commit, cursors, verify and purge. Drivers only speak SQL.
import {
  AuditStoreError,
  EVENT_APPLICATION_PREFIX,
  type AppendResult,
  type AuditRecord,
  type AuditRecordInput,
  type AuditStore,
  type AuditStoreStats,
  type DecisionPage,
  type DecisionQuery,
  type PolicySnapshot,
  type PurgeResult,
  type VerifyResult,
} from '../../../ports/audit-store.js';
import {
  GENESIS,
  checkpointSignatureValid,
  prepareRecord,
  signCheckpoint,
  utcInstant,
  verifyRecords,
  type StoredRow,
} from './records.js';
import { GroupCommit } from './group-commit.js';
import type { PreparedAppend, RowFilter, StoreDriver, StoreOptions } from '../driver.js';

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
      const events = q.applicationId?.startsWith(EVENT_APPLICATION_PREFIX) ?? false;
      const records = page.map((r) => JSON.parse(r.body) as AuditRecord).filter((r) => events || !r.applicationId.startsWith(EVENT_APPLICATION_PREFIX));
      return rows.length > q.limit && last ? { records, nextCursor: encodeCursor(last.seq) } : { records };
    });
  }

  async *export(range: { from?: string; to?: string }): AsyncIterable<AuditRecord> {
    const filter = rowFilter(range);
    let afterSeq = 0;
    for (;;) {
      const rows = await this.read(() => this.driver.bodies(filter, afterSeq, PAGE));
      for (const row of rows) {
        const record = JSON.parse(row.body) as AuditRecord;
        if (!record.applicationId.startsWith(EVENT_APPLICATION_PREFIX)) yield record;
      }
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

  async purgePreview(before: string): Promise<{ purged: number }> {
    const purgedBefore = utcInstant(before, 'before');
    return this.read(async () => {
      const previous = await this.driver.latestCheckpoint();
      const lastSeq = await this.driver.purgeBoundary(purgedBefore);
      return { purged: Math.max(0, lastSeq - (previous ? previous.lastSeq : GENESIS.seq)) };
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
