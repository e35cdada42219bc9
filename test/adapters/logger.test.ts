import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/adapters/log/logger.js';

/** The lines a logger wrote, parsed. */
async function lines(write: (log: ReturnType<typeof createLogger>) => void): Promise<Record<string, unknown>[]> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const log = createLogger('info', stream);
  write(log);
  await new Promise((ok) => setImmediate(ok));
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the JSON log line', () => {
  it('is one JSON object per line with level, message, service, timestamp and the meta', async () => {
    const [line] = await lines((log) => log.info('request', { requestId: 'r-1', status: 200, ms: 1.5 }));
    expect(line).toEqual({ level: 'info', message: 'request', service: 'tideover', requestId: 'r-1', status: 200, ms: 1.5, timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
  });

  it('writes a bigint as its digits in a string and a cycle as [Circular], where JSON.stringify would throw', async () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const [big, circular] = await lines((log) => {
      log.info('amount', { cents: 12345678901234567890n });
      log.info('cycle', { cycle });
    });
    expect(big).toMatchObject({ message: 'amount', cents: '12345678901234567890' });
    expect(circular).toMatchObject({ message: 'cycle', cycle: { name: 'loop', self: '[Circular]' } });
  });

  it('drops what is below its level', async () => {
    const written = await lines((log) => {
      log.debug('hidden');
      log.warn('shown');
    });
    expect(written.map((l) => l.message)).toEqual(['shown']);
  });
});
