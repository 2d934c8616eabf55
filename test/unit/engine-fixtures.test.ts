/**
 * Schema, API-version and YAML findings from fixture files with caret expectations (test/fixtures/engine).
 * Every file in a folder is part of one workspace, so CRDs and kustomizations apply across files. An optional
 * first line `# kgov-test: {...}` sets engine options (e.g. the Kubernetes version). Rule modules are off: their
 * fixtures live in test/rules.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createEngine, type EngineOptions } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';
import { parseCarets, sortedDescriptions, toExpectation } from '../helpers/carets';

const ROOT = resolve(__dirname, '../fixtures/engine');

const RULES_OFF = Object.keys(RULES).map((id) => ({ id, severity: 'off' as const }));

function options(text: string): Partial<EngineOptions> {
  const match = /^# kgov-test: (\{.*\})$/m.exec(text.split('\n')[0] ?? '');
  return { ruleOverrides: RULES_OFF, ...(match ? (JSON.parse(match[1] as string) as Partial<EngineOptions>) : {}) };
}

function folders(dir: string): string[] {
  return [dir, ...readdirSync(dir).map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory()).flatMap(folders)];
}

for (const folder of folders(ROOT)) {
  const files = readdirSync(folder).filter((n) => n.endsWith('.yaml')).map((n) => join(folder, n));
  describe(`engine fixtures in ${folder.slice(ROOT.length) || '/'}`, () => {
    for (const file of files) {
      it(file.slice(folder.length + 1), () => {
        const text = readFileSync(file, 'utf8');
        const engine = createEngine({ schemasDir: schemasDir(), ...options(text) });
        const workspace = new Workspace();
        for (const other of files) workspace.setFile(other, engine.index(other, readFileSync(other, 'utf8')));
        const findings = engine.lint(file, text, workspace);
        assert.deepEqual(sortedDescriptions(findings.map(toExpectation)), sortedDescriptions(parseCarets(text)));
      });
    }
  });
}
