/**
 * The YAML dialect kubectl reads (go-yaml, a port of libyaml), where it differs from YAML 1.2 and the `yaml`
 * package: kgov loads what kubectl loads, with kubectl's values, and refuses what kubectl refuses. Each case was
 * checked against libyaml (test/differential) and the real kubectl's YAML decoder (test/real-tools).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChunk, splitDocuments } from '../../server/src/engine/yaml/parse';
import { plain } from './helpers/reference';

function parse(text: string) {
  const docs = splitDocuments(text).flatMap((chunk) => parseChunk(chunk.text));
  return {
    values: docs.map((d) => (d.broken ? undefined : plain(d.value))),
    problems: docs.flatMap((d) => d.problems.map((p) => `${p.ruleId} ${lineColumn(text, p.span.start)}`)),
  };
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1) as string).length + 1}`;
}

/** kubectl accepts it, with this value, and kgov reports nothing but, maybe, that YAML 1.2 would not. */
function loads(text: string, value: unknown): void {
  const { values, problems } = parse(text);
  assert.deepEqual(problems.filter((p) => !p.startsWith('yaml/lenient-indentation')), [], JSON.stringify(text));
  assert.deepEqual(values, [value], JSON.stringify(text));
}

/** kubectl refuses it: kgov reports a syntax error at line:column. */
function refuses(text: string, at: string): void {
  const { values, problems } = parse(text);
  assert.ok(problems.includes(`yaml/syntax ${at}`), `${JSON.stringify(text)}: ${problems.join(', ')}`);
  assert.deepEqual(values, [undefined]);
}

describe("kubectl's YAML", () => {
  it('ignores indentation inside multi-line quoted strings and flow collections, with one info per document', () => {
    const text = 'spec:\n  args: ["\n    for i in 1 2; do echo $i; done\n  "]\n  command: "a\nb"\n';
    const { values, problems } = parse(text);
    assert.deepEqual(values, [{ spec: { args: [' for i in 1 2; do echo $i; done '], command: 'a b' } }]);
    assert.deepEqual(problems, ['yaml/lenient-indentation 4:3']);
    loads("a:\n  b: 'x\n  y\n  '\n", { a: { b: 'x y ' } });
    loads('a:\n  b: [\n1,\n  {c: 2}\n]\n', { a: { b: [1, { c: 2 }] } });
    loads('a:\n  b: [x\ny]\n', { a: { b: ['x y'] } });
  });

  it('says nothing where YAML 1.2 itself allows it: a closing bracket at its key, after a plain scalar', () => {
    const { problems } = parse('results:\n  properties:\n    foo: {\n      type: string\n    }\n    bar: [\n      a,\n      b\n    ]\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(parse('a:\n  b: [x,\n]\n').problems, ['yaml/lenient-indentation 3:1']);
  });

  it('still ends quoted strings and flow collections at a document marker', () => {
    assert.equal(parse('a: "x\n---\ny"\n').problems[0], 'yaml/syntax 1:4');
    assert.equal(parse('a: [1,\n...\n2]\n').problems[0], 'yaml/syntax 1:4');
  });

  it('does not mistake a string holding {{ for a template when an earlier quote spans lines', () => {
    const { values } = parse('a:\n  b: ["\n  x\n  "]\n  c: "{{ .Values.x }}"\n');
    assert.deepEqual(values, [{ a: { b: [' x '], c: '{{ .Values.x }}' } }]);
  });

  it('refuses tabs where go-yaml allows only spaces', () => {
    refuses('a: 1\n\t\nb: 2\n', '2:1');
    refuses('a: 1\n\t# comment\nb: 2\n', '2:1');
    refuses('a: "x"\n  \t# comment\n', '2:3');
    refuses('a:\n  b: 1\n  \t\nc: 2\n', '3:3');
    refuses('- \ta\n', '1:3');
    refuses('? a\n:\tb\n', '2:2');
    refuses('\ta: 1\n', '1:1');
    refuses('a:\n\tb: 1\n', '2:1');
  });

  it('allows tabs where go-yaml does', () => {
    loads('a:\t1\nb: x\ty\t\nc: "x"\t# c\n', { a: 1, b: 'x\ty', c: 'x' });
    loads('a:\n  b: 1\n   \t\nc: 2\n', { a: { b: 1 }, c: 2 });
    loads('a: [1,\n\t2]\nb: |\n  x\n  \ty\n', { a: [1, 2], b: 'x\n\ty\n' });
    loads('a: 1\n  \t# comment\n', { a: 1 });
  });

  it('refuses anchor and alias names beyond letters, digits, - and _, and aliases to no anchor', () => {
    refuses('a: &x# 1\n', '1:4');
    refuses('a: &x 1\nb: *x#\n', '2:4');
    refuses('a: *x\n', '1:4');
    refuses('a: &x [*x]\n', '1:8');
    loads('a: &my-anchor_1 {k: v}\nb: *my-anchor_1\n', { a: { k: 'v' }, b: { k: 'v' } });
  });

  it('refuses a value without a key', () => {
    refuses('a: 1\n: 2\n', '2:1');
    refuses('a: {: 2}\n', '1:5');
    refuses('roleRef:\n?   apiGroup: x\n  kind: y\n', '3:3');
  });

  it('refuses control characters, wherever they are', () => {
    refuses('a: x\u0007y\n', '1:5');
    refuses('# a comment with a \u0000\na: 1\n', '1:20');
    assert.equal(parse('# only \u0001 a comment\n').problems[0], 'yaml/syntax 1:8');
    loads('\ufeffa: "\u00e9\u{1F600}"\n', { a: '\u00e9\u{1F600}' });
  });

  it('reads a lone \\r and NEL as line breaks', () => {
    loads('a: 1\rb: |\r  x\r  y\r', { a: 1, b: 'x\ny\n' });
    loads('a: 1\u0085b: 2\n', { a: 1, b: 2 });
  });

  it('keeps no line break a file does not end with', () => {
    loads('a: |\n  x', { a: 'x' });
    loads('a: |+\n  x\n\n', { a: 'x\n\n' });
    loads('a: >\n  x\n  y', { a: 'x y' });
  });

  it('applies << where it stands, as go-yaml does', () => {
    const base = 'base: &b {a: from-base, b: from-base}\n';
    loads(`${base}data:\n  <<: *b\n  a: after\n`, { base: { a: 'from-base', b: 'from-base' }, data: { a: 'after', b: 'from-base' } });
    loads(`${base}data:\n  a: before\n  <<: *b\n`, { base: { a: 'from-base', b: 'from-base' }, data: { a: 'from-base', b: 'from-base' } });
    loads('p: &p {a: p}\nq: &q {a: q, b: q}\nm: {<<: [*p, *q]}\n', { p: { a: 'p' }, q: { a: 'q', b: 'q' }, m: { a: 'p', b: 'q' } });
  });

  it("says what kubectl does with a duplicate key: the last one wins", () => {
    const { problems } = parse('data:\n  k: one\n  k: two\n  same: 1\n  same: 1\n');
    assert.deepEqual(problems, ['yaml/duplicate-key 3:3', 'yaml/duplicate-key 5:3']);
    const messages = parseChunk('data:\n  k: one\n  k: two\n  same: 1\n  same: 1\n')[0]?.problems.map((p) => p.message);
    assert.match(messages?.[0] ?? '', /kubectl applies only the last one and silently drops the earlier value/);
    assert.match(messages?.[1] ?? '', /with the same value: kubectl keeps one copy, but kustomize/);
  });
});
