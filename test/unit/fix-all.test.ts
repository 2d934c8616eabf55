/**
 * Engine.fixAll applies the first local fix of every document in one round. Its result must be the text that
 * applying one fix at a time (re-linting after each, the plain definition of "fix all") gives: checked here
 * against that reference on the bench-corpus files (or those of its vendored sample) with the most documents, with every rule on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import { applyOps, FixError } from '../../server/src/engine/fix/edits';
import type { Finding } from '../../server/src/engine/types';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { sampleOrCorpus } from './helpers/corpus';

/** One fix per round, re-linting after each; a fix that throws or breaks the file is not retried on that text. */
function fixOneAtATime(engine: Engine, path: string, text: string): string {
  let current = text;
  const key = (f: Finding) => `${f.ruleId}|${f.docIndex}|${f.pointer}|${f.messageId}`;
  const applied = new Map<string, number>();
  let failed = new Set<string>();
  for (let round = 0; round < 500; round++) {
    const workspace = new Workspace();
    workspace.setFile(path, engine.index(path, current));
    const candidate = engine.lint(path, current, workspace).find((f) => f.fix && !f.suppressed && !failed.has(key(f)) && (applied.get(key(f)) ?? 0) < 3);
    if (!candidate?.fix) break;
    let next: string;
    try {
      next = applyOps(current, candidate.docIndex, candidate.fix.patch);
    } catch (error) {
      if (!(error instanceof FixError)) throw error;
      failed.add(key(candidate));
      continue;
    }
    const after = engine.analyze(path, next);
    if (next === current || after.documents.some((d) => d.broken)) {
      failed.add(key(candidate));
      continue;
    }
    current = next;
    applied.set(key(candidate), (applied.get(key(candidate)) ?? 0) + 1);
    failed = new Set();
  }
  return current;
}

describe('fix all', () => {
  const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' });
  const hasFixes = (path: string, text: string) => {
    const workspace = new Workspace();
    workspace.setFile(path, engine.index(path, text));
    return engine.lint(path, text, workspace).some((f) => f.fix);
  };
  const files = sampleOrCorpus().files
    .map((f) => ({ ...f, documents: f.text.split(/^---/m).length }))
    .sort((a, b) => b.documents - a.documents || a.relative.localeCompare(b.relative))
    .filter((f) => hasFixes(f.path, f.text))
    .slice(0, 6);
  it('has files with fixes to compare on', () => assert.equal(files.length, 6));

  for (const file of files) {
    it(`gives the one-fix-at-a-time result on ${file.relative} (${file.documents} documents)`, () => {
      const workspace = new Workspace();
      workspace.setFile(file.path, engine.index(file.path, file.text));
      const batched = engine.fixAll(file.path, file.text, workspace);
      assert.equal(batched.text, fixOneAtATime(engine, file.path, file.text));
    });
  }
});
