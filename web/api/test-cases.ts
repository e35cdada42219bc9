// The draft's test cases as the workbench reads and extends them (pure: no DOM, no network).
import { isSeq, parse, parseDocument } from 'yaml';

/** What the playground answered, as far as a test case's expectations go. */
export interface DecidedLike {
  options: { option: string; decision: string }[];
  accountAction?: { action: string };
}

export interface CaseResult {
  name: string;
  passed: boolean;
  firstDifference?: string;
  at?: string;
}

/** Per case: passed, or failed with the first differing field (the first problem the service located in that case). */
export function caseResults(tests: string | null, check: { errors: { code?: string; line: number; column: number; message: string }[] }): CaseResult[] {
  let names: string[] = [];
  try {
    const doc = parse(tests ?? '') as { cases?: { name?: unknown }[] } | null;
    names = (doc?.cases ?? []).map((c, i) => (typeof c?.name === 'string' ? c.name : `case ${i + 1}`));
  } catch {
    names = [];
  }
  const failures = new Map<string, { message: string; at: string }>();
  for (const p of check.errors.filter((e) => e.code === 'POLICY_TEST_FAILED')) {
    const m = /^case "((?:[^"\\]|\\.)*)": (.*)$/s.exec(p.message);
    if (m && !failures.has(m[1]!)) failures.set(m[1]!, { message: m[2]!, at: `${p.line}:${p.column}` });
  }
  return names.map((name) => {
    const f = failures.get(name);
    return f ? { name, passed: false, firstDifference: f.message, at: f.at } : { name, passed: true };
  });
}

/**
 * Appends the playground's application and its decisions to the draft's test file as a new case (the whole
 * application as the patch, so the case holds whatever the base says), keeping the file's comments.
 */
export function appendCase(testsYaml: string, name: string, application: unknown, result: DecidedLike): string {
  const doc = parseDocument(testsYaml);
  const decisions = Object.fromEntries(result.options.map((o) => [o.option, o.decision]));
  const entry = { name, patch: application, expect: { decisions, ...(result.accountAction ? { accountAction: result.accountAction.action } : {}) } };
  const cases = doc.get('cases', true);
  if (isSeq(cases)) cases.add(doc.createNode(entry));
  else doc.set('cases', [entry]);
  return doc.toString();
}
