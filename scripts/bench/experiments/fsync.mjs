// How long this disk takes to make a write durable: fsync of a 4 KB write, `count` times (default 200), in a
// temporary file beside the trail's default place (./data). Prints the median, p90, p99 and maximum in ms.
//   node scripts/bench/experiments/fsync.mjs [count]
import { Buffer } from 'node:buffer';
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const count = Number(process.argv[2] ?? 200);
const dir = join(import.meta.dirname, '..', '..', '..', 'data');
mkdirSync(dir, { recursive: true });
const file = join(dir, `fsync-${process.pid}.tmp`);
const fd = openSync(file, 'w');
const page = Buffer.alloc(4096, 120);
const ms = [];
try {
  for (let i = 0; i < count; i++) {
    writeSync(fd, page, 0, page.length, (i % 16) * page.length);
    const t0 = performance.now();
    fsyncSync(fd);
    ms.push(performance.now() - t0);
  }
} finally {
  closeSync(fd);
  rmSync(file);
}
ms.sort((a, b) => a - b);
const at = (q) => Number(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(3));
process.stdout.write(`${JSON.stringify({ fsyncs: count, bytes: page.length, medianMs: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: Number(ms.at(-1).toFixed(3)) })}\n`);
