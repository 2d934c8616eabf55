/**
 * Fixes are data (JSON-patch-like ops); this module turns them into the smallest text edits on the original
 * text (docs/architecture.md, "Fixes"). Edits are made from the located spans, never by re-serialising a document: indentation,
 * quoting, flow or block style and every comment stay as written, and every byte outside the edit is untouched.
 * A removed line's comments are kept on their own lines. Ops of one fix apply in order, each on the result of
 * the previous one (re-parsed), so a fix may create a parent and then fill it.
 */
import { blockLines, documentText, entryLines, flowText, keyText, scalarText, type Style } from '../yaml/emit';
import { applyEdits } from './diff';
import { Lru } from '../util/lru';
import { parsePointer } from '../util/pointer';
import { isJsonObject, type JsonValue, type PatchOp, type TextEdit } from '../types';
import { locationOf, type CollectionLocation, type EntryLocation } from '../yaml/location';
import { LenientLexer } from '../yaml/lexer';
import { parseChunk, splitDocuments, type ParsedDocument } from '../yaml/parse';

type ChunkDocument = Omit<ParsedDocument, 'index'>;

/**
 * Chunks parsed while fixing, by text: every op locates its document by counting the documents of the chunks
 * before it, and fix-all applies one fix at a time, so the same unchanged chunks would be parsed again and again.
 * The parsed documents are only read here.
 */
const parsedChunks = new Lru<string, ChunkDocument[]>(256, 4 * 1024 * 1024, (text) => text.length);

function parsed(text: string): ChunkDocument[] {
  let docs = parsedChunks.get(text);
  if (!docs) {
    docs = parseChunk(text);
    parsedChunks.set(text, docs);
  }
  return docs;
}

export class FixError extends Error {}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break ending the line that holds `offset` (or the text's end). */
function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  if (i === -1) return text.length;
  return text[i - 1] === '\r' ? i - 1 : i;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Spans of the comments in `text` (lexer tokens, so `#` inside strings is not one). */
export function comments(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let offset = 0;
  for (const lexeme of new LenientLexer().lex(text)) {
    if (lexeme.length === 1 && lexeme.charCodeAt(0) < 32 && lexeme !== '\n' && lexeme !== '\t' && lexeme !== '\r') continue;
    if (lexeme.startsWith('#')) out.push({ start: offset, end: offset + lexeme.length });
    offset += lexeme.length;
  }
  return out;
}

interface Node {
  value: unknown;
  entry: EntryLocation;
  /** The collection holding this entry (absent for the document root). */
  parent?: { value: unknown; location: CollectionLocation; index: number; entry: EntryLocation };
}

function rootOf(doc: ChunkDocument): Node {
  return { value: doc.value, entry: { keyStart: -1, keyEnd: -1, valueStart: doc.valueSpan.start, valueEnd: doc.valueSpan.end } };
}

/** Walks the located tree; keys with empty values are found too (their value is undefined). */
function find(doc: ChunkDocument, segments: string[]): Node | undefined {
  let node = rootOf(doc);
  for (const segment of segments) {
    const location = locationOf(node.value);
    if (!location || node.entry.aliased) return undefined;
    const index = location.keys ? location.keys.lastIndexOf(segment) : /^\d+$/.test(segment) ? Number(segment) : -1;
    const entry = location.at(index);
    if (!entry) return undefined;
    const value = typeof node.value === 'object' && node.value !== null ? (node.value as Record<string, unknown>)[segment] : undefined;
    node = { value, entry, parent: { value: node.value, location, index, entry: node.entry } };
  }
  return node;
}

function detectStyle(text: string, doc: ChunkDocument): Style {
  const steps = new Map<number, number>();
  let indentless = 0;
  let indented = 0;
  const visit = (value: unknown) => {
    const location = locationOf(value);
    if (!location) return;
    for (let i = 0; i < location.size; i++) {
      const entry = location.at(i) as EntryLocation;
      const key = location.keys?.[i];
      const child = key !== undefined ? (value as Record<string, unknown>)[key] : (value as unknown[])[i];
      const childLocation = locationOf(child);
      if (key !== undefined && entry.keyStart >= 0 && childLocation && !entry.aliased && text[childLocation.start] !== '{' && text[childLocation.start] !== '[') {
        const keyColumn = column(text, entry.keyStart);
        if (childLocation.keys && childLocation.size > 0) {
          const first = childLocation.at(0) as EntryLocation;
          if (first.keyStart >= 0 && lineStart(text, first.keyStart) !== lineStart(text, entry.keyStart)) {
            const step = column(text, first.keyStart) - keyColumn;
            if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
          }
        } else if (!childLocation.keys && childLocation.size > 0) {
          if (column(text, dashOf(text, childLocation.at(0) as EntryLocation)) === keyColumn) indentless++;
          else indented++;
        }
      }
      visit(child);
    }
  };
  visit(doc.value);
  const step = [...steps].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 2;
  return { step, indentlessSequences: indentless > indented, newline: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The `-` of a block sequence item. */
function dashOf(text: string, item: EntryLocation): number {
  let i = item.valueStart - 1;
  while (i >= 0 && text[i] !== '-' && text[i] !== '\n') i--;
  return i >= 0 && text[i] === '-' ? i : item.valueStart;
}

const isFlow = (text: string, location: CollectionLocation) => text[location.start] === '{' || text[location.start] === '[';

/** The quote a scalar was written with, to keep it. */
function quoteOf(text: string, entry: EntryLocation): '"' | "'" | undefined {
  const c = text[entry.valueStart];
  return c === '"' || c === "'" ? c : undefined;
}

/** Lines [start, end) with their comments kept (re-indented as full-line comments at `indent`). */
function removeLines(text: string, start: number, end: number, indent: number, newline: string): TextEdit {
  const kept = comments(text.slice(start, end)).map((c) => `${' '.repeat(indent)}${text.slice(start + c.start, start + c.end)}${newline}`);
  return { start, end, text: kept.join('') };
}

function edit(text: string, doc: ChunkDocument, op: PatchOp, style: Style): TextEdit {
  switch (op.op) {
    case 'add':
      return add(text, doc, parsePointer(op.path), op.value, style, op.comment);
    case 'replace':
      return replace(text, doc, parsePointer(op.path), op.value, style, op.comment);
    case 'remove':
      return remove(text, doc, parsePointer(op.path), style);
    case 'move': {
      const from = parsePointer(op.from);
      const to = parsePointer(op.path);
      const node = find(doc, from);
      if (!node || node.entry.keyStart < 0 || to.slice(0, -1).join('/') !== from.slice(0, -1).join('/')) throw new FixError(`cannot rename ${op.from}`);
      return { start: node.entry.keyStart, end: node.entry.keyEnd, text: keyText(to.at(-1) as string) };
    }
    default:
      throw new FixError(`unsupported op ${op.op}`);
  }
}

function replace(text: string, doc: ChunkDocument, segments: string[], value: JsonValue, style: Style, comment?: string): TextEdit {
  const node = find(doc, segments);
  if (!node) return add(text, doc, segments, value, style, comment);
  const { entry } = node;
  const oldIsCollection = locationOf(node.value) !== undefined;
  const newIsCollection = (Array.isArray(value) && value.length > 0) || (isJsonObject(value) && Object.keys(value).length > 0);
  if (oldIsCollection || newIsCollection) throw new FixError('replacing a collection: remove it, then add the new value');
  const written = scalarText(value, quoteOf(text, entry));
  // A comment only fits where the value ends its line (not inside `{a: 1, b: 2}`, not before another comment).
  const note = comment && /^\s*$/.test(text.slice(entry.valueEnd, lineEnd(text, entry.valueEnd))) ? `  # ${comment}` : '';
  if (entry.valueEnd === entry.valueStart) return { start: entry.valueStart, end: entry.valueEnd, text: ` ${written}${note}` };
  return { start: entry.valueStart, end: entry.valueEnd, text: written + note };
}

function add(text: string, doc: ChunkDocument, segments: string[], value: JsonValue, style: Style, comment?: string): TextEdit {
  if (segments.length === 0) throw new FixError('cannot add the document itself');
  // Find the deepest ancestor that exists and wrap the value in the missing levels.
  let depth = segments.length - 1;
  while (depth > 0 && !find(doc, segments.slice(0, depth))) depth--;
  let wrapped = value;
  for (let i = segments.length - 1; i > depth; i--) {
    const segment = segments[i] as string;
    wrapped = segment === '-' || /^\d+$/.test(segment) ? [wrapped] : { [segment]: wrapped };
  }
  const key = segments[depth] as string;
  const parent = find(doc, segments.slice(0, depth)) as Node;
  const existing = find(doc, segments.slice(0, depth + 1));
  if (existing && existing.value === undefined && key !== '-') return replaceEmpty(text, existing, wrapped, style, comment);
  if (existing && key !== '-') throw new FixError(`${segments.slice(0, depth + 1).join('/')} already exists`);
  const location = locationOf(parent.value);
  const isArray = Array.isArray(parent.value);
  if (parent.value === undefined || parent.value === null) {
    // `key:` with no value: the new content goes under it.
    if (parent.entry.keyStart < 0) throw new FixError('cannot add under an empty sequence item');
    return replaceEmpty(text, parent, key === '-' ? [wrapped] : { [key]: wrapped }, style, comment);
  }
  if (!location) throw new FixError(`cannot add into a scalar at /${segments.slice(0, depth).join('/')}`);
  if (isArray && key !== '-' && Number(key) !== location.size) throw new FixError('can only append to a list');
  if (!isArray && key === '-') throw new FixError('cannot append to a mapping');

  if (isFlow(text, location)) {
    const close = location.end - 1;
    const item = isArray ? flowText(wrapped) : `${keyText(key)}: ${flowText(wrapped)}`;
    if (location.size === 0) return { start: close, end: close, text: item };
    const last = location.at(location.size - 1) as EntryLocation;
    return { start: last.valueEnd, end: last.valueEnd, text: `, ${item}` };
  }
  // A block mapping whose every key was dropped (`? [a]: 1`: a collection cannot be a JSON key) has no entry to follow.
  const last = location.at(location.size - 1);
  if (!last) throw new FixError(`no entry of /${segments.slice(0, depth).join('/')} to add after`);
  const at = lineEnd(text, Math.max(last.valueEnd, last.keyEnd));
  if (isArray) {
    const dash = column(text, dashOf(text, location.at(0) as EntryLocation));
    const lines = blockLines([wrapped], dash, style);
    if (comment && !isJsonObject(wrapped) && !Array.isArray(wrapped)) lines[0] += `  # ${comment}`;
    return { start: at, end: at, text: style.newline + lines.join(style.newline) };
  }
  const first = location.at(0) as EntryLocation;
  const indent = column(text, first.keyStart >= 0 ? first.keyStart : first.valueStart);
  // A comment belongs to the value the op names: on the leaf when missing parents were created on the way.
  const wrappedParents = depth < segments.length - 1;
  const lines = entryLines(key, wrapped, indent, style, wrappedParents ? undefined : comment);
  if (wrappedParents && comment) lines[lines.length - 1] += `  # ${comment}`;
  return { start: at, end: at, text: style.newline + lines.join(style.newline) };
}

/** Gives an entry written as `key:` (no value) a value. */
function replaceEmpty(text: string, node: Node, value: JsonValue, style: Style, comment?: string): TextEdit {
  const isCollection = (Array.isArray(value) && value.length > 0) || (isJsonObject(value) && Object.keys(value).length > 0);
  if (!isCollection) {
    const note = comment ? `  # ${comment}` : '';
    return { start: node.entry.valueStart, end: node.entry.valueEnd, text: ` ${flowText(value)}${note}` };
  }
  const keyColumn = column(text, node.entry.keyStart);
  const indent = Array.isArray(value) && style.indentlessSequences ? keyColumn : keyColumn + style.step;
  const at = lineEnd(text, node.entry.keyEnd);
  const lines = blockLines(value, indent, style);
  if (comment) lines[lines.length - 1] += `  # ${comment}`;
  return { start: at, end: at, text: style.newline + lines.join(style.newline) };
}

function remove(text: string, doc: ChunkDocument, segments: string[], style: Style): TextEdit {
  const node = find(doc, segments);
  if (!node?.parent) throw new FixError(`nothing to remove at /${segments.join('/')}`);
  const { entry, parent } = node;
  const { location } = parent;
  const flow = isFlow(text, location);
  const last = location.size - 1;
  const start = entry.keyStart >= 0 ? entry.keyStart : flow ? entry.valueStart : dashOf(text, entry);
  if (flow) {
    // `{a: 1, b: 2}` / `[x, y]`: take the entry with one neighbouring comma.
    if (location.size === 1) return { start, end: entry.valueEnd, text: '' };
    if (parent.index < last) {
      const next = location.at(parent.index + 1) as EntryLocation;
      return { start, end: next.keyStart >= 0 ? next.keyStart : next.valueStart, text: '' };
    }
    const previous = location.at(parent.index - 1) as EntryLocation;
    return { start: previous.valueEnd, end: entry.valueEnd, text: '' };
  }
  const before = text.slice(lineStart(text, start), start);
  if (before.trim() === '') {
    if (location.size === 1 && parent.entry.keyStart >= 0) {
      // The only entry of `key:` goes; `key: {}` (or `[]`) keeps the parent meaning "empty".
      const colon = text.indexOf(':', parent.entry.keyEnd);
      const keyLineEnd = lineEnd(text, colon);
      const from = text.startsWith('\r\n', keyLineEnd) ? keyLineEnd + 2 : keyLineEnd + 1;
      let to = lineEnd(text, entry.valueEnd);
      to = text.startsWith('\r\n', to) ? to + 2 : text[to] === '\n' ? to + 1 : to;
      const kept = removeLines(text, from, to, column(text, start), style.newline).text;
      return { start: colon + 1, end: to, text: (Array.isArray(parent.value) ? ' []' : ' {}') + text.slice(colon + 1, from) + kept };
    }
    // Whole lines, from this entry's line to the end of its value's last line.
    const from = lineStart(text, start);
    let to = lineEnd(text, entry.valueEnd);
    to = text.startsWith('\r\n', to) ? to + 2 : text[to] === '\n' ? to + 1 : to;
    return removeLines(text, from, to, column(text, start), style.newline);
  }
  // The entry shares its line with something before it: `- name: x` (first key of a sequence item).
  if (parent.index < last) {
    const next = location.at(parent.index + 1) as EntryLocation;
    const nextStart = next.keyStart >= 0 ? next.keyStart : dashOf(text, next);
    const removal = removeLines(text, start, lineStart(text, nextStart), column(text, start), style.newline);
    return { start, end: nextStart, text: removal.text.trimStart() };
  }
  return { start, end: entry.valueEnd, text: Array.isArray(parent.value) ? '[]' : '{}' };
}

/** The chunk holding document `docIndex` of a file, and the document's index inside it. */
function chunkOf(text: string, docIndex: number): { start: number; text: string; index: number } {
  let seen = 0;
  for (const chunk of splitDocuments(text)) {
    const count = parsed(chunk.text).length;
    if (docIndex < seen + count) return { ...chunk, index: docIndex - seen };
    seen += count;
  }
  throw new FixError(`no document ${docIndex}`);
}

/** Applies one fix's ops to a file and returns the new text. */
export function applyOps(fileText: string, docIndex: number, ops: readonly PatchOp[]): string {
  let text = fileText;
  for (const op of ops) {
    if (op.op === 'append-document') {
      const newline = text.includes('\r\n') ? '\r\n' : '\n';
      const separator = text.length === 0 || text.endsWith('\n') ? '' : newline;
      text = `${text}${separator}---${newline}${documentText(op.value, { step: 2, indentlessSequences: false, newline }, op.comment)}`;
      continue;
    }
    const chunk = chunkOf(text, docIndex);
    const doc = parsed(chunk.text)[chunk.index];
    if (!doc || doc.broken) throw new FixError('the document does not parse');
    const change = edit(chunk.text, doc, op, detectStyle(chunk.text, doc));
    const updated = applyEdits(chunk.text, [change]);
    text = text.slice(0, chunk.start) + updated + text.slice(chunk.start + chunk.text.length);
  }
  return text;
}
