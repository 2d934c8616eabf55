/**
 * What a fix must never do (issue 8), checked on the text before and after:
 * 1. the result parses: no document newly broken, no new yaml/* finding;
 * 2. the finding it fixes is gone: fewer findings of that rule and message on that resource (or none left);
 * 3. no schema or API finding appears that was not there (compared by rule and message);
 * 4. no comment is lost: every comment of the original is still there (same text), and each added comment is a
 *    line of a comment the fix declares (its `# TODO ...` / `# kgov: ...` note);
 * 5. lines outside the edits are byte-identical: every line the line diff removes or inserts lies inside the
 *    region of one of the fix's ops, i.e. the entry it replaces, removes or renames, or (for an add) the deepest
 *    entry that already exists on the op's path; appended documents go at the end of the file.
 */
import { diffLines, splitLines } from '../../server/src/engine/fix/diff';
import type { Engine } from '../../server/src/engine/engine';
import { comments } from '../../server/src/engine/fix/edits';
import type { Finding, PatchOp } from '../../server/src/engine/types';
import type { Workspace } from '../../server/src/engine/workspace';
import { locate, rootEntry } from '../../server/src/engine/yaml/locate';

export interface FixedFinding {
  ruleId: string;
  messageId: string;
  docIndex: number;
  resourcePointer?: string;
  fix?: { patch: PatchOp[] };
}

/** Findings of one lint, grouped the way the checks compare them. */
export interface LintSummary {
  findings: Finding[];
  brokenDocuments: number;
}

export function summarize(engine: Engine, path: string, text: string, workspace: Workspace): LintSummary {
  const brokenDocuments = engine.analyze(path, text).documents.filter((d) => d.broken).length;
  return { findings: engine.lint(path, text, workspace), brokenDocuments };
}

const kindOf = (f: Pick<Finding, 'ruleId' | 'messageId' | 'docIndex' | 'resourcePointer'>) => `${f.ruleId}|${f.messageId}|${f.docIndex}|${f.resourcePointer ?? ''}`;
const isStructural = (f: Finding) => f.ruleId.startsWith('schema/') || f.ruleId.startsWith('api/') || f.ruleId.startsWith('yaml/');

function counts(keys: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

/** Keys of `after` beyond what `before` holds (multiset difference). */
function added(before: string[], after: string[]): string[] {
  const left = counts(before);
  const out: string[] = [];
  for (const k of after) {
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(k);
  }
  return out;
}

/** Zero-based [first, last] lines of the original text a fix's ops may change (see 5. above). */
export function regionsOf(engine: Engine, path: string, text: string, docIndex: number, ops: readonly PatchOp[]): Array<[number, number]> {
  // Lines as the line diff counts them (split after each \n).
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((breaks[mid] as number) < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const regions: Array<[number, number]> = [];
  const target = engine.analyze(path, text).documents[docIndex];
  const last = breaks.length;
  for (const op of ops) {
    if (op.op === 'append-document') {
      regions.push([Math.max(0, last - 1), last]);
      continue;
    }
    if (!target) continue;
    const doc = target;
    const { base } = target;
    const pointer = op.op === 'add-annotation' ? '/metadata/annotations' : op.op === 'move' ? op.from : op.path;
    const found = locate(doc.value, rootEntry(doc), pointer);
    // remove and replace change the entry itself; `key:` left empty by a remove becomes `key: {}` on its parent's line.
    let entry = found.entry;
    if (found.complete && op.op === 'remove') entry = locate(doc.value, rootEntry(doc), pointer.slice(0, pointer.lastIndexOf('/'))).entry;
    const start = entry.keyStart >= 0 ? entry.keyStart : entry.valueStart;
    // A sequence item starts at its dash, earlier on the same line (or on the line before for `-\n  key: v`).
    const first = Math.max(0, lineOf(start + base) - (entry.keyStart < 0 ? 1 : 0));
    regions.push([first, lineOf(Math.max(entry.valueEnd, entry.keyEnd) + base) + 1]);
  }
  return regions;
}

/** Original lines the line diff from `before` to `after` touches: removed lines and insertion points. */
function touchedLines(before: string, after: string): number[] {
  const out: number[] = [];
  for (const hunk of diffLines(splitLines(before), splitLines(after))) {
    if (hunk.oldEnd > hunk.oldStart) for (let l = hunk.oldStart; l < hunk.oldEnd; l++) out.push(l);
    else out.push(hunk.oldStart);
  }
  return out;
}

export interface CheckInput {
  engine: Engine;
  path: string;
  before: string;
  after: string;
  beforeLint: LintSummary;
  /** A workspace holding `after` in place of `before` (for cross-resource rules). */
  workspaceAfter: Workspace;
  fixed: readonly FixedFinding[];
}

/** Comments of the texts checked last (the original is compared with each of its fixes). */
const commentCache = new Map<string, string[]>();

/** The violations of 1-5 (empty when the fix is safe). */
export function checkFix(input: CheckInput): string[] {
  const { engine, path, before, after, beforeLint, fixed } = input;
  const problems: string[] = [];
  const afterLint = summarize(engine, path, after, input.workspaceAfter);
  // 1. It parses.
  if (afterLint.brokenDocuments > beforeLint.brokenDocuments) problems.push(`${afterLint.brokenDocuments - beforeLint.brokenDocuments} document(s) no longer parse`);
  // 2. The fixed findings are gone.
  const beforeKinds = counts(beforeLint.findings.map(kindOf));
  const afterKinds = counts(afterLint.findings.map(kindOf));
  // (With several fixes, one may raise a finding another then fixes: `replicas: 2` brings pod-anti-affinity.)
  for (const kind of new Set(fixed.map(kindOf))) {
    const left = afterKinds.get(kind) ?? 0;
    if (left > 0 && left >= (beforeKinds.get(kind) ?? 0)) problems.push(`the fixed finding is still there: ${kind}`);
  }
  // 1 and 3. No new YAML, schema or API finding.
  const structural = (s: LintSummary) => s.findings.filter(isStructural).map((f) => `${f.ruleId}: ${f.message}`);
  for (const k of added(structural(beforeLint), structural(afterLint))) problems.push(`new finding ${k}`);
  // 4. No comment lost; new comments only from the fix's own notes.
  const commentTexts = (text: string) => {
    let texts = commentCache.get(text);
    if (!texts) {
      texts = comments(text).map((c) => text.slice(c.start, c.end).trimEnd());
      if (commentCache.size > 64) commentCache.clear();
      commentCache.set(text, texts);
    }
    return texts;
  };
  const originalComments = commentTexts(before);
  const resultComments = commentTexts(after);
  for (const lost of added(resultComments, originalComments)) problems.push(`comment lost: ${lost}`);
  const declared = new Set(fixed.flatMap((f) => f.fix?.patch ?? []).flatMap((op) => ('comment' in op && op.comment ? op.comment.split('\n').map((c) => `# ${c}`.trimEnd()) : [])));
  for (const extra of added(originalComments, resultComments)) if (!declared.has(extra)) problems.push(`comment added that no fix declares: ${extra}`);
  // 5. Lines outside the edits are byte-identical.
  const regions = fixed.flatMap((f) => regionsOf(engine, path, before, f.docIndex, f.fix?.patch ?? []));
  for (const line of touchedLines(before, after)) {
    if (!regions.some(([from, to]) => line >= from && line <= to)) {
      problems.push(`line ${line + 1} changed outside the fix's regions (${regions.map(([a, b]) => `${a + 1}-${b + 1}`).join(', ')}): ${JSON.stringify(splitLines(before)[line] ?? '<end>')}`);
      break;
    }
  }
  return problems;
}
