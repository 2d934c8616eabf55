/**
 * Caret expectations in fixture files (DESIGN §10): a comment line under the offending line marks the expected
 * range and `<rule-id>/<message-id>` (rule ids may contain '/': the message id is the last segment).
 *
 *       resources: {}
 *   #   ^^^^^^^^^ cpu-requests-set/missing
 *
 * A `#` directly followed by carets counts as a caret itself, so column 0 can be marked: `#^^^` under `spec:`.
 */
import type { Finding } from '../../server/src/engine/types';

export interface Expectation {
  line: number;
  start: number;
  end: number;
  ruleId: string;
  messageId: string;
}

const CARET_LINE = /^(\s*)#(\s*)(\^+)\s+(\S+)\s*$/;

export function isCaretLine(line: string): boolean {
  return CARET_LINE.test(line);
}

export function parseCarets(text: string): Expectation[] {
  const lines = text.split(/\r?\n/);
  const out: Expectation[] = [];
  let target = -1;
  lines.forEach((line, index) => {
    const match = CARET_LINE.exec(line);
    if (!match) {
      target = index;
      return;
    }
    const [, indent, gap, carets, id] = match as unknown as [string, string, string, string, string];
    const slash = id.lastIndexOf('/');
    if (slash <= 0) throw new Error(`line ${index + 1}: expected <rule-id>/<message-id>, got "${id}"`);
    const start = gap === '' ? indent.length : indent.length + 1 + gap.length;
    const end = indent.length + 1 + gap.length + carets.length;
    out.push({ line: target, start, end, ruleId: id.slice(0, slash), messageId: id.slice(slash + 1) });
  });
  return out;
}

/** Findings in the caret notation, for readable assertion diffs. */
export function describe(e: Expectation): string {
  return `${e.line + 1}:${e.start + 1}-${e.end + 1} ${e.ruleId}/${e.messageId}`;
}

export function toExpectation(f: Finding): Expectation {
  return { line: f.range.start.line, start: f.range.start.character, end: f.range.end.line === f.range.start.line ? f.range.end.character : Infinity, ruleId: f.ruleId, messageId: f.messageId };
}

export function sortedDescriptions(list: Expectation[]): string[] {
  return list.map(describe).sort();
}
