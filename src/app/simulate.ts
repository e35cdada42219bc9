import type { RestructuringApplication } from '../generated/application.js';
import type { DecisionResult } from '../generated/decision.js';
import { decide } from '../core/decide/decide.js';
import type { Evaluator } from '../core/evaluate/evaluator.js';
import type { CompiledPolicy } from '../core/policy/model.js';
import { ajvProblems } from '../core/validation/messages.js';
import { validators } from '../core/validation/schemas.js';

/**
 * Champion/challenger simulation: every application is decided under a baseline and a candidate policy at
 * the same instant, and the report counts decisions side by side, the transitions between them and the
 * applications whose decisions changed, with the rules that made the difference. Pure apart from what is
 * injected: the applications arrive as an async iterable and time is taken from each application.
 */

export interface SimulationSide {
  policy: CompiledPolicy;
  evaluator: Evaluator;
}

/** A line the reader could not turn into JSON (or anything else it wants counted as invalid). */
export interface InputError {
  error: string;
  /** Line number in the input; defaults to the item's position (1-based). */
  line?: number;
}

/** An unvalidated value with its line number, as an NDJSON reader yields it. */
export interface NumberedInput {
  line: number;
  application: unknown;
}

export type SimulationInput = RestructuringApplication | InputError | NumberedInput;

export interface SimulationProgress {
  /** Items read so far (valid or not). */
  read: number;
  simulated: number;
  invalid: number;
  /** Applications with at least one changed decision so far. */
  changedApplications: number;
}

export interface SimulateOptions {
  baseline: SimulationSide;
  candidate: SimulationSide;
  applications: AsyncIterable<SimulationInput> | Iterable<SimulationInput>;
  /** Decision time for an application; default its receivedAt, so a simulation is reproducible. */
  now?: (app: RestructuringApplication) => string;
  /** Called after every item; throttle in the caller. */
  onProgress?: (p: SimulationProgress) => void;
  /** Awaited every `yieldEvery` applications, e.g. to let a server's event loop breathe. */
  pause?: () => Promise<void>;
  yieldEvery?: number;
  /** Stops reading when aborted; the report then covers what was simulated. */
  signal?: AbortSignal;
  /** Longest `changed` list (default 1,000); the rest are only counted. */
  maxChanged?: number;
  /** Longest `invalidItems` list (default 100); the rest are only counted. */
  maxInvalid?: number;
}

export type DecisionCounts = Record<string, Record<string, number>>;

export interface SideReport {
  policy: { id: string; version: string; sha256: string };
  /** option → decision → count, for INSTALLMENT, GRACE_PERIOD, PERSONALISED_PLAN and PENALTY_WAIVER. */
  byOption: DecisionCounts;
  /** account action → count. */
  accountActions: Record<string, number>;
}

export interface ChangedDecision {
  applicationId: string;
  /** Line (NDJSON) or position (1-based) of the application in the input. */
  line: number;
  /** A decided option, or ACCOUNT_ACTION. */
  option: string;
  from: string;
  to: string;
  /** Rules of this option that fired under the baseline only. */
  rulesOnlyInBaseline: string[];
  /** Rules of this option that fired under the candidate only. */
  rulesOnlyInCandidate: string[];
}

export interface InvalidItem {
  line: number;
  applicationId?: string;
  /** parse: not JSON; schema: not a valid application; decide: a policy could not decide it. */
  stage: 'parse' | 'schema' | 'decide';
  problems: string[];
}

export interface SimulationReport {
  /** Items read, valid or not. */
  read: number;
  /** Applications decided under both policies. */
  applications: number;
  invalid: number;
  invalidItems: InvalidItem[];
  invalidItemsOmitted: number;
  baseline: SideReport;
  candidate: SideReport;
  /** option (and ACCOUNT_ACTION) → "FROM→TO" → count, unchanged pairs included, so each option sums to `applications`. */
  transitions: Record<string, Record<string, number>>;
  /** Applications with at least one changed decision or account action. */
  changedApplications: number;
  /** One entry per changed option of a changed application, in input order, at most `maxChanged`. */
  changed: ChangedDecision[];
  changedOmitted: number;
  /** True when the run was aborted before the input ended. */
  aborted: boolean;
}

export const ACCOUNT_ACTION = 'ACCOUNT_ACTION';

function isInputError(x: SimulationInput): x is InputError {
  return x !== null && typeof x === 'object' && typeof (x as InputError).error === 'string' && !('applicationId' in x);
}

function isNumbered(x: SimulationInput): x is NumberedInput {
  return x !== null && typeof x === 'object' && 'application' in x && typeof (x as NumberedInput).line === 'number' && !('applicationId' in x);
}

function inc(m: Record<string, number>, key: string): void {
  m[key] = (m[key] ?? 0) + 1;
}

function side(policy: CompiledPolicy): SideReport {
  return { policy: { id: policy.id, version: policy.version, sha256: policy.sha256 }, byOption: {}, accountActions: {} };
}

function count(report: SideReport, d: DecisionResult): void {
  for (const o of d.options) inc((report.byOption[o.option] ??= {}), o.decision);
  inc(report.accountActions, d.accountAction.action);
}

function onlyIn(a: string[], b: string[]): string[] {
  const other = new Set(b);
  return a.filter((x) => !other.has(x));
}

/** Splits text into NDJSON items: blank lines are skipped, a line that is not JSON becomes an InputError. */
export async function* ndjsonItems(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<SimulationInput> {
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = raw.trim();
    if (!text) continue;
    try {
      yield { line, application: JSON.parse(text) as unknown };
    } catch (e) {
      yield { line, error: `not JSON: ${(e as Error).message}` };
    }
  }
}

export async function simulate(opts: SimulateOptions): Promise<SimulationReport> {
  const maxChanged = opts.maxChanged ?? 1000;
  const maxInvalid = opts.maxInvalid ?? 100;
  const yieldEvery = opts.yieldEvery ?? 100;
  const nowOf = opts.now ?? ((app: RestructuringApplication) => app.receivedAt);
  const report: SimulationReport = {
    read: 0,
    applications: 0,
    invalid: 0,
    invalidItems: [],
    invalidItemsOmitted: 0,
    baseline: side(opts.baseline.policy),
    candidate: side(opts.candidate.policy),
    transitions: {},
    changedApplications: 0,
    changed: [],
    changedOmitted: 0,
    aborted: false,
  };
  const invalid = (item: InvalidItem) => {
    report.invalid++;
    if (report.invalidItems.length < maxInvalid) report.invalidItems.push(item);
    else report.invalidItemsOmitted++;
  };
  const progress = () =>
    opts.onProgress?.({ read: report.read, simulated: report.applications, invalid: report.invalid, changedApplications: report.changedApplications });

  for await (const item of opts.applications) {
    if (opts.signal?.aborted) {
      report.aborted = true;
      break;
    }
    report.read++;
    const position = report.read;
    if (isInputError(item)) {
      invalid({ line: item.line ?? position, stage: 'parse', problems: [item.error] });
      progress();
      continue;
    }
    const line = isNumbered(item) ? item.line : position;
    const value: unknown = isNumbered(item) ? item.application : item;
    const idOf = (v: unknown) => {
      const id = v !== null && typeof v === 'object' ? (v as { applicationId?: unknown }).applicationId : undefined;
      return typeof id === 'string' ? { applicationId: id.slice(0, 64) } : {};
    };
    if (!validators.application(value)) {
      invalid({ line, ...idOf(value), stage: 'schema', problems: ajvProblems(validators.application.errors).map((p) => p.message) });
      progress();
      continue;
    }
    const app = value as RestructuringApplication;
    const now = nowOf(app);
    // The report reads outcomes and each option's fired rules, never the rules' trees.
    const run = (s: SimulationSide, which: string) =>
      decide({ application: app, policy: s.policy, evaluator: s.evaluator, now, decisionId: `simulation-${which}-${line}`, language: 'en', selectedBy: `simulation ${which}`, rules: 'fired' });
    let before: DecisionResult;
    let after: DecisionResult;
    try {
      before = await run(opts.baseline, 'baseline');
    } catch (e) {
      invalid({ line, applicationId: app.applicationId, stage: 'decide', problems: [`baseline ${opts.baseline.policy.id}@${opts.baseline.policy.version} could not decide it: ${(e as Error).message}`] });
      progress();
      continue;
    }
    try {
      after = await run(opts.candidate, 'candidate');
    } catch (e) {
      invalid({ line, applicationId: app.applicationId, stage: 'decide', problems: [`candidate ${opts.candidate.policy.id}@${opts.candidate.policy.version} could not decide it: ${(e as Error).message}`] });
      progress();
      continue;
    }
    report.applications++;
    count(report.baseline, before);
    count(report.candidate, after);

    const pairs: { option: string; from: string; to: string; firedBefore: string[]; firedAfter: string[] }[] = before.options.map((o) => {
      const c = after.options.find((x) => x.option === o.option);
      return { option: o.option, from: o.decision, to: c?.decision ?? '(none)', firedBefore: o.firedRules, firedAfter: c?.firedRules ?? [] };
    });
    pairs.push({ option: ACCOUNT_ACTION, from: before.accountAction.action, to: after.accountAction.action, firedBefore: before.accountAction.firedRules, firedAfter: after.accountAction.firedRules });
    let changed = false;
    for (const p of pairs) {
      inc((report.transitions[p.option] ??= {}), `${p.from}→${p.to}`);
      if (p.from === p.to) continue;
      changed = true;
      const entry: ChangedDecision = {
        applicationId: app.applicationId,
        line,
        option: p.option,
        from: p.from,
        to: p.to,
        rulesOnlyInBaseline: onlyIn(p.firedBefore, p.firedAfter),
        rulesOnlyInCandidate: onlyIn(p.firedAfter, p.firedBefore),
      };
      if (report.changed.length < maxChanged) report.changed.push(entry);
      else report.changedOmitted++;
    }
    if (changed) report.changedApplications++;
    progress();
    if (opts.pause && report.applications % yieldEvery === 0) await opts.pause();
  }
  return report;
}
