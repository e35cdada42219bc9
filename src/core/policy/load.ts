import type { ErrorObject } from 'ajv';
import { ajvProblems } from '../validation/messages.js';
import { validators } from '../validation/schemas.js';
import { compilePolicy } from './compile.js';
import type { CompiledPolicy } from './model.js';
import { sortProblems, type PathSegment, type PolicyProblem } from './problem.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** Schema problems of a parsed YAML document, each placed at its node. */
export function schemaProblems(src: YamlSource, errors: readonly ErrorObject[] | null | undefined): PolicyProblem[] {
  return ajvProblems(errors).map((fp) => {
    const path = pointerToPath(fp.pointer);
    const message = fp.message.replace(/^(\/[^ ]*|the body) /, (m) => (m.startsWith('/') ? `${m}` : ''));
    return src.problem(path, message, 'POLICY_SCHEMA');
  });
}

/**
 * Parses, schema-checks and compiles one policy file. Pure: the caller reads the file and hashes its bytes.
 * Reports every problem at once, sorted, each with file:line:column.
 */
export function loadPolicy(text: string, file: string, sha256: string): { policy?: CompiledPolicy; problems: PolicyProblem[] } {
  const src = parseYamlSource(text, file);
  if (src.problems.some((p) => p.severity === 'error')) return { problems: sortProblems(src.problems) };
  if (!validators.policy(src.value)) return { problems: sortProblems([...src.problems, ...schemaProblems(src, validators.policy.errors)]) };
  const { policy, problems } = compilePolicy(src, sha256, text);
  return { policy, problems: sortProblems([...src.problems, ...problems]) };
}
