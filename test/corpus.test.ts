/**
 * The two real-world sets: the bench corpus (../shared/bench-corpus, 400 files) and test/corpus (2,956 files of 27
 * public projects, PROVENANCE.md). Every file audits without a crash, every range lies inside its file, and the
 * only schema, API and YAML findings are the ones checked by hand and listed, each with its reason, in
 * test/expected/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEngine } from '../server/src/engine/engine';
import { LineIndex } from '../server/src/engine/util/line-index';
import type { Finding } from '../server/src/engine/types';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';
import { corpusAvailable, corpusFiles } from './unit/helpers/corpus';

interface Expected {
  file: string;
  line: number;
  ruleId: string;
  message: string;
  reason: string;
}

const key = (e: { file: string; line: number; ruleId: string; message: string }) => `${e.file}:${e.line} ${e.ruleId} ${e.message}`;

function realWorldFiles(): Array<{ path: string; relative: string; text: string }> {
  const root = join(__dirname, 'corpus');
  const out: Array<{ path: string; relative: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push({ path, relative: path.slice(root.length + 1), text: readFileSync(path, 'utf8') });
    }
  };
  walk(root);
  return out;
}

function suite(name: string, files: () => Array<{ path: string; relative: string; text: string }>, expectedFile: string, checked: RegExp, count: number, skip: string | false) {
  describe(name, { skip }, () => {
    const engine = createEngine({ schemasDir: schemasDir() });
    const workspace = new Workspace();
    const results = new Map<string, Finding[]>();

    it('audits every file without a crash, with every range inside its file', () => {
      const all = files();
      for (const f of all) workspace.setFile(f.path, engine.index(f.path, f.text));
      for (const f of all) {
        const findings = engine.lint(f.path, f.text, workspace);
        const lines = new LineIndex(f.text);
        for (const x of findings) {
          assert.ok(x.span.start >= 0 && x.span.end <= f.text.length && x.span.start <= x.span.end, `${f.relative}: span ${JSON.stringify(x.span)}`);
          assert.ok(x.range.end.line < lines.lineCount, `${f.relative}: range ${JSON.stringify(x.range)}`);
          assert.notDeepEqual(x.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `${f.relative}: ${x.ruleId} at 0:0`);
          assert.notEqual(x.ruleId, 'kgov/internal-error', `${f.relative}: ${x.message}`);
        }
        results.set(f.relative, findings);
      }
      assert.equal(results.size, count);
    });

    it('has exactly the findings checked by hand', () => {
      const expected = JSON.parse(readFileSync(join(__dirname, 'expected', expectedFile), 'utf8')) as Expected[];
      const actual = [...results].flatMap(([file, findings]) => findings
        .filter((x) => checked.test(x.ruleId))
        .map((x) => key({ file, line: x.range.start.line + 1, ruleId: x.ruleId, message: x.message })));
      assert.deepEqual(actual.sort(), expected.map(key).sort());
      for (const e of expected) assert.ok(e.reason.length > 20, `give a reason for ${key(e)}`);
    });
  });
}

suite('bench corpus', () => corpusFiles(), 'bench-corpus-schema.json', /^(schema|yaml)\//, 400, !corpusAvailable() && 'needs ../shared/bench-corpus');
suite('real-world set (test/corpus)', realWorldFiles, 'real-world-corpus.json', /^(schema|api|yaml)\//, 2956, false);
