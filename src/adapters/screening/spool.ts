import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BookInput } from '../../app/screening-service.js';
import { TideoverError } from '../../app/errors.js';
import { readBook, type BookFormat } from './snapshot-reader.js';

/**
 * Receives a book into a temporary file, streamed (memory stays flat), hashing its bytes on the way, so the
 * run can be acknowledged with its input digest and screened afterwards. Larger than `maxBytes` is a 413.
 */
export async function spoolBook(body: Readable, format: BookFormat, maxBytes: number): Promise<BookInput> {
  const dir = await mkdtemp(join(tmpdir(), 'tideover-book-'));
  const file = join(dir, `book.${format}`);
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
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e instanceof TideoverError ? e : new TideoverError('INVALID_BODY', `The book could not be received: ${(e as Error).message}`);
  }
  let read = 0;
  return {
    format,
    sha256: hash.digest('hex'),
    bytes,
    records() {
      read = 0;
      const input = createReadStream(file);
      input.on('data', (c: Buffer | string) => void (read += c.length));
      return readBook(input, format);
    },
    bytesRead: () => read,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
