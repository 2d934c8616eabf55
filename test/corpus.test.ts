/**
 * The bench corpus (../shared/bench-corpus): 400 files of real manifests from well-known projects. Every file
 * audits without a crash, every range lies inside its file, and the only schema and YAML findings are the ones
 * checked by hand and listed, each with its reason, in test/expected/bench-corpus-schema.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEngine } from '../server/src/engine/engine';
import { LineIndex } from '../server/src/engine/text';
import type { Finding } from '../server/src/engine/types';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/paths';
import { corpusAvailable, corpusFiles } from './unit/helpers/corpus';

interface Expected {
  file: string;
  line: number;
  ruleId: string;
  message: string;
  reason: string;
}

const expected = JSON.parse(readFileSync(join(__dirname, 'expected/bench-corpus-schema.json'), 'utf8')) as Expected[];
const key = (e: { file: string; line: number; ruleId: string; message: string }) => `${e.file}:${e.line} ${e.ruleId} ${e.message}`;

describe('bench corpus', { skip: !corpusAvailable() && 'needs ../shared/bench-corpus' }, () => {
  const files = corpusAvailable() ? corpusFiles() : [];
  const engine = createEngine({ schemasDir: schemasDir() });
  const workspace = new Workspace();
  const results = new Map<string, Finding[]>();

  it('audits every file without a crash, with every range inside its file', () => {
    for (const f of files) workspace.setFile(f.path, engine.index(f.path, f.text));
    for (const f of files) {
      const findings = engine.lint(f.path, f.text, workspace);
      const lines = new LineIndex(f.text);
      for (const x of findings) {
        assert.ok(x.span.start >= 0 && x.span.end <= f.text.length && x.span.start <= x.span.end, `${f.relative}: span ${JSON.stringify(x.span)}`);
        assert.ok(x.range.end.line < lines.lineCount, `${f.relative}: range ${JSON.stringify(x.range)}`);
        assert.notDeepEqual(x.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `${f.relative}: ${x.ruleId} at 0:0`);
      }
      results.set(f.relative, findings);
    }
    assert.equal(results.size, 400);
  });

  it('has exactly the schema and YAML findings checked by hand', () => {
    const actual = [...results].flatMap(([file, findings]) => findings
      .filter((x) => x.ruleId.startsWith('schema/') || x.ruleId.startsWith('yaml/'))
      .map((x) => key({ file, line: x.range.start.line + 1, ruleId: x.ruleId, message: x.message })));
    assert.deepEqual(actual.sort(), expected.map(key).sort());
    for (const e of expected) assert.ok(e.reason.length > 20, `give a reason for ${key(e)}`);
  });
});
