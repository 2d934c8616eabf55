/** "Did you mean" for misspelt field names and values. */

/**
 * Optimal string alignment distance (a swap of neighbours, "contianers", counts as one edit), or `limit + 1` as
 * soon as it is sure to exceed `limit`: a name is compared with every name of its kind in the workspace, and
 * only close ones matter.
 */
function distance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let up = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  let upMin = 0;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1);
      row[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // Every path to the end crosses this row or the one before (a swap reaches back one row) at its minimum.
    if (rowMin > limit && upMin > limit) return limit + 1;
    upMin = rowMin;
    [before, up, row] = [up, row, before];
  }
  return up[b.length] as number;
}

/** The closest candidate, if it is close enough to be what the author meant. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const allowed = input.length <= 4 ? 1 : input.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    if (other === lower) return candidate;
    // Only a candidate strictly closer than the best so far (and within what is allowed) can win.
    const d = distance(lower, other, bestDistance - 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}
