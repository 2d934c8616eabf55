/**
 * An independent route from YAML text to the values kgov validates: the `yaml` package's own Composer and
 * Document nodes over the same (kubectl-lenient) CST, converted with the same scalar rules. The fast CST composer
 * must agree with it. What kgov reads differently from YAML 1.2 on purpose (go-yaml's rules) is checked against
 * libyaml in test/differential.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { parseLeniently } from '../../../server/src/engine/yaml/lexer';
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
    // A block scalar ending the file without a line break has no break to keep (go-yaml).
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    if (block && node.range && source[node.range[1] - 1] !== '\n') return text.replace(/\n$/, '');
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
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const rawKey = convert(keyNode, doc, '', new Map(), seen);
      const key = typeof rawKey === 'object' && rawKey !== null ? undefined : keyString(rawKey as Scalar);
      if (key === undefined) continue;
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag) {
        // As go-yaml merges: where `<<` stands, earlier sources of a list over later ones.
        const source = convert(pair.value, doc, '', new Map(), seen);
        const sources = Array.isArray(source) ? source : [source];
        for (let i = sources.length - 1; i >= 0; i--) {
          const from = sources[i];
          if (typeof from === 'object' && from !== null && !Array.isArray(from)) {
            for (const [k, v] of Object.entries(from)) {
              out[k] = v;
              spans.delete(`${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
            }
          }
        }
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
    return out;
  }
  return null;
}

/** The text being converted (block scalars look at their last character). */
let source = '';

export function referenceDocuments(text: string): ReferenceDocument[] {
  source = text;
  const composer = new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false, merge: false });
  const list = [...composer.compose(parseLeniently(text).tokens, false, text.length)];
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
