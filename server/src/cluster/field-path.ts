/**
 * The field paths the API server writes in errors -> JSON pointers into the document that was sent.
 *
 * Two notations reach us: the validation one (`spec.template.spec.containers[0].image`,
 * `metadata.annotations[example.com/key]`) in Status causes, and structured-merge-diff's for server-side
 * apply (`.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].hostPort`,
 * `.metadata.finalizers[="x"]`), whose list items are named by their keys rather than their index.
 * A path is resolved against the document as far as it exists; the rest is what is missing.
 */
import { joinPointer } from '../engine';

export type FieldSegment =
  | { type: 'field'; name: string }
  | { type: 'index'; index: number }
  /** A list item whose fields have these values (`[name="web"]`), or that equals `value` (`[="x"]`). */
  | { type: 'match'; fields: Record<string, unknown>; value?: unknown };

/** Parses a field path; undefined when it is not one. */
export function parseFieldPath(path: string): FieldSegment[] | undefined {
  const segments: FieldSegment[] = [];
  let i = 0;
  const text = path.trim();
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = closingBracket(text, i);
      if (end === -1) return undefined;
      const inner = text.slice(i + 1, end);
      segments.push(bracket(inner));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    const name = text.slice(i, j);
    if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return undefined;
    segments.push({ type: 'field', name });
    i = j;
  }
  return segments.length > 0 ? segments : undefined;
}

function closingBracket(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) return i;
  }
  return -1;
}

function bracket(inner: string): FieldSegment {
  if (/^\d+$/.test(inner)) return { type: 'index', index: Number(inner) };
  if (inner.startsWith('=')) return { type: 'match', fields: {}, value: literal(inner.slice(1)) };
  // `k=v,k2=v2` (values JSON literals): structured-merge-diff's key of an associative list item.
  const pairs = splitPairs(inner);
  if (pairs) return { type: 'match', fields: Object.fromEntries(pairs) };
  // Anything else is a map key (`annotations[example.com/key]`).
  return { type: 'field', name: inner };
}

function splitPairs(inner: string): Array<[string, unknown]> | undefined {
  const out: Array<[string, unknown]> = [];
  let rest = inner;
  while (rest.length > 0) {
    const m = /^([A-Za-z_][\w]*)=("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)(?:,|$)/.exec(rest);
    if (!m) return undefined;
    out.push([m[1] as string, literal(m[2] as string)]);
    rest = rest.slice(m[0].length);
  }
  return out.length > 0 ? out : undefined;
}

function literal(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface Resolved {
  /** Pointer (relative to the object) of the deepest part of the path the object has. */
  pointer: string;
  /** The whole path exists. */
  complete: boolean;
  /** How many segments resolved. */
  depth: number;
}

/** Follows the path through `value` as far as it goes. */
export function resolveFieldPath(value: unknown, segments: readonly FieldSegment[]): Resolved {
  let node = value;
  let pointer = '';
  let depth = 0;
  for (const segment of segments) {
    let key: string | number | undefined;
    if (segment.type === 'field') {
      if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment.name)) key = segment.name;
    } else if (segment.type === 'index') {
      if (Array.isArray(node) && segment.index < node.length) key = segment.index;
    } else if (Array.isArray(node)) {
      const index = node.findIndex((item) => segment.value !== undefined
        ? same(item, segment.value)
        : isObject(item) && Object.entries(segment.fields).every(([k, v]) => same(item[k], v)));
      if (index !== -1) key = index;
    }
    if (key === undefined) return { pointer, complete: false, depth };
    node = (node as Record<string | number, unknown>)[key];
    pointer = joinPointer(pointer, key);
    depth++;
  }
  return { pointer, complete: true, depth };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Field paths named in a message that has no structured causes (admission webhooks): Kyverno's
 * `at path /spec/...`, structured-merge-diff's `.spec.x[name="web"].y:`, or a dotted path such as
 * `metadata.labels.team`. Only paths that start at a top-level key of the object are kept.
 */
export function pathsInMessage(message: string, value: unknown): FieldSegment[][] {
  const out: FieldSegment[][] = [];
  const topLevel = (segments: FieldSegment[]) => segments.length >= 2 && segments[0]?.type === 'field' && isObject(value) && segments[0].name in value;
  for (const m of message.matchAll(/\bpath (\/[^\s'"]*)/g)) {
    const pointer = (m[1] as string).replace(/\/+$/, '');
    const segments = pointer.split('/').slice(1).filter(Boolean).map((s): FieldSegment => (/^\d+$/.test(s) ? { type: 'index', index: Number(s) } : { type: 'field', name: s.replace(/~1/g, '/').replace(/~0/g, '~') }));
    if (topLevel(segments)) out.push(segments);
  }
  for (const m of message.matchAll(/(?:^|[\s(:'"])(\.?[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*|\[(?:"(?:[^"\\]|\\.)*"|[^\]\s"])*\])+)/g)) {
    const segments = parseFieldPath(m[1] as string);
    if (segments && topLevel(segments)) out.push(segments);
  }
  return out;
}
