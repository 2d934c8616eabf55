/**
 * The shared bench corpus (../shared/bench-corpus, beside the repository in CI), its vendored sample
 * (test/fixtures/corpus-sample, PROVENANCE.md) and seeded mutations of them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS_DIR = resolve(__dirname, '../../../../shared/bench-corpus');
/** Thirty files of the bench corpus, copied verbatim, for the tests that must run in any clone. */
export const SAMPLE_DIR = resolve(__dirname, '../../fixtures/corpus-sample');

export function corpusAvailable(): boolean {
  return existsSync(CORPUS_DIR);
}

export interface CorpusFile {
  path: string;
  relative: string;
  text: string;
}

const caches = new Map<string, CorpusFile[]>();

function yamlFiles(root: string): CorpusFile[] {
  const cached = caches.get(root);
  if (cached) return cached;
  const out: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push({ path, relative: path.slice(root.length + 1), text: readFileSync(path, 'utf8') });
    }
  };
  walk(root);
  caches.set(root, out);
  return out;
}

/** Every file of the bench corpus (only when corpusAvailable()). */
export function corpusFiles(): CorpusFile[] {
  return yamlFiles(CORPUS_DIR);
}

/**
 * The bench corpus when it is beside the repository, else the vendored sample: for tests that must never skip.
 * `name` says which, for test titles.
 */
export function sampleOrCorpus(): { name: string; dir: string; files: CorpusFile[] } {
  return corpusAvailable()
    ? { name: 'the bench corpus', dir: CORPUS_DIR, files: corpusFiles() }
    : { name: 'the bench-corpus sample (test/fixtures/corpus-sample)', dir: SAMPLE_DIR, files: yamlFiles(SAMPLE_DIR) };
}

/** mulberry32: a small seeded PRNG so failures reproduce. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [':', ': ', '- ', '#', ' #x', '"', "'", '&a ', '*a', '{', '}', '[', ']', ',', '\t', '? ', '|', '>', '!!str ', '!t ', '<<: *a', '---', '...', '\\', '%', '@', '`', 'yes', '0755', '{{ x }}', '\u00e9', '\ud83d\ude00', '\r\n'];

export type Mutation = 'flip' | 'truncate' | 'indent' | 'duplicate' | 'delete' | 'insert' | 'unicode';
export const MUTATIONS: Mutation[] = ['flip', 'truncate', 'indent', 'duplicate', 'delete', 'insert', 'unicode'];

/** One seeded mutation of `text`: the kinds the fuzzing issue lists (byte flips, truncation, indentation shifts, ...). */
export function mutate(text: string, next: () => number, kind: Mutation = MUTATIONS[Math.floor(next() * MUTATIONS.length)] as Mutation): string {
  const at = Math.floor(next() * Math.max(1, text.length));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  switch (kind) {
    case 'flip':
      return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << Math.floor(next() * 7))) + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
    case 'indent': {
      const shift = Math.floor(next() * 5) - 2;
      lines[line] = shift > 0 ? ' '.repeat(shift) + (lines[line] ?? '') : (lines[line] ?? '').replace(new RegExp(`^ {0,${-shift}}`), '');
      return lines.join('\n');
    }
    case 'duplicate':
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 'delete':
      lines.splice(line, 1);
      return lines.join('\n');
    case 'insert':
      return text.slice(0, at) + (SNIPPETS[Math.floor(next() * SNIPPETS.length)] as string) + text.slice(at);
    case 'unicode':
      return text.slice(0, at) + String.fromCodePoint(Math.floor(next() * 0x2ffff)) + text.slice(at);
  }
}
