/**
 * An independent route from YAML text to the values kgov validates: the `yaml` package's own Composer and
 * Document nodes, converted with the same scalar rules. The fast CST composer must agree with it.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { keyString, resolvePlain, resolveTagged, type Scalar } from '../../../server/src/engine/yaml/scalars';

export interface ReferenceDocument {
  errors: string[];
  value: unknown;
  /** Key spans and value starts, keyed by JSON pointer, for the nodes the composer locates. */
  spans: Map<string, { keyStart?: number; keyEnd?: number; valueStart?: number }>;
}

function convert(node: unknown, doc: Document, pointer: string, spans: ReferenceDocument['spans'], seen = new Map<Node, unknown>()): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc), doc, pointer, new Map(), seen);
  if (isScalar(node)) {
    const text = node.value === null ? '' : String(node.value);
    const tag = node.tag;
    if (tag && tag !== '!' ) return resolveTagged(tag, text);
    if (tag === '!' || node.type !== 'PLAIN') return text;
    return resolvePlain(text);
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      const at = `${pointer}/${i}`;
      const range = (item as Node | null)?.range;
      if (range && !isAlias(item)) spans.set(at, { valueStart: range[0] });
      return convert(item, doc, at, spans, seen);
    });
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const rawKey = convert(keyNode, doc, '', new Map(), seen);
      const key = typeof rawKey === 'object' && rawKey !== null ? undefined : keyString(rawKey as Scalar);
      if (key === undefined) continue;
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag) {
        const source = convert(pair.value, doc, '', new Map(), seen);
        for (const m of Array.isArray(source) ? source : [source]) if (typeof m === 'object' && m !== null) merged.push(m as Record<string, unknown>);
        continue;
      }
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const value = convert(pair.value, doc, at, spans, seen);
      const keyRange = keyNode?.range;
      const valueNode = pair.value as Node | null;
      const entry: { keyStart?: number; keyEnd?: number; valueStart?: number } = {};
      if (keyRange && isScalar(keyNode)) {
        entry.keyStart = keyRange[0];
        entry.keyEnd = keyRange[1];
      }
      if (valueNode?.range && !(isScalar(valueNode) && valueNode.value === null && valueNode.source === '')) entry.valueStart = valueNode.range[0];
      spans.set(at, entry);
      if (value === null) delete out[key];
      else out[key] = value;
    }
    for (const source of merged) for (const [k, v] of Object.entries(source)) if (!(k in out) && !node.items.some((p) => isPair(p) && keyOf(p.key) === k)) out[k] = v;
    return out;
  }
  return null;
}

function keyOf(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

export function referenceDocuments(text: string): ReferenceDocument[] {
  const docs = parseAllDocuments(text, { version: '1.1', schema: 'failsafe', uniqueKeys: false, merge: false });
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc) => {
    const spans = new Map<string, { keyStart?: number; keyEnd?: number; valueStart?: number }>();
    const errors = doc.errors.map((e) => e.message);
    return { errors, value: errors.length ? undefined : convert(doc.contents, doc, '', spans), spans };
  });
}

/** A deep copy without symbol-keyed properties (the composer's span tables). */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}
