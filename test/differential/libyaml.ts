/**
 * kgov's YAML against libyaml, the reference for what kubectl loads (kubectl's go-yaml is a port of libyaml).
 * libyaml runs in Debian's python3 (package python3-yaml, whose yaml module has the C parser) through
 * libyaml.py beside this file; each `---` chunk is compared as kgov splits and parses it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keyString, resolvePlain, resolveTagged, type Scalar } from '../../server/src/engine/yaml/scalars';
import { parseChunk, splitDocuments } from '../../server/src/engine/yaml/parse';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'libyaml.py');

type Raw = string | { plain: string } | { tag: string; value: string } | { seq: Raw[]; tag: string } | { map: Array<[Raw, Raw]>; tag: string };
type Loaded = { documents: Raw[] } | { error: string; line: number; column: number };

/** Why libyaml cannot run here, or undefined when it can. */
export function libyamlUnavailable(): string | undefined {
  if (!existsSync(PYTHON)) return `needs ${PYTHON} with libyaml (apt-get install python3-yaml)`;
  const probe = spawnSync(PYTHON, ['-c', 'import yaml, yaml.cyaml; assert yaml.__with_libyaml__'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${PYTHON} has no yaml module with libyaml (apt-get install python3-yaml)`;
}

/** libyaml's verdict on each text (one process for the whole batch). */
export function libyamlLoad(texts: string[]): Loaded[] {
  const result = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`libyaml.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Loaded[];
}

export type Verdict =
  /** Both load it (with the same values), or both reject it. */
  | { kind: 'agree'; loaded: boolean }
  /** kgov declines on purpose (nesting past its limit, an alias bomb): the document is reported, not validated. */
  | { kind: 'declined'; ruleId: string }
  /** Not text a file can hold (a lone UTF-16 surrogate, which only a mutation in memory makes): nothing to compare. */
  | { kind: 'not-text' }
  /**
   * U+2028 or U+2029 used as a line break: kgov reads it as \n, libyaml and go-yaml keep the character in the
   * scalars it ends (a known difference, docs/yaml.md); only acceptance is compared.
   */
  | { kind: 'line-separators' }
  | { kind: 'kgov-rejects'; message: string; line: number }
  | { kind: 'libyaml-rejects'; message: string; line: number }
  | { kind: 'values-differ'; detail: string };

const DECLINED = new Set(['yaml/too-deep', 'yaml/alias-limit']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type KgovDocuments = ReturnType<typeof parseChunk>;

function declinedBy(documents: KgovDocuments): Verdict | undefined {
  const declined = documents.flatMap((d) => d.problems).find((p) => DECLINED.has(p.ruleId));
  return declined ? { kind: 'declined', ruleId: declined.ruleId } : undefined;
}

/** Compares kgov's documents of one chunk (as splitDocuments cuts files) with libyaml's reading of it. */
function compareChunk(text: string, documents: KgovDocuments, loaded: Loaded): Verdict {
  const syntax = documents.flatMap((d) => d.problems).find((p) => p.ruleId === 'yaml/syntax');
  if ('error' in loaded) {
    return syntax ? { kind: 'agree', loaded: false } : { kind: 'libyaml-rejects', message: loaded.error, line: loaded.line + 1 };
  }
  if (syntax) return { kind: 'kgov-rejects', message: syntax.message, line: lineOf(text, syntax.span.start) };
  // A chunk of comments only is no document for kgov and an empty one for libyaml at the end of a stream.
  const theirs = loaded.documents.filter((d, i) => !(i === loaded.documents.length - 1 && isEmptyScalar(d) && documents.length < loaded.documents.length));
  if (documents.length !== theirs.length) return { kind: 'values-differ', detail: `${documents.length} documents, libyaml ${theirs.length}` };
  if (/[\u2028\u2029]/.test(text)) return { kind: 'line-separators' };
  for (let i = 0; i < theirs.length; i++) {
    const expected = construct(theirs[i] as Raw, new Map());
    const actual = plainValue((documents[i] as { value: unknown }).value);
    const where = firstDifference(actual, expected, '');
    if (where !== undefined) return { kind: 'values-differ', detail: `document ${i}: ${where}` };
  }
  return { kind: 'agree', loaded: true };
}

function isEmptyScalar(raw: Raw): boolean {
  return typeof raw === 'object' && 'plain' in raw && raw.plain === '';
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * libyaml's node tree as kubectl turns it into JSON, with kgov's own scalar rules (which model go-yaml's YAML 1.1
 * resolution and are tested on their own): null values drop their key, later duplicates win, `<<` merges where it
 * stands (go-yaml v2: merged keys replace keys written before it, earlier sources of a list win), keys that JSON
 * cannot hold are left out (kgov reports them).
 */
function construct(raw: Raw, seen: Map<object, unknown>): unknown {
  if (typeof raw === 'string') return raw;
  if ('plain' in raw) return resolvePlain(raw.plain);
  if ('value' in raw) return resolveTagged(raw.tag, raw.value);
  const done = seen.get(raw);
  if (done !== undefined) return done;
  if ('seq' in raw) {
    const out: unknown[] = [];
    seen.set(raw, out);
    for (const item of raw.seq) out.push(construct(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(raw, out);
  for (const [rawKey, rawValue] of raw.map) {
    if (typeof rawKey === 'object' && 'plain' in rawKey && rawKey.plain === '<<') {
      const source = construct(rawValue, seen);
      const sources = Array.isArray(source) ? source : [source];
      for (let i = sources.length - 1; i >= 0; i--) {
        const from = sources[i];
        if (typeof from === 'object' && from !== null && !Array.isArray(from)) for (const [key, value] of Object.entries(from)) define(out, key, value);
      }
      continue;
    }
    const key = typeof rawKey === 'object' && ('seq' in rawKey || 'map' in rawKey) ? undefined : keyString(construct(rawKey, seen) as Scalar);
    if (key === undefined) continue;
    const value = construct(rawValue, seen);
    if (value === null) delete out[key];
    else define(out, key, value);
  }
  return out;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** kgov's value without its location symbols. */
function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) define(out, key, plainValue((value as Record<string, unknown>)[key]));
  return out;
}

function firstDifference(actual: unknown, expected: unknown, pointer: string): string | undefined {
  if (Object.is(actual, expected)) return undefined;
  const describe = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'a mapping' : String(v));
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `${pointer || '/'}: ${actual.length} items, libyaml ${expected.length}`;
    for (let i = 0; i < actual.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${pointer}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (isMapping(actual) && isMapping(expected)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      if (!Object.hasOwn(actual, key)) return `${pointer}/${key}: missing, libyaml has ${describe(expected[key])}`;
      if (!Object.hasOwn(expected, key)) return `${pointer}/${key}: ${describe(actual[key])}, libyaml has no such key`;
      const d = firstDifference(actual[key], expected[key], `${pointer}/${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${pointer || '/'}: ${describe(actual)}, libyaml ${describe(expected)}`;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ChunkResult {
  source: string;
  /** 1-based line of the chunk's start in its file. */
  line: number;
  verdict: Verdict;
}

/**
 * Splits every file as kgov does and compares each chunk with libyaml. Chunks kgov declines to validate (too deep,
 * alias bombs) are not sent: libyaml's recursive composer would exhaust the C stack on them.
 */
export function compareFiles(files: Array<{ name: string; text: string }>): ChunkResult[] {
  const chunks = files.flatMap((f) => splitDocuments(f.text).map((c) => {
    const documents = parseChunk(c.text);
    const declined = LONE_SURROGATE.test(c.text) ? { kind: 'not-text' as const } : declinedBy(documents);
    return { source: f.name, line: lineOf(f.text, c.start), text: c.text, documents, declined };
  }));
  const asked = chunks.filter((c) => !c.declined);
  const loaded = libyamlLoad(asked.map((c) => c.text));
  const answers = new Map(asked.map((c, i) => [c, loaded[i] as Loaded]));
  return chunks.map((c) => ({
    source: c.source, line: c.line,
    verdict: c.declined ?? compareChunk(c.text, c.documents, answers.get(c) as Loaded),
  }));
}
