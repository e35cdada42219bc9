// A/B of the whole service: this checkout's dist/ against another build (a copy made before a change, kept
// inside the checkout so node_modules, policies and schemas resolve, e.g. `cp -r dist .bench/dist-before`), alternating
// run by run so a machine whose speed drifts slows both alike. Each run: lib.mjs WARM_UP_SECONDS of warm-up,
// then `seconds` of the corpus load (50 connections), or with --paced=<rate> an open loop at that rate
// (load.mjs's paced mode, latency from when each request was due). Prints one JSON line per run, then each build's medians.
//   node scripts/bench/experiments/service-ab.mjs <other dist dir> [seconds, default 8] [rounds, default 3] ['<query, e.g. ?explain=full>'] [--paced=300]
import { resolve } from 'node:path';
import { alternate, corpusLoad, pacedArgument, root, service } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
const builds = [resolve(args[0] ?? ''), resolve(root, 'dist')];
await alternate(
  [['other', builds[0]], ['this', builds[1]]].map(([name, dist]) => [name, () => service({}, [], dist)]),
  { seconds: Number(args[1] ?? 8), rounds: Number(args[2] ?? 3), query: args[3] ?? '', load: corpusLoad(pacedAt) },
);
