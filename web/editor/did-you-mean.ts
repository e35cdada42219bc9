// "Did you mean" for the validator's unknown-name problems: the closest known name by edit distance.

export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a third of the name's length (at least 2 edits), or none. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD > 0 && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export type NameKind = 'fact' | 'parameter' | 'operator' | 'reason code';

/** The unknown name a problem message is about: `unknown fact "x"`, `unknown parameter "x"`, … */
export function unknownName(message: string): { kind: NameKind; name: string; suggested?: string } | undefined {
  const m = /unknown (fact|parameter|operator|reason code) "([^"]+)"/.exec(message);
  if (!m) return undefined;
  const hint = /did you mean "([^"]+)"/.exec(message);
  return { kind: m[1] as NameKind, name: m[2]!, ...(hint ? { suggested: hint[1]! } : {}) };
}
