/**
 * "did you mean --idle-timeout?": the known word nearest a mistyped one, by edit distance, when it is
 * near enough to be a slip of the fingers rather than a different word.
 */

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours
 * (`prot` -> `port`) each cost 1, the usual typing mistakes (Damerau, 1964).
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  // rows[i][j]: distance between the first i characters of x and the first j of y.
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= y.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(at(rows, i - 1, j) + 1, (row[j - 1] ?? 0) + 1, at(rows, i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, at(rows, i - 2, j - 2) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return at(rows, x.length, y.length);
}

function at(rows: readonly (readonly number[])[], i: number, j: number): number {
  return rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
}

/**
 * The candidate nearest `word`: within one edit for short words and a third of the word's length for longer
 * ones (so `--xyz` suggests nothing), else the only candidate that `word` begins (`--proto` -> `--protocol`).
 * Ties go to the earlier candidate, so a table's order decides.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const extended = word.length >= 3 ? candidates.filter((candidate) => candidate.startsWith(word)) : [];
  return extended.length === 1 ? extended[0] : undefined;
}
