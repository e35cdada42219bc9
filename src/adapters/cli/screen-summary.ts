import { TIERS } from "../../core/screening/model.js";
import type { ScreeningTally } from "../../app/screening-tally.js";

const n = (x: number) => x.toLocaleString("en");

/** The summary table `tideover screen` ends with: counts per tier, top reasons, invalid records, throughput. */
export function formatScreeningSummary(
  tally: ScreeningTally,
  seconds: number,
  written: number,
): string {
  const c = tally.counts;
  const pct = (x: number) =>
    c.screened ? `${((100 * x) / c.screened).toFixed(1)}%` : "—";
  const lines = [
    `screened ${n(c.screened)} of ${n(c.read)} records in ${seconds.toFixed(1)} s (${n(Math.round(c.read / Math.max(seconds, 1e-9)))} snapshots/s); ${n(written)} written`,
    "",
  ];
  lines.push(
    `  ${"tier".padEnd(10)} ${"loans".padStart(10)} ${"share".padStart(7)}`,
  );
  for (const t of [...TIERS].reverse())
    lines.push(
      `  ${t.padEnd(10)} ${n(c.byTier[t]).padStart(10)} ${pct(c.byTier[t]).padStart(7)}`,
    );
  lines.push(`  ${"offers".padEnd(10)} ${n(c.offers).padStart(10)}`, "");
  const top = tally.topReasons(5);
  if (top.length) {
    lines.push(`  ${"top reasons".padEnd(24)} ${"loans".padStart(10)}`);
    for (const r of top)
      lines.push(`  ${r.code.padEnd(24)} ${n(r.loans).padStart(10)}`);
    lines.push("");
  }
  lines.push(`  invalid records: ${n(c.invalid)}`);
  for (const i of c.invalidSamples.slice(0, 10))
    lines.push(
      `    line ${i.line}${i.loanId ? ` (${i.loanId})` : ""}: ${i.errors.map((e) => e.message).join("; ")}`,
    );
  if (c.invalid > 10) lines.push(`    … ${n(c.invalid - 10)} more`);
  lines.push(
    `  policies: ${
      Object.entries(c.policies)
        .map(([k, sha]) => `${k} (sha256 ${sha.slice(0, 12)}…)`)
        .join(", ") || "—"
    }`,
  );
  return lines.join("\n");
}

/** Progress on a terminal only: bytes read against the file size give the share done, the rate and the ETA. */
export function screeningProgress(total: number | undefined): {
  update: (records: number, bytes: number) => void;
  done: () => void;
} {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const started = performance.now();
  let last = 0;
  return {
    update(records, bytes) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const elapsed = (now - started) / 1000;
      const rate = elapsed > 0 ? Math.round(records / elapsed) : 0;
      let bar = "";
      if (total) {
        const share = Math.min(1, bytes / total);
        const width = 30;
        const eta =
          share > 0 ? Math.max(0, Math.round(elapsed / share - elapsed)) : 0;
        bar = `[${"#".repeat(Math.round(share * width)).padEnd(width, ".")}] ${Math.floor(share * 100)}% ETA ${eta}s `;
      }
      stream.write(`\r${bar}${n(records)} records, ${n(rate)}/s\x1b[K`);
    },
    done: () => stream.write("\r\x1b[K"),
  };
}
