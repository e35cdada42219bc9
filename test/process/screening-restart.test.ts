import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { call, dataDir, startService, TOKEN, type Answer, type Service } from '../helpers/service.js';

const started: Service[] = [];
afterAll(() => {
  for (const s of started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
});

const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A run's results as sent (bytes joined before decoding: a zh text may straddle two chunks). */
function resultsOf(port: number, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/v1/screenings/${id}/results`, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
}

/** POSTs a book as NDJSON (the JSON helper only sends JSON). */
function postBook(port: number, book: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/screenings', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-ndjson', 'Content-Length': Buffer.byteLength(book) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(book);
  });
}

async function finished(port: number, id: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await call(port, 'GET', `/v1/screenings/${id}`)).body;
    if (run?.status === 'SUCCEEDED' || run?.status === 'FAILED') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run?.status} after ${timeoutMs} ms`);
    await until(200);
  }
}

/**
 * The spool's files once it is empty. The book is removed just after the run is closed as SUCCEEDED
 * (a lease lost in between leaves it to the new owner), so a poll may see SUCCEEDED a moment before.
 */
async function spoolEmptied(spool: string, timeoutMs = 5000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let files = readdirSync(spool);
  while (files.length && Date.now() < deadline) {
    await until(50);
    files = readdirSync(spool);
  }
  return files;
}

/** A data folder whose keys file gives TOKEN the screen and audit roles (dataDir()'s has no screen role). */
function screeningDataDir(): { dir: string; keys: string } {
  const dir = dataDir();
  const keys = join(dir, 'screen-keys.yaml');
  writeFileSync(keys, `keys:\n  - id: tester\n    sha256: ${createHash('sha256').update(TOKEN).digest('hex')}\n    roles: [screen, audit]\n`);
  return { dir, keys };
}

const bookOf = (count: number, seed: number) => spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-book.mjs'), '--count', String(count), '--seed', String(seed), '--invalid', '5'], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;

/** Waits until the run has stored its first results; the book must take longer than that. */
async function midRun(port: number, id: string): Promise<any> {
  let run: any;
  do {
    await until(50);
    run = (await call(port, 'GET', `/v1/screenings/${id}`)).body;
  } while (run.progress.records === 0 && run.status !== 'SUCCEEDED');
  expect(run.status, 'the book must take longer to screen than the first results take to be stored').toBe('RUNNING');
  return run;
}

describe('a screening run accepted over HTTP survives the death of the service process', () => {
  it('SIGKILLed mid-run, the service started again on the same data resumes the run from its spooled book: SUCCEEDED, results identical to an uninterrupted run, one SCREENING_RUN record, the spool emptied', async () => {
    const { dir, keys } = screeningDataDir();
    const env = { API_KEYS_FILE: keys, SCREENING_LEASE_SECONDS: '2' };
    const book = bookOf(20000, 4242);
    const spool = join(dir, 'screening-spool');

    const first = await startService(dir, env);
    started.push(first);
    const accepted = await postBook(first.port, book);
    expect(accepted.status).toBe(202);
    const id: string = accepted.body.id;
    expect(existsSync(join(spool, `${id}.ndjson.book`))).toBe(true);
    // Killed once it has stored some results, well before the end.
    const before = await midRun(first.port, id);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(before.progress.fraction).toBeLessThan(0.5);
    expect(existsSync(join(spool, `${id}.ndjson.book`))).toBe(true);

    const second = await startService(dir, env);
    started.push(second);
    const resumed = await finished(second.port, id, 150_000);
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', attempts: 2, progress: { fraction: 1 } });
    expect(second.stdout.join('')).toContain('screening runs resumed from their spooled books');

    // The same book again, screened without interruption, is the reference.
    const again = await postBook(second.port, book);
    const single = await finished(second.port, again.body.id, 150_000);
    expect(single).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(resumed.summary).toEqual(single.summary);
    expect(resumed.summary).toMatchObject({ read: 20000, invalid: 5, screened: 19995 });
    const [got, want] = [await resultsOf(second.port, id), await resultsOf(second.port, again.body.id)];
    expect(got.split('\n').filter(Boolean)).toHaveLength(19995);
    if (got !== want) writeFileSync(join(dir, 'results-differ.txt'), `${got}\n----\n${want}`);
    expect(got === want, `results differ: ${join(dir, 'results-differ.txt')}`).toBe(true);

    const events = (await call(second.port, 'GET', '/v1/audit/events?type=SCREENING_RUN')).body.events as { seq: number; data: { runId: string; counts: unknown } }[];
    const ofRun = events.filter((e) => e.data.runId === id);
    expect(ofRun).toHaveLength(1);
    expect(ofRun[0]!.seq).toBe(resumed.auditSeq);
    expect(ofRun[0]!.data.counts).toEqual(events.find((e) => e.data.runId === again.body.id)!.data.counts);
    expect(await spoolEmptied(spool)).toEqual([]);

    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 400_000);

  it('SIGTERM mid-run exits 0 without waiting for the run and hands it back: the service started again resumes it at once, well within the 30 s lease', async () => {
    const { dir, keys } = screeningDataDir();
    const env = { API_KEYS_FILE: keys };
    const book = bookOf(8000, 77);
    const first = await startService(dir, env);
    started.push(first);
    const id: string = (await postBook(first.port, book)).body.id;
    await midRun(first.port, id);
    const signalled = Date.now();
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8000); // SHUTDOWN_TIMEOUT_MS: it did not run into the deadline

    const second = await startService(dir, env);
    const listening = Date.now();
    started.push(second);
    const resumed = await finished(second.port, id, 60_000);
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', attempts: 2, summary: { read: 8000, invalid: 5, screened: 7995 } });
    // Claimed as the service started, not once the lease ran out (30 s after the last heartbeat).
    expect(Date.parse(resumed.resumedAt) - listening).toBeLessThan(5000);
    expect(await spoolEmptied(join(dir, 'screening-spool'))).toEqual([]);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 200_000);
});
