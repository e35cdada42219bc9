import type { CompiledPolicy } from './model.js';
import type { PolicyProblem } from './problem.js';

/** Line and column of `effectiveFrom:` in a policy's text (1:1 when not found as a plain key). */
function effectiveFromAt(source: string): { line: number; column: number } {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i]!.search(/\beffectiveFrom\s*:/);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  return { line: 1, column: 1 };
}

/**
 * Two versions of one policy in effect from the same day leave the choice between them to the version
 * order alone, which is rarely what was meant: a warning naming both files, at each one's effectiveFrom.
 */
export function sameEffectiveFrom(policies: readonly CompiledPolicy[]): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const byKey = new Map<string, CompiledPolicy[]>();
  for (const p of policies) {
    const key = `${p.id}\u0000${p.metadata.effectiveFrom}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  for (const group of byKey.values()) {
    for (const p of group) {
      // The same version twice (a file and its published copy) is one version, not two.
      const others = group.filter((o) => o.version !== p.version).map((o) => `${o.file} (version ${o.version})`);
      if (!others.length) continue;
      out.push({
        file: p.file,
        ...effectiveFromAt(p.source),
        path: 'metadata.effectiveFrom',
        code: 'POLICY_SEMANTIC',
        severity: 'warning',
        message: `${p.id} version ${p.version} (${p.file}) has the same effectiveFrom ${p.metadata.effectiveFrom} as ${others.join(', ')}: only the highest version is ever selected on that date`,
      });
    }
  }
  return out;
}
