// A simulation report as a plain table and lines (tideover simulate).
import { RECORDED_OPTIONS } from './recorded-outcomes.js';
import { ACCOUNT_ACTION, type ChangedDecision, type SideReport, type SimulationReport } from './simulate.js';

const OPTION_ORDER = RECORDED_OPTIONS;
// Most favourable first, as a reviewer reads the table (not the schema's order).
const OUTCOME_ORDER = ['APPROVE', 'COUNTEROFFER', 'PENDING_DOCUMENTS', 'REFER', 'DECLINE', 'NONE', 'RESTRICT_NEW_DRAWS', 'FREEZE'];

function ordered(keys: Iterable<string>, order: readonly string[]): string[] {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function pct(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(1)}%` : '-';
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? String(n) : '0';
}

/** A readable report: counts side by side, the transition matrix of each option, and the first changed applications. */
export function formatSimulation(r: SimulationReport, opts: { top?: number } = {}): string {
  const top = opts.top ?? 20;
  const b = r.baseline.policy;
  const c = r.candidate.policy;
  const lines: string[] = [];
  lines.push(`Simulation: baseline ${b.id}@${b.version} (${b.sha256.slice(0, 12)}) vs candidate ${c.id}@${c.version} (${c.sha256.slice(0, 12)})`);
  lines.push(
    `Applications: ${r.applications} simulated, ${r.invalid} invalid (of ${r.read} read); ${r.changedApplications} with a changed decision (${pct(r.changedApplications, r.applications)})${r.aborted ? '; ABORTED before the end of the input' : ''}`,
  );

  const countsOf = (s: SideReport, option: string): Record<string, number> => (option === ACCOUNT_ACTION ? s.accountActions : (s.byOption[option] ?? {}));
  const options = ordered([...Object.keys(r.baseline.byOption), ...Object.keys(r.candidate.byOption), ACCOUNT_ACTION], OPTION_ORDER);
  lines.push('');
  lines.push(`${'option / decision'.padEnd(28)}${'baseline'.padStart(10)}${'candidate'.padStart(11)}${'change'.padStart(9)}`);
  for (const option of options) {
    const x = countsOf(r.baseline, option);
    const y = countsOf(r.candidate, option);
    lines.push(option);
    for (const d of ordered([...Object.keys(x), ...Object.keys(y)], OUTCOME_ORDER)) {
      const nx = x[d] ?? 0;
      const ny = y[d] ?? 0;
      lines.push(`  ${d.padEnd(26)}${String(nx).padStart(10)}${String(ny).padStart(11)}${signed(ny - nx).padStart(9)}`);
    }
  }

  lines.push('');
  lines.push('Transitions (rows: baseline, columns: candidate)');
  for (const option of options) {
    const t = r.transitions[option] ?? {};
    const pairs = Object.entries(t).map(([k, n]) => ({ from: k.split('→')[0]!, to: k.split('→')[1]!, n }));
    const changedCount = pairs.filter((p) => p.from !== p.to).reduce((s, p) => s + p.n, 0);
    const rows = ordered(pairs.map((p) => p.from), OUTCOME_ORDER);
    const cols = ordered(pairs.map((p) => p.to), OUTCOME_ORDER);
    const w = Math.max(8, ...cols.map((x) => x.length + 2));
    lines.push(`${option}: ${changedCount} changed`);
    if (!rows.length) continue;
    lines.push(`  ${''.padEnd(20)}${cols.map((x) => x.padStart(w)).join('')}`);
    for (const row of rows)
      lines.push(`  ${row.padEnd(20)}${cols.map((col) => String(pairs.find((p) => p.from === row && p.to === col)?.n ?? '.').padStart(w)).join('')}`);
  }

  if (r.changed.length) {
    const byApp = new Map<string, ChangedDecision[]>();
    for (const ch of r.changed) {
      const k = `${ch.line}\u0000${ch.applicationId}`;
      byApp.set(k, [...(byApp.get(k) ?? []), ch]);
    }
    const apps = [...byApp.values()].sort((x, y) => y.length - x.length || x[0]!.line - y[0]!.line).slice(0, top);
    lines.push('');
    lines.push(`Changed applications (${apps.length} of ${r.changedApplications}, most changes first)`);
    for (const changes of apps) {
      lines.push(`  ${changes[0]!.applicationId} (line ${changes[0]!.line})`);
      for (const ch of changes) {
        const why = [
          ...(ch.rulesOnlyInBaseline.length ? [`no longer fires ${ch.rulesOnlyInBaseline.join(', ')}`] : []),
          ...(ch.rulesOnlyInCandidate.length ? [`now fires ${ch.rulesOnlyInCandidate.join(', ')}`] : []),
        ];
        lines.push(`    ${ch.option.padEnd(18)} ${ch.from} → ${ch.to}${why.length ? `  (${why.join('; ')})` : ''}`);
      }
    }
    if (r.changedOmitted) lines.push(`  (${r.changedOmitted} more changed decisions not listed)`);
  }

  if (r.invalidItems.length) {
    lines.push('');
    lines.push(`Invalid input (${r.invalidItems.length} of ${r.invalid} shown)`);
    for (const i of r.invalidItems) lines.push(`  line ${i.line}${i.applicationId ? ` (${i.applicationId})` : ''}: ${i.stage}: ${i.problems.slice(0, 3).join('; ')}${i.problems.length > 3 ? `; … ${i.problems.length - 3} more` : ''}`);
  }
  return lines.join('\n');
}
