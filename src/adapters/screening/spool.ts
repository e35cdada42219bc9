import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BookInput, BookSpool } from '../../app/screening-service.js';
import { BookUnreadable } from '../../app/screening-lease.js';
import { TideoverError } from '../../app/errors.js';
import type { StoredScreeningRun } from '../../ports/screening-store.js';
import { readBook, type BookFormat } from './snapshot-reader.js';

/** Streams `body` into `file`, hashing it on the way; larger than `maxBytes` is a 413 and leaves no file. */
async function receiveInto(body: Readable, file: string, maxBytes: number, durable: boolean): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(new TideoverError('BODY_TOO_LARGE', `The book is larger than ${maxBytes} bytes.`));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file));
    if (durable) await fsync(file);
  } catch (e) {
    await rm(file, { force: true });
    throw e instanceof TideoverError ? e : new TideoverError('INVALID_BODY', `The book could not be received: ${(e as Error).message}`);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Syncs a file (its bytes are on disk) or a folder (a rename in it is); a folder that cannot be synced on this platform is let be. */
async function fsync(path: string, folder = false): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    await fh.sync();
  } catch (e) {
    if (!folder) throw e;
  } finally {
    await fh?.close();
  }
}

/** A spooled file as a book readable from the start as many times as needed. */
function bookOf(file: () => string, format: BookFormat, sha256: string, bytes: number, dispose: () => Promise<void>): BookInput {
  let read = 0;
  return {
    format,
    sha256,
    bytes,
    records() {
      read = 0;
      const input = createReadStream(file());
      input.on('data', (c: Buffer | string) => void (read += c.length));
      return readBook(input, format);
    },
    bytesRead: () => read,
    dispose,
  };
}

/**
 * Receives a book into a temporary file, streamed (memory stays flat), hashing its bytes on the way, so the
 * run can be acknowledged with its input digest and screened afterwards. Larger than `maxBytes` is a 413.
 * The CLI's coordinator uses it; books accepted over HTTP go to a BookSpoolDir, which outlives the process.
 */
export async function spoolBook(body: Readable, format: BookFormat, maxBytes: number): Promise<BookInput> {
  const dir = await mkdtemp(join(tmpdir(), 'tideover-book-'));
  const file = join(dir, `book.${format}`);
  const got = await receiveInto(body, file, maxBytes, false).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  return bookOf(() => file, format, got.sha256, got.bytes, () => rm(dir, { recursive: true, force: true }));
}

/** An upload being received: `incoming-<16 hex>.<format>.book.part`. */
const INCOMING = /^incoming-[0-9a-f]{16}\.(ndjson|csv)\.book\.part$/;
/** A run's book: `<runId>.<format>.book`. */
const KEPT = /^(.+)\.(ndjson|csv)\.book$/;

/**
 * The spool folder of books accepted over HTTP (SCREENING_SPOOL_DIR; by default `screening-spool` beside
 * the SQLite file). A book arrives as `incoming-<random>.<format>.book.part`, is synced to disk, and is renamed
 * `<runId>.<format>.book` before its run is created; it is removed when the run finishes. Whoever resumes a run
 * reads it again from here: on the same machine after a restart, or from another machine when every
 * instance is given one shared folder. Files left by a crash are swept; the sweep touches only names the
 * service writes, so other files in the folder (an operator's own `book.csv`) are never removed.
 */
export class BookSpoolDir implements BookSpool {
  constructor(
    readonly dir: string,
    readonly host: string = hostname(),
  ) {}

  async receive(body: Readable, format: BookFormat, maxBytes: number): Promise<BookInput> {
    await mkdir(this.dir, { recursive: true });
    let file = join(this.dir, `incoming-${randomBytes(8).toString('hex')}.${format}.book.part`);
    const got = await receiveInto(body, file, maxBytes, true);
    const input = bookOf(() => file, format, got.sha256, got.bytes, () => rm(file, { force: true }));
    input.keep = async (runId) => {
      const name = `${runId}.${format}.book`;
      await rename(file, join(this.dir, name));
      file = join(this.dir, name);
      await fsync(this.dir, true);
      return { host: this.host, file: name };
    };
    return input;
  }

  async reopen(run: StoredScreeningRun): Promise<BookInput> {
    const ref = run.spool;
    if (!ref || basename(ref.file) !== ref.file || !KEPT.test(ref.file)) throw new BookUnreadable('The run has no spooled book this instance can read: resubmit the book.');
    const file = join(this.dir, ref.file);
    const size = await stat(file).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined)
      throw new BookUnreadable(
        ref.host === this.host
          ? `The run's book (${ref.file}) is no longer in this instance's spool folder, so the run cannot be screened again: resubmit the book.`
          : `The run's book was spooled on another instance (host "${ref.host}") and this instance (host "${this.host}") cannot read it, so the run cannot be screened again: resubmit the book (instances that share one SCREENING_SPOOL_DIR resume each other's runs).`,
      );
    const sha256 = size === run.inputBytes ? await hashOf(file) : undefined;
    if (sha256 !== run.inputSha256) throw new BookUnreadable(`The run's spooled book (${ref.file}) is not the book that was received (${size} bytes, sha256 differs): resubmit the book.`);
    return bookOf(() => file, run.format, sha256, size, () => rm(file, { force: true }));
  }

  async has(run: StoredScreeningRun): Promise<boolean> {
    const ref = run.spool;
    if (!ref || basename(ref.file) !== ref.file) return false;
    return stat(join(this.dir, ref.file)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async remove(run: StoredScreeningRun): Promise<void> {
    if (run.spool && basename(run.spool.file) === run.spool.file) await rm(join(this.dir, run.spool.file), { force: true });
  }

  /**
   * Removes what no run will read: books of finished runs (finished on another instance, or whose removal a
   * crash interrupted), and uploads or books without a run older than `graceMs` (a crash between receiving
   * a book and creating its run). Only names the service writes are looked at (`incoming-<hex>.<format>.book.part`,
   * `<runId>.<format>.book`). Returns how many files went.
   */
  async sweep(runOf: (runId: string) => Promise<Pick<StoredScreeningRun, 'status' | 'spool'> | undefined>, nowMs: number, graceMs = 3600_000): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const incoming = INCOMING.test(name);
      const kept = incoming ? undefined : KEPT.exec(name);
      if (!incoming && !kept) continue;
      const run = kept ? await runOf(kept[1]!) : undefined;
      const finished = run?.status === 'SUCCEEDED' || run?.status === 'FAILED';
      const remove = finished || (run === undefined && (await this.olderThan(name, nowMs - graceMs)));
      if (remove) {
        await rm(join(this.dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private olderThan(name: string, beforeMs: number): Promise<boolean> {
    return stat(join(this.dir, name)).then(
      (s) => s.isFile() && s.mtimeMs < beforeMs,
      () => false,
    );
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
