/**
 * The fast CST composer against the `yaml` package's Composer (test/unit/helpers/reference.ts): on the whole
 * bench corpus (its vendored sample without ../shared) and on seeded mutations of it, a document the fast path accepts must be one the Composer
 * accepts, with the same value and the same key/value positions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locationOf } from '../../server/src/engine/yaml/location';
import { parseChunk, splitDocuments } from '../../server/src/engine/yaml/parse';
import { mutate, random, sampleOrCorpus } from './helpers/corpus';
import { plain, referenceDocuments } from './helpers/reference';

interface Flat {
  broken: boolean;
  value: unknown;
  base: number;
}

function fastDocuments(text: string): Flat[] {
  return splitDocuments(text).flatMap((chunk) => parseChunk(chunk.text).map((d) => ({ broken: d.broken, value: d.value, base: chunk.start })));
}

/** Positions the composer recorded, keyed by pointer, made absolute. */
function fastSpans(value: unknown, base: number, pointer = '', out = new Map<string, { keyStart?: number; keyEnd?: number; valueStart?: number }>()) {
  const location = locationOf(value);
  if (!location) return out;
  const keys = location.keys;
  for (let i = 0; i < location.size; i++) {
    const entry = location.at(i);
    if (!entry || entry.aliased) continue;
    const key = keys ? (keys[i] as string) : String(i);
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const record: { keyStart?: number; keyEnd?: number; valueStart?: number } = {};
    if (entry.keyStart >= 0) {
      record.keyStart = entry.keyStart + base;
      record.keyEnd = entry.keyEnd + base;
    }
    if (entry.valueEnd > entry.valueStart) record.valueStart = entry.valueStart + base;
    out.set(at, { ...(out.get(at) ?? {}), ...record });
    const child = (value as Record<string, unknown>)[key];
    fastSpans(child, base, at, out);
  }
  return out;
}

/** Returns a description of the first disagreement, or undefined. */
function disagreement(text: string): string | undefined {
  const fast = fastDocuments(text);
  const reference = referenceDocuments(text);
  if (fast.length !== reference.length) {
    // The Composer may merge or split documents differently only when the stream is broken.
    return fast.some((d) => d.broken) || reference.some((d) => d.errors.length > 0) ? undefined : `document count ${fast.length} vs ${reference.length}`;
  }
  for (let i = 0; i < fast.length; i++) {
    const mine = fast[i] as Flat;
    const theirs = reference[i]!;
    if (theirs.errors.length > 0) {
      if (!mine.broken) return `document ${i}: the Composer reports "${theirs.errors[0]}" but the fast path accepted it`;
      continue;
    }
    if (mine.broken) continue; // the fast path may be stricter only through the Composer itself; see parse.ts
    try {
      assert.deepStrictEqual(plain(mine.value), plain(theirs.value));
    } catch {
      return `document ${i}: values differ`;
    }
    const spans = fastSpans(mine.value, mine.base);
    for (const [pointer, expected] of theirs.spans) {
      const actual = spans.get(pointer);
      if (!actual) continue;
      for (const field of ['keyStart', 'keyEnd', 'valueStart'] as const) {
        if (expected[field] !== undefined && actual[field] !== undefined && expected[field] !== actual[field]) {
          return `document ${i}: ${field} of ${pointer} is ${actual[field]}, the Composer says ${expected[field]}`;
        }
      }
    }
  }
  return undefined;
}

describe('fast composer agrees with the yaml Composer', () => {
  it('on hand-written edge cases', () => {
    const cases = [
      'a: 1\nb: [x, {y: z}]\nc: "q"\n',
      'anchors: &base {x: 1, y: 2}\nuse:\n  <<: *base\n  y: 3\n',
      'list:\n- a\n-\n- &n null\n- *n\n',
      'k: |\n  line\n   more\nj: >-\n  folded\n  text\n',
      '? explicit\n: value\n',
      '"quoted key": 1\n\'single\': 2\n5: five\ntrue: t\n~: n\n',
      '--- !custom\na: !!str 5\nb: !!int "7"\nc: !x y\n',
      'a:\n  b: 1\n c: 2\n',
      'a: b: c\n',
      'a: [1, 2\n',
      'key: "unterminated\n',
      '\ta: 1\n',
      'a:\n\t- b\n',
      '- a\nb: c\n',
      '@bad: 1\n',
      'dup: 1\ndup: 2\n',
      '&a a: &b b\n*b : *a\n',
      'a: 1 # c\n# d\n---\n# only comments\n---\nb: 2\n...\n',
      '\ufeffa: 1\r\nb: 2\r\n',
    ];
    for (const text of cases) assert.equal(disagreement(text), undefined, JSON.stringify(text));
  });

  const corpus = sampleOrCorpus();

  it(`on every file of ${corpus.name}`, () => {
    assert.ok(corpus.files.length >= 30, `read ${corpus.files.length} files from ${corpus.dir}`);
    for (const file of corpus.files) assert.equal(disagreement(file.text), undefined, file.relative);
  });

  it(`on 2,000 seeded mutations of files of ${corpus.name}`, () => {
    const files = corpus.files.filter((f) => f.text.length < 20_000);
    const next = random(20261123);
    const failures: string[] = [];
    for (let i = 0; i < Number(process.env.KGOV_DIFF_N ?? 2000); i++) {
      const file = files[Math.floor(next() * files.length)]!;
      let text = mutate(file.text, next);
      if (next() < 0.3) text = mutate(text, next);
      const problem = disagreement(text);
      if (problem) failures.push(`${file.relative} #${i}: ${problem}\n${JSON.stringify(text.slice(0, 400))}`);
    }
    assert.deepEqual(failures.slice(0, 5), []);
  });
});
