/**
 * The literal structure of a text that may not be YAML yet (a Helm template, a values file): its block keys and
 * sequence items by indentation, skipping lines that are only template directives. Walking a JSON pointer through
 * it finds the line that wrote a key even when a directive fills the value.
 */
import { parsePointer } from '../util/pointer';

export interface OutlineLine {
  /** Zero-based line number in the text. */
  line: number;
  /** Offset of the line start in the text. */
  offset: number;
  /** Column of the `- ` item marker, or -1. */
  dash: number;
  /** Column of the key, or -1 (a scalar item, or a line that is only a value). */
  keyColumn: number;
  /** The key as written (unquoted); undefined when it has a directive in it or there is none. */
  key?: string;
  keyEnd: number;
  /** Columns of the value written after the key, when it is on this line. */
  valueStart: number;
  valueEnd: number;
  /** The line's text (without its line break). */
  text: string;
}

export interface OutlineDocument {
  /** Structural lines only: keys and items. */
  lines: OutlineLine[];
  /** The first and last line numbers of the document in the text (every line, directives included). */
  firstLine: number;
  lastLine: number;
}

const DIRECTIVE_ONLY = /^\s*(\{\{.*?\}\}\s*)+$/;
const ITEM = /^(\s*)-(?:\s+|$)/;
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`-][^:#{}]*?|-[^\s:#{}][^:#{}]*?)\s*:(?=\s|$)/;

/** Splits `text` at `---` lines into documents and reads each one's literal keys and items. */
export function outline(text: string): OutlineDocument[] {
  const documents: OutlineDocument[] = [];
  let current: OutlineDocument = { lines: [], firstLine: 0, lastLine: 0 };
  let offset = 0;
  let blockIndent = -1;
  const rawLines = text.split('\n');
  for (let n = 0; n < rawLines.length; n++) {
    const text = (rawLines[n] as string).replace(/\r$/, '');
    const lineOffset = offset;
    offset += (rawLines[n] as string).length + 1;
    if (/^---(\s|$)/.test(text)) {
      current.lastLine = n - 1;
      documents.push(current);
      current = { lines: [], firstLine: n + 1, lastLine: n + 1 };
      blockIndent = -1;
      continue;
    }
    const indent = text.length - text.trimStart().length;
    const trimmed = text.trim();
    // Lines of a block scalar (`key: |`) are text, not structure.
    if (blockIndent >= 0) {
      if (trimmed === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (trimmed === '' || trimmed.startsWith('#') || DIRECTIVE_ONLY.test(text)) continue;
    let column = indent;
    let dash = -1;
    for (let item = ITEM.exec(text.slice(column)); item; item = ITEM.exec(text.slice(column))) {
      // `- - x` nests items; the innermost marker is the one that opens the item on this line.
      dash = column + (item[1] as string).length;
      column += item[0].length;
      if (column >= text.length) break;
    }
    const rest = text.slice(column);
    const key = KEY.exec(rest);
    const entry: OutlineLine = { line: n, offset: lineOffset, dash, keyColumn: -1, keyEnd: -1, valueStart: -1, valueEnd: -1, text };
    if (key) {
      const written = key[1] as string;
      entry.keyColumn = column;
      entry.keyEnd = column + written.length;
      if (!written.includes('{{')) entry.key = unquote(written);
      const after = column + key[0].length;
      const value = text.slice(after).replace(/\s+#.*$/, '');
      const start = after + (value.length - value.trimStart().length);
      entry.valueStart = start;
      entry.valueEnd = after + value.trimEnd().length;
      const writtenValue = text.slice(start, entry.valueEnd);
      if (/^[|>][-+0-9]*$/.test(writtenValue)) blockIndent = dash >= 0 ? dash : column;
    } else if (dash < 0) {
      continue;
    }
    current.lines.push(entry);
  }
  current.lastLine = rawLines.length - 1;
  documents.push(current);
  return documents.filter((d) => d.lines.length > 0);
}

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** Where a line starts its structure: its item marker, else its key. */
const startOf = (l: OutlineLine) => (l.dash >= 0 ? l.dash : l.keyColumn);

export interface Walked {
  /** The deepest line the pointer reached (undefined: not even its first segment). */
  line?: OutlineLine;
  /** Every segment resolved to a literal key or item. */
  complete: boolean;
  /** Structural lines below the reached line (its value's block). */
  blockEnd: number;
}

/**
 * Walks `pointer` through a document's literal keys and items, as far as they go. A key written by a directive
 * (`{{ .Values.key }}: x`) or an item produced by a loop cannot be matched, so the walk stops at its parent.
 */
export function walkOutline(doc: OutlineDocument, pointer: string): Walked {
  const lines = doc.lines;
  // A mapping scope: lines [from, to) whose keys sit at `column`; `item` marks the line that opened a sequence item.
  let from = 0;
  let to = lines.length;
  let column = Math.min(...lines.map(startOf));
  let itemLine = -1;
  let reached: number | undefined;
  for (const segment of parsePointer(pointer)) {
    if (/^(0|[1-9]\d*)$/.test(segment) && reached !== undefined && !isMappingScope(lines, from, to, column, itemLine)) {
      const dash = lines[from]?.dash ?? -1;
      if (dash < 0) return done(reached, false);
      const items: number[] = [];
      for (let i = from; i < to; i++) if ((lines[i] as OutlineLine).dash === dash) items.push(i);
      const at = items[Number(segment)];
      if (at === undefined) return done(reached, false);
      reached = at;
      const item = lines[at] as OutlineLine;
      from = at;
      to = blockEnd(lines, at, dash, true);
      column = item.keyColumn >= 0 ? item.keyColumn : dash + 2;
      itemLine = at;
      continue;
    }
    let found = -1;
    for (let i = from; i < to; i++) {
      const l = lines[i] as OutlineLine;
      if (l.keyColumn !== column || (l.dash >= 0 && i !== itemLine)) continue;
      if (l.key === segment) {
        found = i;
        break;
      }
    }
    if (found < 0) return done(reached, false);
    reached = found;
    const l = lines[found] as OutlineLine;
    from = found + 1;
    to = blockEnd(lines, found, l.keyColumn, false);
    const first = lines[from];
    column = from < to && first ? (first.dash >= 0 ? first.dash : first.keyColumn) : Infinity;
    itemLine = -1;
  }
  return done(reached, true);

  function done(at: number | undefined, complete: boolean): Walked {
    if (at === undefined) return { complete: false, blockEnd: 0 };
    const l = lines[at] as OutlineLine;
    const end = blockEnd(lines, at, l.dash >= 0 && at === itemLine ? l.dash : l.keyColumn, at === itemLine);
    return { line: l, complete, blockEnd: end < lines.length ? (lines[end] as OutlineLine).line : doc.lastLine + 1 };
  }
}

function isMappingScope(lines: OutlineLine[], from: number, to: number, column: number, itemLine: number): boolean {
  if (itemLine >= 0) return true;
  const first = lines[from];
  return from < to && first !== undefined && first.dash < 0 && first.keyColumn === column;
}

/** The index after the last line that belongs to the block of line `at` (whose structure starts at `column`). */
function blockEnd(lines: OutlineLine[], at: number, column: number, isItem: boolean): number {
  let end = at + 1;
  for (; end < lines.length; end++) {
    const l = lines[end] as OutlineLine;
    const start = startOf(l);
    if (start > column) continue;
    // A sequence may sit at its parent key's column (`containers:` then `- name:` below it).
    if (!isItem && start === column && l.dash === column && (lines[at] as OutlineLine).valueStart === (lines[at] as OutlineLine).valueEnd) continue;
    break;
  }
  return end;
}
