/** Offsets <-> LSP positions: lines end at \n, \r\n and a lone \r, as LSP clients count them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../server/src/engine/engine';
import { LineIndex } from '../../server/src/engine/util/line-index';
import { schemasDir } from '../../server/src/host/paths';

describe('line index', () => {
  it('counts \\n, \\r\\n and a lone \\r as line ends', () => {
    const text = 'a\nb\r\nc\rd';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual([0, 2, 5, 7].map((o) => lines.positionAt(o)), [{ line: 0, character: 0 }, { line: 1, character: 0 }, { line: 2, character: 0 }, { line: 3, character: 0 }]);
    assert.deepEqual(lines.positionAt(6), { line: 2, character: 1 });
    assert.equal(lines.offsetAt({ line: 3, character: 1 }), 8);
    assert.deepEqual([0, 1, 2, 3].map((l) => lines.lineText(l)), ['a', 'b', 'c', 'd']);
  });

  it('answers the same whatever order positions are asked in (it scans only as far as asked)', () => {
    for (const text of ['a\nbb\r\n\nccc\rd\n', 'one\ntwo\nthree', 'x\ry\rz\r\n', '', '\n\n']) {
      const offsets = Array.from({ length: text.length + 2 }, (_, i) => i);
      const forward = new LineIndex(text);
      const expected = offsets.map((o) => forward.positionAt(o));
      const backward = new LineIndex(text);
      assert.deepEqual([...offsets].reverse().map((o) => backward.positionAt(o)).reverse(), expected, JSON.stringify(text));
      const byLine = new LineIndex(text);
      const count = new LineIndex(text).lineCount;
      const lastLine = byLine.lineText(count - 1);
      assert.deepEqual(offsets.map((o) => byLine.positionAt(o)), expected, JSON.stringify(text));
      assert.equal(byLine.lineCount, count);
      assert.equal(lastLine, text.split(/\r\n|\r|\n/).at(-1));
      // Each line asked first, on a fresh index: its text, and where a position past its end is clamped to.
      const editorLines = text.split(/\r\n|\r|\n/);
      for (let line = 0; line < count; line++) {
        assert.equal(new LineIndex(text).lineText(line), editorLines[line], `${JSON.stringify(text)} line ${line}`);
        const nextLineStart = line + 1 < count ? forward.offsetAt({ line: line + 1, character: 0 }) : text.length;
        assert.equal(new LineIndex(text).offsetAt({ line, character: 99 }), nextLineStart, `${JSON.stringify(text)} line ${line}`);
      }
    }
  });

  it('never places a position between the \\r and the \\n of a line end (found by the fuzzer)', () => {
    const lines = new LineIndex('ab\r\ncd\r\n');
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 2 });
    assert.deepEqual(lines.rangeOf({ start: 2, end: 3 }), { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } });
    assert.deepEqual(lines.positionAt(4), { line: 1, character: 0 });
    // A syntax error reported on the \r of a CRLF line end stays on its line.
    const text = 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: x\r\n';
    for (const f of createEngine({ schemasDir: schemasDir() }).lint('/x.yaml', text)) {
      const editorLines = text.split(/\r\n|\r|\n/);
      for (const p of [f.range.start, f.range.end]) assert.ok(p.character <= (editorLines[p.line] as string).length, `${f.ruleId} ${JSON.stringify(f.range)}`);
    }
  });

  it('puts findings of a file with old Mac line ends inside the lines an editor shows', () => {
    const text = 'apiVersion: v1\rkind: Pod\rmetadata:\r  name: x\rspec:\r  containers: [{name: c, image: "i", bogus: 1}]\r';
    const editorLines = text.split(/\r\n|\r|\n/);
    const findings = createEngine({ schemasDir: schemasDir(), preset: 'all' }).lint('/x.yaml', text);
    assert.ok(findings.length > 0);
    for (const f of findings) {
      for (const p of [f.range.start, f.range.end]) {
        assert.ok(p.line < editorLines.length && p.character <= (editorLines[p.line] as string).length, `${f.ruleId} ${JSON.stringify(f.range)}`);
      }
    }
  });
});
