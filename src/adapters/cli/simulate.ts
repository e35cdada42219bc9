import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { EvaluatorFactory } from '../../ports/evaluator.js';
import { evaluatorFactory } from '../../app/evaluators.js';
import { isDateOrInstant } from '../../app/input.js';
import { matchesPin, parsePolicyRef } from '../../app/policy-set.js';
import { formatSimulation } from '../../app/simulation-text.js';
import { ndjsonItems, simulate, type SimulationInput, type SimulationProgress, type SimulationReport, type SimulationSide } from '../../app/simulate.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import { formatProblem, type PolicyProblem } from '../../core/policy/problem.js';
import { loadConfig } from '../../config.js';
import { loadPolicyFiles } from '../policies/file-source.js';
import { openAuditStore } from '../store/open.js';
import { loadOnePolicy } from './policy-diff.js';
import { exitWith } from './program.js';

const USAGE = 'usage: tideover simulate --baseline <version|id@version|file> --candidate <file|version> (--applications <file.ndjson|-> | --from-audit --since <date>) [--json]';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * A policy given as `1.0.0` or `restructuring@1.0.0` is looked up among the versions under the policy
 * folder; anything else (or a version that names an existing file) is read as a policy file.
 */
export async function resolvePolicy(ref: string, policyDir: string): Promise<{ policy?: CompiledPolicy; problems: PolicyProblem[]; message?: string }> {
  const pin = parsePolicyRef(ref);
  if (!pin || (await isFile(ref))) return loadOnePolicy(ref);
  const { version } = pin;
  const files = await loadPolicyFiles([policyDir]);
  const found = files.policies.map((p) => p.policy).filter((p) => matchesPin(p, pin));
  const ids = [...new Set(found.map((p) => p.id))];
  if (found.length === 1) return { policy: found[0]!, problems: [] };
  const errors = files.problems.filter((p) => p.severity === 'error');
  if (ids.length > 1) return { problems: [], message: `${ref} is ambiguous in ${policyDir}: give one of ${ids.map((i) => `${i}@${version}`).join(', ')}` };
  const loaded = files.policies.map((p) => `${p.policy.id}@${p.policy.version}`);
  return { problems: errors, message: `no policy version ${ref} in ${policyDir}${loaded.length ? ` (loaded: ${loaded.join(', ')})` : ''}` };
}

async function* fileLines(path: string): AsyncGenerator<string> {
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  yield* createInterface({ input, crlfDelay: Infinity });
}

async function countLines(path: string): Promise<number | undefined> {
  if (path === '-') return undefined;
  let n = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
    if (buf.length) last = buf[buf.length - 1]!;
  }
  return last === 10 ? n : n + 1;
}

/** A one-line progress bar on stderr, redrawn at most every 100 ms; nothing when stderr is not a terminal. */
function progressBar(total: number | undefined): { update: (p: SimulationProgress) => void; done: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let finished = false;
  const started = performance.now();
  const draw = (p: SimulationProgress) => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? Math.round(p.read / elapsed) : 0;
    const counts = `${p.read.toLocaleString('en')} read, ${p.invalid} invalid, ${p.changedApplications} changed, ${rate}/s`;
    let bar = '';
    if (total) {
      const width = 30;
      const done = Math.min(width, Math.round((p.read / total) * width));
      bar = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${Math.min(100, Math.floor((100 * p.read) / total))}% `;
    }
    stream.write(`\r${bar}${counts}\x1b[K`);
  };
  return {
    update: (p) => {
      const now = performance.now();
      if (finished || now - last < 100) return;
      last = now;
      draw(p);
    },
    done: () => {
      if (!finished) stream.write('\r\x1b[K');
      finished = true;
    },
  };
}

export interface SimulateOptions {
  baseline: string;
  candidate: string;
  applications?: string;
  fromAudit?: boolean;
  since?: string;
  json?: boolean;
}

/** Usage errors commander cannot see (options that exclude or need each other); undefined when none. */
function usageProblem(values: SimulateOptions): string | undefined {
  if (!values.applications === !values.fromAudit) return 'give either --applications <file.ndjson> or --from-audit --since <date>';
  if (values.fromAudit && !values.since) return '--from-audit needs --since YYYY-MM-DD';
  if (values.since !== undefined && !values.fromAudit) return '--since only applies with --from-audit';
  if (values.since !== undefined && !isDateOrInstant(values.since))
    return `--since must be a date YYYY-MM-DD or a date-time with offset, got ${JSON.stringify(values.since)}`;
  return undefined;
}

/** Prints the report; a run where no input line was valid is a failure (exit 1), its bad lines named on stderr. */
function finish(report: SimulationReport, json: boolean | undefined, out: (s: string) => void, err: (s: string) => void): number {
  out(json ? JSON.stringify(report, null, 2) : formatSimulation(report));
  if (report.applications > 0) return 0;
  const lines = report.invalidItems.map((i) => i.line);
  err(
    report.read === 0
      ? 'tideover simulate: the input held no application'
      : `tideover simulate: no input line was valid (${report.invalid} invalid: line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${report.invalidItemsOmitted ? ', …' : ''})`,
  );
  return 1;
}

/**
 * `tideover simulate`: decides a corpus of applications under a baseline and a candidate policy and prints
 * the difference. Exit 0 on a completed run with at least one valid application (whatever changed), 1 when a
 * policy does not load, the input cannot be read or no line of it is valid, 2 on a usage error.
 */
export async function simulateCommand(values: SimulateOptions, out: (s: string) => void, err: (s: string) => void, makeEvaluator?: EvaluatorFactory): Promise<number> {
  const problem = usageProblem(values);
  if (problem) {
    err(`tideover simulate: ${problem}\n${USAGE}`);
    return 2;
  }

  const config = loadConfig(process.env);
  const evaluatorOf = makeEvaluator ?? evaluatorFactory(config.EVALUATOR);
  const sides: SimulationSide[] = [];
  let failed = false;
  for (const [name, ref] of [
    ['baseline', values.baseline],
    ['candidate', values.candidate],
  ] as const) {
    const r = await resolvePolicy(ref, config.POLICY_DIR);
    if (!r.policy) {
      failed = true;
      for (const p of r.problems.filter((x) => x.severity === 'error')) out(formatProblem(p));
      out(`tideover simulate: the ${name} policy ${ref} does not load${r.message ? `: ${r.message}` : ''}`);
      continue;
    }
    sides.push({ policy: r.policy, evaluator: evaluatorOf(r.policy) });
  }
  if (failed) return 1;
  const [baseline, candidate] = sides as [SimulationSide, SimulationSide];

  if (values.applications) {
    const path = values.applications;
    if (path !== '-' && !(await isFile(path))) {
      err(`tideover simulate: cannot read ${path}`);
      return 1;
    }
    const bar = progressBar(process.stderr.isTTY ? await countLines(path) : undefined);
    try {
      const report = await simulate({ baseline, candidate, applications: ndjsonItems(fileLines(path)), onProgress: bar.update });
      bar.done();
      return finish(report, values.json, out, err);
    } catch (e) {
      bar.done();
      throw e;
    }
  }

  const store = await openAuditStore(config.AUDIT_URL, { now: () => new Date() });
  const bar = progressBar(undefined);
  try {
    async function* fromAudit(): AsyncGenerator<SimulationInput> {
      let position = 0;
      for await (const record of store.export({ from: values.since! })) yield { line: ++position, application: record.application };
    }
    const report = await simulate({ baseline, candidate, applications: fromAudit(), onProgress: bar.update });
    bar.done();
    return finish(report, values.json, out, err);
  } finally {
    bar.done();
    await store.close();
  }
}

/** `tideover simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('decide a corpus under a baseline and a candidate policy and compare (exit 1 when no input line is valid)')
    .requiredOption('--baseline <policy>', 'a version (1.0.0), id@version, or a policy file')
    .requiredOption('--candidate <policy>', 'a policy file, or a version under POLICY_DIR')
    .option('--applications <file>', 'NDJSON applications, one a line ("-" for stdin)')
    .option('--from-audit', 'decide the applications recorded in AUDIT_URL instead')
    .option('--since <date>', 'with --from-audit: records decided from this date or date-time on')
    .option('--json', 'print the report as JSON only')
    .action(async (opts: SimulateOptions) => {
      exitWith(await simulateCommand(opts, (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`)));
    });
}
