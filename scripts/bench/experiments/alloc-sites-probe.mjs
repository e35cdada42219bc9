// Preloaded by alloc-sites.mjs: the first SIGUSR2 starts V8's sampling heap profiler keeping what collections
// free (with ALLOC_SITES_SURVIVORS=1, only what major collections free: what outlived a scavenge), the second
// writes the profile to $ALLOC_SITES_OUT and says so on stderr.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
let on = false;
process.on('SIGUSR2', async () => {
  if (!on) {
    on = true;
    await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.ALLOC_SITES_SURVIVORS !== '1' });
    process.stderr.write('alloc-sites started\n');
  } else {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(process.env.ALLOC_SITES_OUT, JSON.stringify(profile));
    process.stderr.write('alloc-sites written\n');
  }
});
