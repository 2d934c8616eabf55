/** Line diffs: the smallest edits between two texts (for fixes) and unified diffs (for `--fix --dry-run`). */
import type { TextEdit } from '../types';

/** Lines with their line breaks kept, so joining them gives back the text. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

interface Hunk {
  /** Line ranges [start, end) in the old and new line arrays. */
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Myers' O(ND) diff on lines; returns the changed regions. */
export function diffLines(a: string[], b: string[]): Hunk[] {
  // Trim the common prefix and suffix first: fixes change a few lines of large files.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const A = a.slice(prefix, a.length - suffix);
  const B = b.slice(prefix, b.length - suffix);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Array<Map<number, number>> = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? 0) < (v.get(k + 1) ?? 0)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk back to mark which lines are kept.
  const keptA = new Array<boolean>(n).fill(false);
  const keptB = new Array<boolean>(m).fill(false);
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d] as Map<number, number>;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? 0) < (vd.get(k + 1) ?? 0)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      keptA[x] = true;
      keptB[y] = true;
    }
    x = prevX;
    y = prevY;
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && keptA[i] && keptB[j]) {
      i++;
      j++;
      continue;
    }
    const hunk = { oldStart: i + prefix, oldEnd: i + prefix, newStart: j + prefix, newEnd: j + prefix };
    while (i < n && !keptA[i]) i++;
    while (j < m && !keptB[j]) j++;
    hunk.oldEnd = i + prefix;
    hunk.newEnd = j + prefix;
    hunks.push(hunk);
  }
  return hunks;
}

/** The edits that turn `before` into `after`, one per changed run of lines. */
export function textEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  const offsets = [0];
  for (const line of a) offsets.push((offsets[offsets.length - 1] as number) + line.length);
  return diffLines(a, b).map((h) => ({
    start: offsets[h.oldStart] as number,
    end: offsets[h.oldEnd] as number,
    text: b.slice(h.newStart, h.newEnd).join(''),
  }));
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((x, y) => y.start - x.start || y.end - x.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** A unified diff (3 lines of context) of one file, as `git diff` prints it. */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const hunks = diffLines(a, b);
  if (hunks.length === 0) return '';
  const context = 3;
  const out = [`--- a/${path}\n`, `+++ b/${path}\n`];
  const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n\\ No newline at end of file\n`);
  let index = 0;
  while (index < hunks.length) {
    // Merge hunks whose context overlaps.
    let last = index;
    while (last + 1 < hunks.length && (hunks[last + 1] as Hunk).oldStart - (hunks[last] as Hunk).oldEnd <= context * 2) last++;
    const first = hunks[index] as Hunk;
    const end = hunks[last] as Hunk;
    const oldFrom = Math.max(0, first.oldStart - context);
    const oldTo = Math.min(a.length, end.oldEnd + context);
    const newFrom = first.newStart - (first.oldStart - oldFrom);
    const newTo = end.newEnd + (oldTo - end.oldEnd);
    out.push(`@@ -${oldFrom + 1},${oldTo - oldFrom} +${newFrom + 1},${newTo - newFrom} @@\n`);
    let o = oldFrom;
    for (let h = index; h <= last; h++) {
      const hunk = hunks[h] as Hunk;
      for (; o < hunk.oldStart; o++) out.push(` ${line(a[o] as string)}`);
      for (let r = hunk.oldStart; r < hunk.oldEnd; r++) out.push(`-${line(a[r] as string)}`);
      for (let r = hunk.newStart; r < hunk.newEnd; r++) out.push(`+${line(b[r] as string)}`);
      o = hunk.oldEnd;
    }
    for (; o < oldTo; o++) out.push(` ${line(a[o] as string)}`);
    index = last + 1;
  }
  return out.join('');
}
