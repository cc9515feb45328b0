/** Edit distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * @internal Up to `max` known names close to `name`: same name in another case first, then
 * by edit distance (none for names of one or two letters, 1 up to four letters, 2 beyond), then names starting with it.
 */
export function suggestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const allowed = lower.length <= 2 ? 0 : lower.length <= 4 ? 1 : 2;
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(known)) {
    const other = candidate.toLowerCase();
    if (candidate === name) continue;
    if (other === lower) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    const distance = Math.abs(other.length - lower.length) > allowed ? Infinity : editDistance(lower, other);
    if (distance <= allowed) scored.push({ candidate, score: distance });
    else if (lower.length >= 3 && other.startsWith(lower)) scored.push({ candidate, score: allowed + 1 });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.candidate.length - y.candidate.length || x.candidate.localeCompare(y.candidate))
    .slice(0, max)
    .map((entry) => entry.candidate);
}
