/** A located problem in a policy or policy-test file: what a risk team acts on. */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** JSON path of the offending node, e.g. `rules[3].conditions.all[0].fact`. */
  path: string;
  code: 'POLICY_YAML_SYNTAX' | 'POLICY_SCHEMA' | 'POLICY_SEMANTIC' | 'POLICY_TEST_FAILED';
  severity: 'error' | 'warning';
  message: string;
}

export function formatProblem(p: PolicyProblem): string {
  const where = p.path ? ` (${p.path})` : '';
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${where}`;
}

/** Sorted by file, line, column, then message so output is stable between runs. */
export function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}

export type PathSegment = string | number;

export function pathToString(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}
