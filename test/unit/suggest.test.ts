/** "Did you mean": the closest candidate within the allowed distance, found without computing far distances. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest } from '../../server/src/engine/util/suggest';

/** Optimal string alignment distance, the full table: the reference the bounded search must agree with. */
function reference(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => (rows[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

function referenceClosest(input: string, candidates: string[]): string | undefined {
  const lower = input.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const allowed = input.length <= 4 ? 1 : input.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = reference(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= allowed ? best : undefined;
}

describe('closest', () => {
  it('suggests a misspelt name, counting a swap of neighbours as one edit', () => {
    assert.equal(closest('contianers', ['initContainers', 'containers', 'volumes']), 'containers');
    assert.equal(closest('imagePullPolciy', ['image', 'imagePullPolicy']), 'imagePullPolicy');
    assert.equal(closest('Web', ['api', 'web']), 'web', 'case is ignored');
    assert.equal(closest('frontend', ['backend', 'database']), undefined, 'too far for an 8-letter name');
    assert.equal(closest('db', ['dc', 'db1']), 'dc', 'the first of equally close candidates');
  });

  it('agrees with the full distance table on 20,000 random cases', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const word = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => 'abcdAB-'[Math.floor(random() * 7)]).join('');
    const mutate = (w: string) => {
      const letters = [...w];
      for (let k = Math.floor(random() * 4); k > 0; k--) {
        const p = Math.floor(random() * (letters.length + 1));
        const op = Math.floor(random() * 4);
        if (op === 0) letters.splice(p, 0, 'x');
        else if (op === 1) letters.splice(p, 1);
        else if (op === 2) letters[p] = 'b';
        else if (p + 1 < letters.length) [letters[p], letters[p + 1]] = [letters[p + 1] as string, letters[p] as string];
      }
      return letters.join('');
    };
    let suggested = 0;
    for (let t = 0; t < 20000; t++) {
      const base = word();
      const candidates = Array.from({ length: Math.floor(random() * 8) }, () => (random() < 0.6 ? mutate(base) : word()));
      const input = mutate(base);
      const expected = referenceClosest(input, candidates);
      assert.equal(closest(input, candidates), expected, `${input} among ${JSON.stringify(candidates)}`);
      if (expected !== undefined) suggested++;
    }
    assert.ok(suggested > 5000, `most cases have a suggestion (${suggested})`);
  });
});
