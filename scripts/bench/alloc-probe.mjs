// Preloaded (`node --import`) into a server started with lib.mjs' allocationFlags (alloc.mjs, experiments/
// alloc-floor.mjs): on SIGUSR2 it writes the JS heap in use
// and the number of garbage collections so far to stderr, so the benchmark can read bytes allocated between two
// signals when no collection ran in between.
import { PerformanceObserver } from 'node:perf_hooks';

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => process.stderr.write(`alloc-probe ${JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, gcs })}\n`));
