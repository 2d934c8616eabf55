/**
 * Rule fixtures (DESIGN §10), for the rule modules (test/rules/<rule-id>/) and the built-in ids the engine reports
 * itself (test/rules/<family>/<name>/: schema/*, yaml/*, api/*; test/helpers/fixture-folders.ts).
 *
 * - valid-*.yaml: the rule does not fire, and it ran and passed on at least one target (a `pass` outcome); a fixture
 *   that shows where the rule does not apply says so on its first line, `# kgov-test: {"notApplicable": "why"}`,
 *   and then the rule must neither pass nor fail anywhere in it. For a built-in id: every finding is marked with
 *   carets (usually none) and none is of that id.
 * - invalid-*.yaml: the findings match their caret expectations exactly (for a rule: its own findings; for a
 *   built-in id: every finding, with rule modules off), at least one of them of the folder's id.
 * - invalid-*.fixed.yaml: exactly when a finding of the id is fixable, the result of applying every fix of the id
 *   to invalid-*.yaml (caret lines removed first), byte for byte; it re-lints without fixable findings of the id.
 *
 * An optional first line `# kgov-test: {...}` sets rule options (`options`), the Kubernetes version
 * (`kubernetesVersion`), the file size limit (`maxFileSize`) or `notApplicable`. `context-*.yaml` files join every
 * fixture's workspace (for cross-resource rules and CRDs). KGOV_RULE=<id> runs one rule or built-in id;
 * KGOV_UPDATE_FIXED=1 rewrites .fixed.yaml.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../server/src/engine/config/config';
import { createEngine, type Engine } from '../server/src/engine/engine';
import { BUILTIN_BY_ID } from '../server/src/engine/registry/builtins';
import { RULES } from '../server/src/engine/rules';
import { SchemaCatalog } from '../server/src/engine/schema/catalog';
import type { Finding } from '../server/src/engine/types';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';
import { isCaretLine, parseCarets, sortedDescriptions, toExpectation } from './helpers/carets';
import { FIXTURES_ROOT, fixtureFolders, fixtureNames, type FixtureFolder } from './helpers/fixture-folders';

const catalog = new SchemaCatalog(schemasDir());
const only = process.env.KGOV_RULE;

interface FixtureHeader {
  options?: Record<string, unknown>;
  kubernetesVersion?: string;
  maxFileSize?: number;
  /** A valid fixture that shows where the rule does not apply: why. */
  notApplicable?: string;
}

function fixtureHeader(text: string): FixtureHeader {
  const match = /^# kgov-test: (\{.*\})\s*$/.exec(text.split('\n')[0] ?? '');
  return match ? (JSON.parse(match[1] as string) as FixtureHeader) : {};
}

/** An engine where only the folder's rule runs; for a built-in id, no rule module runs. */
function engineFor(folder: FixtureFolder, header: FixtureHeader): Engine {
  const config = { ...DEFAULT_CONFIG, rules: header.options ? { [folder.id]: { options: header.options as never } } : {} };
  const ruleOverrides = Object.keys(RULES).map((id) => (id === folder.id ? { id } : { id, severity: 'off' as const }));
  return createEngine({
    schemasDir: schemasDir(), config, preset: 'all', ruleOverrides,
    ...(header.kubernetesVersion ? { kubernetesVersion: header.kubernetesVersion } : {}),
    ...(header.maxFileSize ? { maxFileSize: header.maxFileSize } : {}),
  }, catalog);
}

function workspaceFor(engine: Engine, dir: string, context: string[], file: string, text: string): Workspace {
  const workspace = new Workspace();
  for (const name of context) workspace.setFile(join(dir, name), engine.index(join(dir, name), readFileSync(join(dir, name), 'utf8')));
  workspace.setFile(file, engine.index(file, text));
  return workspace;
}

const withoutCarets = (text: string) => text.split('\n').filter((line) => !isCaretLine(line)).join('\n');
const serious = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' && /^(schema|yaml|api|kgov)\//.test(f.ruleId)).map((f) => `${f.range.start.line + 1}: ${f.ruleId} ${f.message}`);

const folders = fixtureFolders().filter((f) => !only || f.id === only);

for (const folder of folders) {
  const { id, dir, builtin } = folder;
  const { valid, invalid, context } = fixtureNames(dir);
  describe(`${builtin ? 'built-in' : 'rule'} ${id}`, () => {
    it(builtin ? 'is a built-in finding id' : 'exists in the rule index', () => {
      if (builtin) assert.ok(BUILTIN_BY_ID.has(id), `no built-in "${id}" in server/src/engine/registry/builtins.ts`);
      else assert.ok(RULES[id], `no rule "${id}" in server/src/engine/rules/index.ts`);
      const { fixed } = fixtureNames(dir);
      const stray = readdirSync(dir).filter((n) => !valid.includes(n) && !invalid.includes(n) && !fixed.includes(n) && !context.includes(n));
      assert.deepEqual(stray, [], 'fixture names start with valid-, invalid- or context- and end with .yaml');
    });
    for (const name of [...valid, ...invalid].sort()) {
      const file = join(dir, name);
      it(name, () => {
        const text = readFileSync(file, 'utf8');
        const header = fixtureHeader(text);
        const engine = engineFor(folder, header);
        const { findings, outcomes = [] } = engine.lintFile(file, text, workspaceFor(engine, dir, context, file, text), undefined, { outcomes: !builtin });
        const mine = findings.filter((f) => f.ruleId === id);
        // A rule's fixtures are valid Kubernetes; a built-in's are compared finding by finding instead.
        if (!builtin) assert.deepEqual(serious(findings), [], 'fixtures must be valid Kubernetes');
        const expected = parseCarets(text);
        if (name.startsWith('valid-')) {
          if (builtin) {
            assert.deepEqual(sortedDescriptions(findings.map(toExpectation)), sortedDescriptions(expected), 'every finding is marked with carets');
            assert.deepEqual(sortedDescriptions(mine.map(toExpectation)), [], 'a valid fixture must not fire');
            return;
          }
          assert.deepEqual(sortedDescriptions(mine.map(toExpectation)), [], 'a valid fixture must not fire');
          const verdicts = outcomes.filter((o) => o.ruleId === id);
          if (header.notApplicable !== undefined) {
            assert.ok(header.notApplicable.length > 0, 'notApplicable says why');
            assert.deepEqual(verdicts.filter((o) => !o.notApplicable).map((o) => o.target), [], `the rule must not apply anywhere (notApplicable: ${header.notApplicable})`);
            return;
          }
          assert.ok(verdicts.some((o) => !o.failed && !o.notApplicable),
            `a valid fixture shows the rule passing, but it passed on no target (${verdicts.length} not applicable, none passed). ` +
            'If the fixture shows where the rule does not apply, put # kgov-test: {"notApplicable": "why"} on its first line.');
          return;
        }
        assert.equal(header.notApplicable, undefined, 'notApplicable is for valid fixtures');
        assert.ok(expected.some((e) => e.ruleId === id), 'an invalid fixture marks at least one finding of its id with carets');
        const compared = builtin ? findings : mine;
        assert.deepEqual(sortedDescriptions(compared.map(toExpectation)), sortedDescriptions(builtin ? expected : expected.filter((e) => e.ruleId === id)));

        const fixedFile = file.replace(/\.yaml$/, '.fixed.yaml');
        const source = withoutCarets(text);
        const { text: fixed } = engine.fixAll(file, source, workspaceFor(engine, dir, context, file, source), (f) => f.ruleId === id);
        if (!mine.some((f) => f.fixable)) {
          assert.ok(!existsSync(fixedFile), 'no finding here is fixable, so there is no .fixed.yaml');
          return;
        }
        if (process.env.KGOV_UPDATE_FIXED) writeFileSync(fixedFile, fixed);
        assert.ok(existsSync(fixedFile), `missing ${relative(FIXTURES_ROOT, fixedFile)} (KGOV_UPDATE_FIXED=1 writes it; then review it)`);
        assert.equal(fixed, readFileSync(fixedFile, 'utf8'));
        const after = engine.lint(file, fixed, workspaceFor(engine, dir, context, file, fixed));
        assert.deepEqual(after.filter((f) => f.ruleId === id && f.fixable).map((f) => f.message), [], 'the fix leaves no fixable finding of the id');
        if (!builtin) assert.deepEqual(serious(after), [], 'the fixed file is valid Kubernetes');
      });
    }
  });
}
