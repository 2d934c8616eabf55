/**
 * The one place where a JSON pointer becomes a text span (docs/architecture.md, "Findings and ranges"):
 * missing property -> the parent's key (at the root: the `kind:` value); unknown property -> that key;
 * wrong value -> that value; whole-object findings -> the `metadata.name` value.
 */
import { parsePointer } from '../util/pointer';
import type { Anchor, Span } from '../types';
import { keySpan, locationOf, valueSpan, type EntryLocation } from './location';

export interface Located {
  /** The entry the pointer reached (the deepest one, when `complete` is false). */
  entry: EntryLocation;
  /** The value at that entry. */
  node: unknown;
  /** The entry of the parent of `entry`, if any. */
  parent?: EntryLocation;
  /** Every segment of the pointer resolved (false: it stopped at a missing key or inside an alias). */
  complete: boolean;
}

/** Walks `pointer` through the located values of one document. `root` is the document's root entry. */
export function locate(value: unknown, root: EntryLocation, pointer: string): Located {
  let node = value;
  let entry = root;
  let parent: EntryLocation | undefined;
  for (const segment of parsePointer(pointer)) {
    // Below an alias the nodes live at the anchor, somewhere else: point at the alias itself.
    if (entry.aliased) return { entry, node, parent, complete: false };
    const location = locationOf(node);
    const child = location?.entry(segment);
    if (!child) return { entry, node, parent, complete: false };
    parent = entry;
    entry = child;
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return { entry, node, parent, complete: true };
}

export interface DocumentLike {
  value: unknown;
  valueSpan: Span;
}

export function rootEntry(doc: DocumentLike): EntryLocation {
  return { keyStart: -1, keyEnd: -1, valueStart: doc.valueSpan.start, valueEnd: doc.valueSpan.end };
}

/**
 * A span a person can see on one line: an empty value (`key:`) or a whole collection is shown on its key;
 * a sequence item that is a map, on its first key.
 */
function visible(found: Pick<Located, 'entry' | 'node'>, prefer: 'key' | 'value'): Span {
  const key = keySpan(found.entry);
  const value = valueSpan(found.entry);
  const collection = locationOf(found.node);
  if (prefer === 'value' && value.end > value.start && !collection) return value;
  if (key) return key;
  const firstKey = collection?.keys ? collection.at(0) : undefined;
  if (firstKey && !found.entry.aliased) return keySpan(firstKey) ?? value;
  return value;
}

function kindValue(doc: DocumentLike, root: EntryLocation): Span {
  const kind = locate(doc.value, root, '/kind');
  if (kind.complete) return visible(kind, 'value');
  const apiVersion = locate(doc.value, root, '/apiVersion');
  if (apiVersion.complete) return visible(apiVersion, 'value');
  // A document with neither: its first line.
  return { start: root.valueStart, end: Math.min(root.valueEnd, root.valueStart + 1) };
}

/** The whole node at `pointer`, from its key (if it has one) to the end of its value: for outlines and folding. */
export function extentOf(doc: DocumentLike, pointer: string): Span {
  const found = locate(doc.value, rootEntry(doc), pointer);
  const key = keySpan(found.entry);
  const value = valueSpan(found.entry);
  return { start: key ? Math.min(key.start, value.start) : value.start, end: Math.max(value.end, key?.end ?? value.end) };
}

/** Maps `pointer` (relative to the document root) to a span, with the anchoring policy above. */
export function spanOf(doc: DocumentLike, pointer: string, anchor: Anchor): Span {
  const root = rootEntry(doc);
  if (anchor === 'name') {
    const name = locate(doc.value, root, pointer === '' ? '/metadata/name' : `${pointer}/metadata/name`);
    if (name.complete) return visible(name, 'value');
    return spanOf(doc, pointer, 'parentKey');
  }
  const found = locate(doc.value, root, pointer);
  if (anchor === 'parentKey') {
    // `pointer` names the object that lacks a property: show its key, or `kind:` for the document itself.
    if (found.entry === root) return kindValue(doc, root);
    return visible(found, 'key');
  }
  if (found.entry === root) return kindValue(doc, root);
  if (!found.complete) return visible(found, 'key');
  return visible(found, anchor === 'key' ? 'key' : 'value');
}
