import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { oneByte } from '../one-byte.js';
import type { PathSegment, PolicyProblem } from './problem.js';
import { pathToString } from './problem.js';

/**
 * A parsed YAML file that can say where any JSON path lives, so schema and semantic problems are
 * reported as file:line:column — the yaml library keeps node ranges, we only map offsets to lines.
 */
export interface YamlSource {
  file: string;
  value: unknown;
  problems: PolicyProblem[];
  locate(path: readonly PathSegment[], key?: boolean): { line: number; column: number };
  problem(path: readonly PathSegment[], message: string, code?: PolicyProblem['code'], severity?: PolicyProblem['severity']): PolicyProblem;
}

/** A yaml library warning in words of our own: its message quotes the file (tags, keys), which may hold anything. */
function yamlWarning(code: string): string {
  const words: Record<string, string> = {
    TAG_RESOLVE_FAILED: 'an unknown tag; the value is read as plain text',
    BAD_DIRECTIVE: 'a directive that is not understood',
    BAD_DQ_ESCAPE: 'an escape in a double-quoted string that is not understood',
    MULTILINE_IMPLICIT_KEY: 'an implicit key spread over several lines',
  };
  return `YAML warning ${code}: ${words[code] ?? 'see the YAML 1.2 specification'}`;
}

const MAX_ALIAS_COUNT = 100; // bounds "billion laughs" expansion

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    // logLevel 'error': the library would otherwise print its warnings, quoting the file, to stderr. Its
    // warnings come back as located problems instead (below), naming what is wrong but never the text.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  } catch (e) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack. Say so without internals.
    const message = e instanceof RangeError ? 'the YAML is nested too deeply' : 'the YAML cannot be parsed';
    return { file, value: undefined, problems: [{ file, line: 1, column: 1, path: '', code: 'POLICY_YAML_SYNTAX', severity: 'error', message }], locate: () => ({ line: 1, column: 1 }), problem: (path, msg, code = 'POLICY_SEMANTIC', severity = 'error') => ({ file, line: 1, column: 1, path: pathToString(path), code, severity, message: msg }) };
  }
  const problems: PolicyProblem[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = lineCounter.linePos(err.pos[0]);
    const warning = !doc.errors.includes(err);
    problems.push({
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      code: 'POLICY_YAML_SYNTAX',
      severity: warning ? 'warning' : 'error',
      message: warning ? yamlWarning(err.code) : (err.message.split('\n')[0] ?? err.message),
    });
  }
  // A collection used as a mapping key becomes a string in JSON; the library would only say so on stderr.
  visit(doc, {
    Pair: (_key, pair) => {
      if (isMap(pair.key) || isSeq(pair.key)) {
        const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
        problems.push({ file, line: pos.line, column: pos.col, path: '', code: 'POLICY_YAML_SYNTAX', severity: 'warning', message: 'YAML warning: a mapping key is a list or mapping; it is read as a string' });
      }
    },
  });
  let value: unknown = undefined;
  if (doc.errors.length === 0) {
    try {
      // Before any becomes a property name: see oneByte.
      visit(doc, { Scalar: (_key, node) => void (typeof node.value === 'string' && (node.value = oneByte(node.value))) });
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const message = e instanceof RangeError ? 'the YAML is nested too deeply' : (e as Error).message.split('\n')[0]!;
      problems.push({ file, line: 1, column: 1, path: '', code: 'POLICY_YAML_SYNTAX', severity: 'error', message });
    }
  }

  const locate = (path: readonly PathSegment[], key = false): { line: number; column: number } => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const k = pair.key as Node;
        offset = k.range?.[0] ?? offset;
        if (key && seg === path[path.length - 1]) break;
        node = pair.value;
        if ((node as Node | null)?.range) offset = (node as Node).range![0];
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        node = item;
        if (item.range) offset = item.range[0];
      } else break;
    }
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  return {
    file,
    value,
    problems,
    locate,
    problem(path, message, code = 'POLICY_SEMANTIC', severity = 'error') {
      const { line, column } = locate(path);
      return { file, line, column, path: pathToString(path), code, severity, message };
    },
  };
}
