/** Edit distance (insertions, deletions, substitutions; case-insensitive), stopping early past `max`. */
function distance(a: string, b: string, max: number): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]!);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** `; did you mean "x"?` for the closest known name within a third of the name's length (at least 2 edits), else ''. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const max = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const k of known) {
    const d = distance(name, k, max);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? '' : `; did you mean "${best}"?`;
}
