import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALIAS_EXPANSION_LIMIT, MAX_DEPTH } from '../../server/src/engine/yaml/compose';
import { locationOf } from '../../server/src/engine/yaml/location';
import { findTemplateDirective, parseChunk, splitDocuments } from '../../server/src/engine/yaml/parse';
import { plain } from './helpers/reference';

function documents(text: string) {
  return splitDocuments(text).flatMap((chunk) => parseChunk(chunk.text).map((d) => ({ ...d, base: chunk.start })));
}

describe('parsing', () => {
  it('splits files at --- lines only', () => {
    const text = 'a: 1\n---\nb: |\n  --- not a marker (indented)\n--- # c\nc: 3\n';
    assert.deepEqual(splitDocuments(text).map((c) => c.text), ['a: 1\n', '---\nb: |\n  --- not a marker (indented)\n', '--- # c\nc: 3\n']);
    assert.deepEqual(documents(text).map((d) => plain(d.value)), [{ a: 1 }, { b: '--- not a marker (indented)\n' }, { c: 3 }]);
  });

  it('yields nothing for comments-only and empty input, and null for an empty document', () => {
    assert.deepEqual(documents('# only a comment\n'), []);
    assert.deepEqual(documents(''), []);
    assert.deepEqual(documents('---\n---\n').map((d) => d.value), [null, null]);
  });

  it('drops keys with empty values, as the API server does, but keeps where they were written', () => {
    const [doc] = documents('a:\nb: ~\nc: 1\n');
    assert.deepEqual(plain(doc?.value), { c: 1 });
    assert.ok(locationOf(doc?.value)?.has('a'));
    assert.ok(locationOf(doc?.value)?.has('b'));
  });

  it('expands aliases and << merges (keys written in the map win)', () => {
    const [doc] = documents('base: &b {a: 1, b: 2}\nother: &o {c: 3}\nuse:\n  <<: [*b, *o]\n  b: 9\nlist: [*b]\n');
    assert.deepEqual(plain((doc?.value as Record<string, unknown>).use), { a: 1, b: 9, c: 3 });
    assert.deepEqual(plain((doc?.value as Record<string, unknown>).list), [{ a: 1, b: 2 }]);
    assert.equal(doc?.aliasBombed, false);
  });

  it('stops an alias bomb with a finding instead of running out of memory', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 0; i < 9; i++) text += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]\n`;
    const [doc] = documents(text);
    assert.equal(doc?.aliasBombed, true);
    assert.equal(doc?.problems[0]?.ruleId, 'yaml/alias-limit');
    assert.ok(ALIAS_EXPANSION_LIMIT < 1e6);
  });

  it('stops 10,000-deep nesting with a finding instead of overflowing the stack', () => {
    const deep = [
      `spec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      `spec: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
      `spec: ${'[a: '.repeat(10_000)}1${']'.repeat(10_000)}\n`,
      `spec: ${'[{a:\n '.repeat(5000)}\n`,
      `${'- '.repeat(10_000)}x\n`,
      `${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} leaf\n`,
    ];
    // Anchors nesting MAX_DEPTH - 10 levels each, each holding the one before: small text, 10,000-deep value.
    let aliases = `x0: &x0 ${'['.repeat(MAX_DEPTH - 10)}1${']'.repeat(MAX_DEPTH - 10)}\n`;
    for (let i = 1; i <= 21; i++) aliases += `x${i}: &x${i} ${'['.repeat(MAX_DEPTH - 10)}*x${i - 1}${']'.repeat(MAX_DEPTH - 10)}\n`;
    deep.push(`${aliases}spec: *x21\n`);
    for (const text of deep) {
      const [doc] = documents(text);
      assert.equal(doc?.broken, true, text.slice(0, 40));
      assert.deepEqual(doc?.problems.map((p) => p.ruleId), ['yaml/too-deep'], text.slice(0, 40));
    }
    // Just under the limit, in flow (single- and multi-line) and block style, the document composes without problems.
    for (const text of [`spec: ${'{a: '.repeat(MAX_DEPTH - 2)}1${'}'.repeat(MAX_DEPTH - 2)}\n`, `spec: ${'{a:\n '.repeat(MAX_DEPTH - 2)}1${'}'.repeat(MAX_DEPTH - 2)}\n`,
      `${Array.from({ length: MAX_DEPTH - 1 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} leaf\n`]) {
      const [doc] = documents(text);
      assert.deepEqual(doc?.problems, [], text.slice(0, 40));
      assert.equal(doc?.broken, false);
    }
  });

  it('keeps __proto__ as a plain key, never as the prototype (block, flow and merged)', () => {
    const [doc] = documents('block:\n  __proto__: {x: 1}\nflow: {__proto__: {x: 1}}\nbase: &b {__proto__: {x: 1}}\nmerged:\n  <<: *b\n');
    const value = doc?.value as Record<string, Record<string, unknown>>;
    for (const key of ['block', 'flow', 'merged']) {
      const map = value[key] as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(map), Object.prototype, key);
      assert.deepEqual(Object.keys(map), ['__proto__'], key);
      assert.equal(map.x, undefined, key);
      assert.deepEqual(plain(Object.getOwnPropertyDescriptor(map, '__proto__')?.value), { x: 1 }, key);
    }
  });

  it('reports duplicate keys on the second key', () => {
    const [doc] = documents('k: 1\nk: 2\n');
    assert.deepEqual(doc?.problems.map((p) => [p.ruleId, p.span]), [['yaml/duplicate-key', { start: 5, end: 6 }]]);
    assert.deepEqual(plain(doc?.value), { k: 2 });
  });

  it('reads the key y as the boolean true, like go-yaml v2', () => {
    assert.deepEqual(plain(documents('y: 1\nx: 2\n')[0]?.value), { true: 1, x: 2 });
  });

  it('converts non-string keys and rejects null keys', () => {
    const [doc] = documents('5: a\ntrue: b\n1.5: c\n? ~\n: d\n');
    assert.deepEqual(plain(doc?.value), { '5': 'a', true: 'b', '1.5': 'c' });
    assert.deepEqual(doc?.problems.map((p) => p.ruleId), ['yaml/invalid-key']);
  });

  it('reports syntax errors on the token and leaves other documents alone', () => {
    const docs = documents('a: 1\n---\nb: [1, 2\n---\nc: 3\n');
    assert.deepEqual(docs.map((d) => d.broken), [false, true, false]);
    const broken = docs[1];
    assert.equal(broken?.problems[0]?.ruleId, 'yaml/syntax');
    assert.equal((broken?.problems[0]?.span.start ?? 0) + (broken?.base ?? 0), 12); // the '['
    assert.deepEqual(plain(docs[2]?.value), { c: 3 });
  });

  it('keeps the spans of syntax errors inside the text, even for the end-of-flow marker the parser adds (found by the fuzzer)', () => {
    for (const text of [': ]{\n', 'a: 1\n: ]{\n', '{\n', '- [a, {b: \n']) {
      const docs = documents(text);
      assert.ok(docs.some((d) => d.broken), text);
      for (const d of docs) for (const p of d.problems) assert.ok(p.span.start >= 0 && p.span.start < p.span.end && p.span.end + d.base <= text.length, `${JSON.stringify(text)}: ${p.message} ${JSON.stringify(p.span)}`);
    }
  });

  it('rejects tabs used as indentation', () => {
    const [doc] = documents('a:\n\tb: 1\n');
    assert.equal(doc?.broken, true);
  });

  it('handles a byte order mark and CRLF line ends', () => {
    const [doc] = documents('\ufeffapiVersion: v1\r\nkind: Pod\r\n');
    assert.deepEqual(plain(doc?.value), { apiVersion: 'v1', kind: 'Pod' });
    const location = locationOf(doc?.value);
    assert.equal(location?.entry('kind')?.keyStart, 17);
  });

  it('finds template directives outside strings only', () => {
    assert.deepEqual(findTemplateDirective('name: {{ .Release.Name }}\n'), { start: 6, end: 25 });
    assert.ok(findTemplateDirective('spec:\n  {{- if .Values.x }}\n  a: 1\n  {{- end }}\n'));
    assert.equal(findTemplateDirective('summary: "{{ $labels.x }} down"\nd: Instance {{ $labels.x }} down\nb: |\n  {{ x }}\n'), undefined);
  });

  it('parses a multi-megabyte file', () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n' + Array.from({ length: 100_000 }, (_, i) => `  key${i}: "value number ${i}"\n`).join('');
    assert.ok(doc.length > 2_000_000);
    const [parsed] = documents(doc);
    assert.equal(Object.keys((parsed?.value as { data: object }).data).length, 100_000);
  });
});
