// The service under different node flags, alternating run by run (a flag's A/B on a shared machine): each run
// a fresh service, lib.mjs WARM_UP_SECONDS of warm-up, then `seconds` of the corpus load (50 connections), or
// with --paced=<rate> an open loop at that rate. Prints one line per run, then each variant's medians.
//   node scripts/bench/experiments/flags-ab.mjs '<[[name, [flags…]], …] as JSON>' [rounds, default 3] [seconds, default 10] [--paced=300]
// e.g. `node scripts/bench/experiments/flags-ab.mjs '[["pool4",["--v8-pool-size=4"]],["pool1",["--v8-pool-size=1"]]]' 6 10 --paced=300`
// Every variant runs with npm start's flags first (lib.mjs's serviceFlags), so a variant's flag overrides a shipped
// one: name the baseline's value explicitly (V8's own default pool is 4) rather than an empty list.
import { alternate, corpusLoad, pacedArgument, service } from '../lib.mjs';

const { pacedAt, args } = pacedArgument();
await alternate(
  JSON.parse(args[0]).map(([name, flags]) => [name, () => service({}, flags)]),
  { rounds: Number(args[1] ?? 3), seconds: Number(args[2] ?? 10), load: corpusLoad(pacedAt) },
);
