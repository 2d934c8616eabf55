/**
 * Fuzz inputs (issue 8): seeded mutations of the bench corpus, plus the hostile inputs the issue names (alias
 * bombs, 10,000-deep nesting, a 50 MB file, binary data, UTF-16) and a few more of the same family. Every
 * input is reproducible from (seed, index): `npm run fuzz -- --seed S --only N` replays one.
 */
import { decode } from '../../server/src/host/files';
import { MAX_DEPTH } from '../../server/src/engine/yaml/compose';
import { mutate, MUTATIONS, random, type CorpusFile } from '../unit/helpers/corpus';

export interface FuzzInput {
  /** Position in the run (stable for a seed). */
  index: number;
  /** What made it: a mutation list (`flip+indent`) or the name of a special input. */
  kind: string;
  /** The text an editor would hand over (decoded bytes, or the bytes read as Latin-1 when they do not decode). */
  text: string;
  /** The file's bytes, when the input is about decoding (binary, UTF-16, invalid UTF-8). */
  bytes?: Buffer;
  /** The corpus file it came from. */
  source?: string;
}

/** Extra mutations beyond the corpus helper's: YAML features that stress the composer. */
const TAGS = ['!!js/function "function () { return process.exit(1) }"', '!include /etc/passwd', '!!python/object/apply:os.system ["id"]',
  '!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!<tag:yaml.org,2002:str> x', '!!timestamp 2001-12-14', '!custom {a: 1}', '!!int "12"', '!!float .nan'];
const ANCHORED = ['&x ', '*x', '&x {a: *x}', '<<: *x', '&a [*a]', '? complex\n: key', '!!merge <<: *x'];

export type Special = (next: () => number, files: CorpusFile[]) => { kind: string; text?: string; bytes?: Buffer };

const HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fuzz\n';
const POD_TEMPLATE = `${HEAD}spec:\n  selector:\n    matchLabels: {app: fuzz}\n  template:\n    metadata:\n      labels: {app: fuzz}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n`;
const DEPTH = 10_000;
/** Levels a document may nest and still be composed (the root mapping and a margin for the wrapper counted). */
const ALLOWED = MAX_DEPTH - 10;

/** A billion-laughs bomb: `levels` anchors, each a list of `width` aliases of the previous one. */
function laughs(levels: number, width: number, indent = ''): string {
  let text = `${indent}l0: &l0 [${Array(width).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) text += `${indent}l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n`;
  return text;
}

/** Text of roughly `bytes` characters made of corpus documents (each made unique by a comment). */
function corpusText(files: CorpusFile[], bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `---\n# copy ${i}\n${(files[i % files.length] as CorpusFile).text}\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

function randomBytes(next: () => number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

export const SPECIALS: Record<string, Special> = {
  // Alias bombs: nested lists, maps, merge keys, inside a workload, and a bomb per document.
  'alias-bomb-list': () => ({ kind: 'alias-bomb', text: laughs(10, 10) }),
  'alias-bomb-map': () => {
    let text = 'a0: &a0 {x: 1, y: 2, z: 3, w: 4}\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} {p: *a${i - 1}, q: *a${i - 1}, r: *a${i - 1}, s: *a${i - 1}}\n`;
    return { kind: 'alias-bomb', text };
  },
  'alias-bomb-merge': () => {
    let text = 'm0: &m0 {k0: [1, 2, 3, 4, 5, 6, 7, 8]}\n';
    for (let i = 1; i < 16; i++) text += `m${i}: &m${i}\n  <<: *m${i - 1}\n  k${i}: [*m${i - 1}, *m${i - 1}, *m${i - 1}, *m${i - 1}]\n`;
    return { kind: 'alias-bomb', text };
  },
  'alias-bomb-in-workload': () => ({ kind: 'alias-bomb', text: `${POD_TEMPLATE}          env: &env\n            - {name: A, value: "1"}\n            - {name: B, value: "2"}\n  x-bomb:\n${laughs(9, 9, '    ')}` }),
  'alias-bomb-containers': () => {
    let text = `${HEAD}spec:\n  template:\n    spec:\n      containers: &c0\n        - {name: a, image: b, env: [{name: A, value: x}]}\n`;
    for (let i = 1; i < 8; i++) text += `      x${i}: &c${i} [${Array(8).fill(`*c${i - 1}`).join(', ')}]\n`;
    text += '      initContainers: *c7\n';
    return { kind: 'alias-bomb', text };
  },
  'alias-bomb-per-document': () => ({ kind: 'alias-bomb', text: Array.from({ length: 20 }, () => laughs(6, 8)).join('---\n') }),
  'alias-many-small': () => ({ kind: 'alias-bomb', text: `base: &b {a: 1}\nlist:\n${'  - *b\n'.repeat(60_000)}` }),
  // 10,000-deep nesting in every shape YAML has.
  'deep-flow-seq': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n` }),
  'deep-flow-map': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\n` }),
  'deep-flow-unclosed': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'[{a: '.repeat(DEPTH / 2)}\n` }),
  'deep-block-seq': () => ({ kind: 'deep-nesting', text: `${'- '.repeat(DEPTH)}x\n` }),
  'deep-block-seq-in-workload': () => ({ kind: 'deep-nesting', text: `${POD_TEMPLATE}          args:\n            ${'- '.repeat(DEPTH)}x\n` }),
  'deep-block-map': () => {
    // One space per level keeps 10,000 levels at 50 MB; 3,000 levels (4.5 MB) go far past any limit.
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`${' '.repeat(i)}k${i}:`);
    return { kind: 'deep-nesting', text: `${lines.join('\n')} leaf\n` };
  },
  'deep-mixed': () => ({ kind: 'deep-nesting', text: `${HEAD}spec:\n  x: ${'[{a: [{b: '.repeat(DEPTH / 4)}1${'}]}]'.repeat(DEPTH / 4)}\n` }),
  'deep-json': () => ({ kind: 'deep-nesting', text: `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": ${'{"a": '.repeat(DEPTH)}"1"${'}'.repeat(DEPTH)}}\n` }),
  // Just under the composer's depth limit: everything downstream (validation, rules, fixes, the `yaml` Composer) runs.
  'deep-but-allowed': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'{a: '.repeat(ALLOWED)}1${'}'.repeat(ALLOWED)}\n` }),
  'deep-allowed-multiline': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'{a:\n '.repeat(ALLOWED)}1${'}'.repeat(ALLOWED)}\n` }),
  'deep-allowed-block': () => ({ kind: 'deep-nesting', text: `${POD_TEMPLATE}${Array.from({ length: ALLOWED - 8 }, (_, i) => `${' '.repeat(10 + i)}k${i}:`).join('\n')} leaf\n` }),
  'deep-allowed-pairs': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'[a: '.repeat(ALLOWED / 2)}1${']'.repeat(ALLOWED / 2)}\n` }),
  'deep-pairs': () => ({ kind: 'deep-nesting', text: `${HEAD}spec: ${'[a: '.repeat(DEPTH)}1${']'.repeat(DEPTH)}\n` }),
  'deep-allowed-custom-resource': () => ({
    kind: 'deep-nesting',
    text: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: deeps.fuzz.io\nspec:\n  group: fuzz.io\n  scope: Namespaced\n'
      + '  names: {kind: Deep, plural: deeps}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n'
      + '          type: object\n          properties:\n            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}\n'
      + `---\napiVersion: fuzz.io/v1\nkind: Deep\nmetadata:\n  name: d\nspec: ${'{a: ['.repeat(ALLOWED / 2)}1${']}'.repeat(ALLOWED / 2)}\n`,
  }),
  // Each anchor nests ALLOWED levels and holds the previous one: the value is 10,000 deep, the text and the alias count small.
  'deep-through-aliases': () => {
    let text = `${HEAD}x0: &x0 ${'['.repeat(ALLOWED)}1${']'.repeat(ALLOWED)}\n`;
    const chain = Math.ceil(DEPTH / ALLOWED);
    for (let i = 1; i <= chain; i++) text += `x${i}: &x${i} ${'['.repeat(ALLOWED)}*x${i - 1}${']'.repeat(ALLOWED)}\n`;
    return { kind: 'deep-nesting', text: `${text}spec:\n  template:\n    metadata:\n      labels: *x${chain}\n` };
  },
  // Big inputs.
  'file-50mb': (_next, files) => ({ kind: 'large', text: corpusText(files, 50 * 1024 * 1024) }),
  'line-1mb': () => ({ kind: 'large', text: `${HEAD}data:\n  big: ${'x'.repeat(1024 * 1024)}\n` }),
  'many-documents': () => ({ kind: 'large', text: Array.from({ length: 2000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n') }),
  'many-keys': () => ({ kind: 'large', text: `${HEAD.replace('Deployment', 'ConfigMap').replace('apps/v1', 'v1')}data:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: v`).join('\n')}\n` }),
  'many-separators': () => ({ kind: 'large', text: '---\n'.repeat(20_000) }),
  'long-key': () => ({ kind: 'large', text: `${'k'.repeat(200_000)}: v\n${HEAD}` }),
  // Bytes: binary, invalid UTF-8, UTF-16 with and without a byte order mark.
  'binary-random': (next) => ({ kind: 'binary', bytes: randomBytes(next, 65_536) }),
  'binary-png': (next) => ({ kind: 'binary', bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(next, 4096)]) }),
  'binary-no-nul': (next) => ({ kind: 'binary', bytes: Buffer.from(randomBytes(next, 8192).map((b) => (b === 0 ? 1 : b))) }),
  'invalid-utf8': (_next, files) => ({ kind: 'binary', bytes: Buffer.concat([Buffer.from((files[0] as CorpusFile).text), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc])]) }),
  'utf16le-bom': (next, files) => ({ kind: 'utf-16', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from((files[Math.floor(next() * files.length)] as CorpusFile).text, 'utf16le')]) }),
  'utf16be-bom': (next, files) => {
    const le = Buffer.from((files[Math.floor(next() * files.length)] as CorpusFile).text, 'utf16le');
    return { kind: 'utf-16', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]) };
  },
  'utf16le-no-bom': (next, files) => ({ kind: 'utf-16', bytes: Buffer.from((files[Math.floor(next() * files.length)] as CorpusFile).text, 'utf16le') }),
  'utf16-odd-length': (_next, files) => ({ kind: 'utf-16', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from((files[1] as CorpusFile).text, 'utf16le'), Buffer.from([0x41])]) }),
  'utf8-bom-twice': (_next, files) => ({ kind: 'utf-16', text: `\ufeff\ufeff${(files[2] as CorpusFile).text}` }),
  // Odd text.
  'nul-and-controls': () => ({ kind: 'controls', text: `${HEAD}data:\n  a: "\u0000\u0001\u001b[31m"\n  b: x\u0000y\n\u0007: z\n` }),
  'lone-surrogates': () => ({ kind: 'unicode', text: `${HEAD}  labels:\n    a: \ud800\n    \udfff: b\n  annotations: {x: "\ud83d"}\n` }),
  'cr-line-ends': (next, files) => ({ kind: 'line-ends', text: (files[Math.floor(next() * files.length)] as CorpusFile).text.replace(/\n/g, '\r') }),
  'mixed-line-ends': (next, files) => ({ kind: 'line-ends', text: (files[Math.floor(next() * files.length)] as CorpusFile).text.replace(/\n/g, () => ['\n', '\r\n', '\r', '\u2028', '\u0085'][Math.floor(next() * 5)] as string) }),
  'custom-tags': () => ({ kind: 'tags', text: `${POD_TEMPLATE}          command: [${TAGS.join(', ')}]\n          env:\n${TAGS.map((t, i) => `            - {name: T${i}, value: ${t}}`).join('\n')}\n` }),
  'tags-everywhere': () => ({ kind: 'tags', text: `!!js/function apiVersion: !include v1\nkind: !!python/name:os.system ConfigMap\n!x metadata: !!map\n  name: !!str x\ndata: !!omap\n  - a: !!binary aGk=\n` }),
  // A CRD whose pattern backtracks catastrophically, and a custom resource that would trigger it.
  'redos-crd-pattern': () => ({
    kind: 'regex',
    text: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: evils.fuzz.io\nspec:\n  group: fuzz.io\n  scope: Namespaced\n'
      + '  names: {kind: Evil, plural: evils}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n'
      + "          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                name: {type: string, pattern: '^(a+)+$'}\n"
      + `---\napiVersion: fuzz.io/v1\nkind: Evil\nmetadata:\n  name: e\nspec:\n  name: ${'a'.repeat(60)}!\n`,
  }),
  'template-and-yaml': () => ({ kind: 'template', text: `${HEAD}spec:\n  replicas: {{ .Values.replicas }}\n  {{- include "x" . | nindent 2 }}\n` }),
  'empty': () => ({ kind: 'empty', text: '' }),
  'only-whitespace': () => ({ kind: 'empty', text: ' \n\t\n   \r\n' }),
};

export const SPECIAL_NAMES = Object.keys(SPECIALS);

/**
 * The inputs of a run: the specials first (each once; `withSpecials: false` leaves them out), then mutations of
 * corpus files, 1 to 4 stacked mutations each.
 */
export function* fuzzInputs(files: CorpusFile[], seed: number, count: number, withSpecials = true): Generator<FuzzInput> {
  const specials = withSpecials ? SPECIAL_NAMES : [];
  for (let index = 0; index < count; index++) {
    // Each input has its own generator, so input N is the same whatever ran before it.
    const next = random((seed * 1_000_003 + index * 7919) >>> 0);
    const special = specials[index];
    if (special !== undefined) {
      const made = (SPECIALS[special] as Special)(next, files);
      yield withText({ index, kind: `${made.kind}:${special}`, ...(made.text !== undefined ? { text: made.text } : {}), ...(made.bytes ? { bytes: made.bytes } : {}) });
      continue;
    }
    const file = files[Math.floor(next() * files.length)] as CorpusFile;
    let text = file.text;
    const kinds: string[] = [];
    const rounds = 1 + Math.floor(next() * next() * 4);
    for (let r = 0; r < rounds; r++) {
      const choice = next();
      if (choice < 0.08) {
        text = insertLine(text, next, TAGS[Math.floor(next() * TAGS.length)] as string);
        kinds.push('tag');
      } else if (choice < 0.14) {
        text = insertLine(text, next, ANCHORED[Math.floor(next() * ANCHORED.length)] as string);
        kinds.push('alias');
      } else if (choice < 0.18) {
        const other = files[Math.floor(next() * files.length)] as CorpusFile;
        const lines = other.text.split('\n');
        const from = Math.floor(next() * lines.length);
        text = insertLine(text, next, lines.slice(from, from + 1 + Math.floor(next() * 8)).join('\n'));
        kinds.push('splice');
      } else if (choice < 0.21) {
        text = nestDeeply(text, next);
        kinds.push('nest');
      } else if (choice < 0.23) {
        text = `${text}${text.endsWith('\n') ? '' : '\n'}${next() < 0.5 ? '' : '---\n'}${laughs(5 + Math.floor(next() * 5), 5 + Math.floor(next() * 6))}`;
        kinds.push('bomb');
      } else if (choice < 0.27) {
        text = crlfAndTabs(text, next);
        kinds.push('crlf-tabs');
      } else {
        const kind = MUTATIONS[Math.floor(next() * MUTATIONS.length)] as (typeof MUTATIONS)[number];
        text = mutate(text, next, kind);
        kinds.push(kind);
      }
    }
    yield { index, kind: kinds.join('+'), text, source: file.relative };
  }
}

/**
 * A deeply nested value inside a real file (what lost a whole audit once): around the composer's limit or far
 * past it, as block sequences, compact sequences or flow sequences, at the end of the file or under a random line.
 */
function nestDeeply(text: string, next: () => number): string {
  const depth = next() < 0.5 ? MAX_DEPTH - 15 + Math.floor(next() * 30) : 3000;
  const style = Math.floor(next() * 3);
  const value = style === 0 ? `\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}-`).join('\n')} 1`
    : style === 1 ? `\n${'- '.repeat(depth)}1` : ` ${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (next() < 0.5) return `${text}${text.endsWith('\n') ? '' : '\n'}x:${value}\n`;
  return insertLine(text, next, `x:${value}`);
}

/** CRLF line ends, with some indentation turned into tabs and some blank lines holding a tab (kubectl refuses both). */
function crlfAndTabs(text: string, next: () => number): string {
  return text.split('\n').map((line) => {
    const roll = next();
    if (roll < 0.03) return `\t\r\n${line}`;
    if (roll < 0.06) return line.replace(/^( +)/, (spaces) => '\t'.repeat(Math.max(1, spaces.length >> 1)));
    return line;
  }).join('\r\n');
}

/** Inserts `snippet` at a random place of a random line (at its indentation, or mid-line). */
function insertLine(text: string, next: () => number, snippet: string): string {
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  const current = lines[line] ?? '';
  if (next() < 0.5) {
    const indent = (/^ */.exec(current) as RegExpExecArray)[0];
    lines.splice(line, 0, `${indent}${snippet}`);
  } else {
    const at = Math.floor(next() * (current.length + 1));
    lines[line] = current.slice(0, at) + snippet + current.slice(at);
  }
  return lines.join('\n');
}

function withText(input: { index: number; kind: string; text?: string; bytes?: Buffer }): FuzzInput {
  if (input.text !== undefined) return input as FuzzInput;
  const bytes = input.bytes as Buffer;
  const decoded = decode(bytes);
  return { index: input.index, kind: input.kind, bytes, text: decoded.text ?? bytes.toString('latin1') };
}
