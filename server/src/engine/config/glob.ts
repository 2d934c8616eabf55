/**
 * Glob matching for `ignore` patterns from `.kgov.yaml`, without regular expressions: segment by segment with
 * dynamic programming, so a hostile pattern cannot cause catastrophic backtracking.
 * `**` spans directories, `*` and `?` stay inside one segment, `[abc]`/`[a-z]`/`[!x]` are classes, `{a,b}`
 * alternatives. A pattern without `/` matches at any depth; a trailing `/` means the folder and all below.
 */

const MAX_PATTERN = 500;
const MAX_ALTERNATIVES = 64;

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) {
      const options: string[] = [];
      let level = 0;
      let start = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (pattern[j] === '{') level++;
        else if (pattern[j] === '}') level--;
        else if (pattern[j] === ',' && level === 0) {
          options.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      options.push(pattern.slice(start, i));
      const rest = expandBraces(pattern.slice(i + 1));
      const out: string[] = [];
      for (const option of options) for (const tail of rest) for (const expanded of expandBraces(pattern.slice(0, open) + option)) {
        out.push(expanded + tail);
        if (out.length > MAX_ALTERNATIVES) throw new Error('glob pattern expands to too many alternatives');
      }
      return out;
    }
  }
  return [pattern];
}

/** Matches one path segment against one pattern segment (`*`, `?`, classes); linear-time two-pointer scan. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starT = t;
      continue;
    }
    if (c !== undefined && p < pattern.length) {
      const [matched, next] = matchOne(pattern, p, text[t] as string);
      if (matched) {
        p = next;
        t++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Does the pattern item at `p` match character `ch`? Returns [matched, index after the item]. */
function matchOne(pattern: string, p: number, ch: string): [boolean, number] {
  const c = pattern[p];
  if (c === '?') return [true, p + 1];
  if (c === '[') {
    const close = pattern.indexOf(']', p + 2);
    if (close !== -1) {
      let body = pattern.slice(p + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      let hit = false;
      for (let i = 0; i < body.length; i++) {
        if (body[i + 1] === '-' && i + 2 < body.length) {
          if (ch >= (body[i] as string) && ch <= (body[i + 2] as string)) hit = true;
          i += 2;
        } else if (body[i] === ch) hit = true;
      }
      return [hit !== negate, close + 1];
    }
  }
  if (c === '\\' && p + 1 < pattern.length) return [pattern[p + 1] === ch, p + 2];
  return [c === ch, p + 1];
}

function matchSegments(pattern: string[], path: string[]): boolean {
  // reachable[j]: pattern prefix i matches path prefix j.
  let reachable = new Array<boolean>(path.length + 1).fill(false);
  reachable[0] = true;
  for (const segment of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (segment === '**') {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        any = any || (reachable[j] as boolean);
        next[j] = any;
      }
    } else {
      for (let j = 0; j < path.length; j++) if (reachable[j] && matchSegment(segment, path[j] as string)) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable[path.length] as boolean;
}

export type Matcher = (relativePath: string) => boolean;

/** Compiles patterns (relative paths, `/`-separated) into one matcher. Throws on an unusable pattern. */
export function compileGlobs(patterns: readonly string[]): Matcher {
  const compiled: string[][] = [];
  for (const raw of patterns) {
    if (raw.length > MAX_PATTERN) throw new Error(`glob pattern longer than ${MAX_PATTERN} characters`);
    for (let pattern of expandBraces(raw.replace(/\\/g, '/'))) {
      if (pattern.endsWith('/')) pattern += '**';
      if (pattern.startsWith('./')) pattern = pattern.slice(2);
      if (pattern.startsWith('/')) pattern = pattern.slice(1);
      else if (!pattern.includes('/')) pattern = `**/${pattern}`;
      compiled.push(pattern.split('/').filter((s, i, all) => s !== '' || i === all.length - 1));
    }
  }
  return (relativePath) => {
    const path = relativePath.replace(/\\/g, '/').split('/').filter(Boolean);
    return compiled.some((pattern) => matchSegments(pattern, path));
  };
}
