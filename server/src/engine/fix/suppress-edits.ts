/**
 * The waivers kgov writes for the user ("Ignore R for this object", "Ignore R for this line"): the rule id added
 * to the object's `kgov.io/ignore` annotation, or a disable comment above the line.
 */
import { IGNORE_ANNOTATION } from '../lint/suppress';
import { joinPointer, valueAt } from '../util/pointer';
import { parseChunk, splitDocuments } from '../yaml/parse';
import type { TextEdit } from '../types';
import { applyOps } from './edits';

/** The text with `ruleId` in the annotation of the resource at `resourcePointer` of document `docIndex` (created, or extended). */
export function ignoreForObject(text: string, docIndex: number, resourcePointer: string, ruleId: string): string {
  const pointer = joinPointer(resourcePointer, 'metadata', 'annotations', IGNORE_ANNOTATION);
  let seen = 0;
  let current: unknown;
  for (const chunk of splitDocuments(text)) {
    for (const doc of parseChunk(chunk.text)) {
      if (seen++ === docIndex) current = valueAt(doc.value, pointer);
    }
  }
  const existing = typeof current === 'string' ? current.split(/[\s,]+/).filter(Boolean) : [];
  if (existing.includes(ruleId) || existing.includes('*')) return text;
  const value = [...existing, ruleId].join(',');
  return applyOps(text, docIndex, [{ op: typeof current === 'string' ? 'replace' : 'add', path: pointer, value }]);
}

/** The edit that puts `# kgov-disable-next-line <ruleId>` above the line starting at `lineStart`, at its indentation. */
export function ignoreForLine(text: string, lineStart: number, ruleId: string): TextEdit {
  const indent = (/^[ \t]*/.exec(text.slice(lineStart)) as RegExpExecArray)[0];
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, text: `${indent}# kgov-disable-next-line ${ruleId} -- TODO: why${newline}` };
}
