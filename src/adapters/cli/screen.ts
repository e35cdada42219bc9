import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { evaluatorFactory, scheduleBuilder } from "../../app/evaluators.js";
import { Screener, type ScreeningResult } from "../../app/screening-run.js";
import { prepareScreening } from "../../app/screening-policies.js";
import { formatProblem } from "../../core/policy/problem.js";
import { TIERS, type Tier } from "../../core/screening/model.js";
import { loadPolicyFiles } from "../policies/file-source.js";
import {
  bookFormat,
  readBook,
  type BookFormat,
} from "../screening/snapshot-reader.js";
import { exitWith } from "./program.js";
import { formatScreeningSummary, screeningProgress } from "./screen-summary.js";

export interface ScreenOptions {
  loans: string;
  out: string;
  tier?: string;
  workers?: string;
  format?: string;
  policies?: string;
}

/** `--tier HIGH,CRITICAL` as a set of tiers; an unknown name is a usage error. */
export function parseTiers(
  list: string | undefined,
): Set<Tier> | string | undefined {
  if (list === undefined) return undefined;
  const names = list
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = names.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (bad.length || !names.length)
    return `--tier takes a comma-separated list of ${TIERS.join(", ")}; got ${JSON.stringify(list)}`;
  return new Set(names as Tier[]);
}

async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(s))
    await new Promise<void>((resolve) => out.once("drain", resolve));
}

/**
 * `tideover screen`: screens a book (NDJSON or CSV) into results NDJSON, streaming record by record so
 * memory stays flat, and prints a summary. Exit 0 when the run completes (bad records are counted and
 * named, never fatal), 1 when the policies or the input cannot be read, 2 on a usage error.
 */
export async function screenCommand(
  o: ScreenOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const tiers = parseTiers(o.tier);
  if (typeof tiers === "string") return (err(`tideover screen: ${tiers}`), 2);
  const workers = o.workers === undefined ? 1 : Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    return (
      err(
        `tideover screen: --workers must be a whole number from 1 to 64, got ${JSON.stringify(o.workers)}`,
      ),
      2
    );
  if (o.format !== undefined && o.format !== "csv" && o.format !== "ndjson")
    return (
      err(
        `tideover screen: --format must be csv or ndjson, got ${JSON.stringify(o.format)}`,
      ),
      2
    );
  const format: BookFormat =
    (o.format as BookFormat | undefined) ?? bookFormat(o.loans);

  let size: number | undefined;
  if (o.loans !== "-") {
    const s = await stat(o.loans).catch(() => undefined);
    if (!s?.isFile())
      return (err(`tideover screen: cannot read ${o.loans}`), 1);
    size = s.size;
  }
  const files = await loadPolicyFiles([
    o.policies ?? process.env.POLICY_DIR ?? "policies",
  ]);
  const setup = await prepareScreening(
    files,
    evaluatorFactory(process.env.EVALUATOR),
    new Date().toISOString(),
  );
  if (!setup.ok) {
    for (const p of setup.problems.filter((x) => x.severity === "error"))
      err(formatProblem(p));
    return (
      err("tideover screen: the policies do not load or fail their tests"),
      1
    );
  }
  if (workers > 1) {
    const { screenWithWorkers } = await import('./screen-workers.js');
    const { versions } = await import('../start-service.js');
    return screenWithWorkers({ loans: o.loans, out: o.out, format, workers, ...(tiers ? { tiers } : {}), policyDir: o.policies ?? process.env.POLICY_DIR ?? 'policies', policies: setup.screeningPolicies, versions: versions() }, out, err);
  }

  const screener = new Screener({
    screeningPolicies: setup.screeningPolicies,
    decisionPolicies: () => setup.decisionPolicies,
    schedules: scheduleBuilder(process.env.MONEY),
  });
  const input = o.loans === "-" ? process.stdin : createReadStream(o.loans);
  let bytes = 0;
  input.on("data", (chunk: Buffer | string) => void (bytes += chunk.length));
  const toStdout = o.out === "-";
  const sink = toStdout ? process.stdout : createWriteStream(o.out);
  const summaryOut = toStdout ? err : out;
  const bar = screeningProgress(size);
  const started = performance.now();
  let written = 0;
  const tally = await screener.run(
    readBook(input, format),
    {
      async result(r: ScreeningResult) {
        if (tiers && !tiers.has(r.tier)) return;
        written++;
        await write(sink, `${JSON.stringify(r)}\n`);
      },
      invalid() {},
    },
    (t) => bar.update(t.counts.read, bytes),
  );
  bar.done();
  if (!toStdout) {
    sink.end();
    await finished(sink);
  }
  summaryOut(
    formatScreeningSummary(
      tally,
      (performance.now() - started) / 1000,
      written,
    ),
  );
  return 0;
}

export function registerScreen(program: Command): void {
  program
    .command("screen")
    .description(
      "screen a loan book: tier, ranked reasons, outreach date and, for HIGH and CRITICAL, the offer",
    )
    .requiredOption(
      "--loans <file>",
      "the book: LoanSnapshot records as NDJSON or CSV (by extension; - for stdin)",
    )
    .requiredOption(
      "--out <file>",
      "where the results go, one JSON line per loan (- for stdout)",
    )
    .option(
      "--tier <tiers>",
      "write only these tiers, e.g. HIGH,CRITICAL (the summary counts all)",
    )
    .option(
      "--workers <n>",
      "screen with N local `tideover worker` processes through PostgreSQL (AUDIT_URL); workers elsewhere may join",
    )
    .option(
      "--format <format>",
      "csv or ndjson, when the file name does not say",
    )
    .option(
      "--policies <dir>",
      "policy folder (default: POLICY_DIR or ./policies)",
    )
    .action(async (o: ScreenOptions) => {
      exitWith(
        await screenCommand(
          o,
          (s) => process.stdout.write(`${s}\n`),
          (s) => process.stderr.write(`${s}\n`),
        ),
      );
    });
}
