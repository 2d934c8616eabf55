/** JSON pointers (RFC 6901) and the dotted paths people read in messages. */

const parsed = new Map<string, readonly string[]>();

/** The segments of a pointer (memoised: rules and the engine ask for the same few pointers again and again). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  let segments = parsed.get(pointer);
  if (!segments) {
    segments = pointer.slice(1).split('/').map((s) => (s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s));
    if (parsed.size > 20_000) parsed.clear();
    parsed.set(pointer, segments);
  }
  return segments as string[];
}

export function joinPointer(base: string, ...segments: Array<string | number>): string {
  let out = base === '/' ? '' : base;
  for (const segment of segments) out += `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return out;
}

/** `/spec/template/spec/containers/0/image` -> `spec.template.spec.containers[0].image`. */
export function dottedPath(pointer: string): string {
  let out = '';
  for (const segment of parsePointer(pointer)) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at `pointer` inside `root`, or undefined. */
export function valueAt(root: unknown, pointer: string | string[]): unknown {
  let node = root;
  for (const segment of typeof pointer === 'string' ? parsePointer(pointer) : pointer) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
