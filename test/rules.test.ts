/**
 * Rule fixtures (DESIGN §10): test/rules/<rule-id>/valid-*.yaml must not fire, invalid-*.yaml must match their
 * caret expectations exactly, and invalid-*.fixed.yaml must equal the fixed file byte for byte (caret lines
 * removed first) and re-lint clean. An optional first line `# kgov-test: {...}` sets rule options
 * (`options`) or the Kubernetes version (`kubernetesVersion`). `context-*.yaml` files join every fixture's
 * workspace (for cross-resource rules). KGOV_RULE=<id> runs one rule; KGOV_UPDATE_FIXED=1 rewrites .fixed.yaml.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../server/src/engine/config/config';
import { createEngine, type Engine } from '../server/src/engine/engine';
import { RULES } from '../server/src/engine/rules';
import { SchemaCatalog } from '../server/src/engine/schema/catalog';
import type { Finding } from '../server/src/engine/types';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';
import { isCaretLine, parseCarets, sortedDescriptions, toExpectation } from './helpers/carets';

const ROOT = resolve(__dirname, 'rules');
const catalog = new SchemaCatalog(schemasDir());
const only = process.env.KGOV_RULE;

interface FixtureOptions {
  options?: Record<string, unknown>;
  kubernetesVersion?: string;
}

function fixtureOptions(text: string): FixtureOptions {
  const match = /^# kgov-test: (\{.*\})\s*$/.exec(text.split('\n')[0] ?? '');
  return match ? (JSON.parse(match[1] as string) as FixtureOptions) : {};
}

/** An engine where only `ruleId` runs. */
function engineFor(ruleId: string, fixture: FixtureOptions): Engine {
  const config = { ...DEFAULT_CONFIG, rules: fixture.options ? { [ruleId]: { options: fixture.options as never } } : {} };
  const ruleOverrides = Object.keys(RULES).map((id) => (id === ruleId ? { id } : { id, severity: 'off' as const }));
  return createEngine({ schemasDir: schemasDir(), config, preset: 'all', ruleOverrides, ...(fixture.kubernetesVersion ? { kubernetesVersion: fixture.kubernetesVersion } : {}) }, catalog);
}

function workspaceFor(engine: Engine, dir: string, file: string, text: string): Workspace {
  const workspace = new Workspace();
  for (const name of readdirSync(dir).filter((n) => n.startsWith('context-'))) {
    workspace.setFile(join(dir, name), engine.index(join(dir, name), readFileSync(join(dir, name), 'utf8')));
  }
  workspace.setFile(file, engine.index(file, text));
  return workspace;
}

const withoutCarets = (text: string) => text.split('\n').filter((line) => !isCaretLine(line)).join('\n');
const serious = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' && /^(schema|yaml|api|kgov)\//.test(f.ruleId)).map((f) => `${f.range.start.line + 1}: ${f.ruleId} ${f.message}`);

const ruleIds = readdirSync(ROOT).filter((name) => !only || name === only).sort();

for (const ruleId of ruleIds) {
  const dir = join(ROOT, ruleId);
  const files = readdirSync(dir).filter((n) => n.endsWith('.yaml') && !n.endsWith('.fixed.yaml') && !n.startsWith('context-')).sort();
  describe(`rule ${ruleId}`, () => {
    it('exists in the rule index', () => assert.ok(RULES[ruleId], `no rule "${ruleId}" in server/src/engine/rules/index.ts`));
    for (const name of files) {
      const file = join(dir, name);
      it(name, () => {
        const text = readFileSync(file, 'utf8');
        const fixture = fixtureOptions(text);
        const engine = engineFor(ruleId, fixture);
        const workspace = workspaceFor(engine, dir, file, text);
        const findings = engine.lint(file, text, workspace);
        assert.deepEqual(serious(findings), [], 'fixtures must be valid Kubernetes');
        const mine = findings.filter((f) => f.ruleId === ruleId);
        if (name.startsWith('valid-')) {
          assert.deepEqual(sortedDescriptions(mine.map(toExpectation)), [], 'a valid fixture must not fire');
          return;
        }
        assert.ok(name.startsWith('invalid-'), 'fixture names start with valid- or invalid-');
        const expected = parseCarets(text).filter((e) => e.ruleId === ruleId);
        assert.ok(expected.length > 0, 'an invalid fixture marks at least one finding with carets');
        assert.deepEqual(sortedDescriptions(mine.map(toExpectation)), sortedDescriptions(expected));

        const fixedFile = file.replace(/\.yaml$/, '.fixed.yaml');
        const source = withoutCarets(text);
        const { text: fixed } = engine.fixAll(file, source, workspaceFor(engine, dir, file, source), (f) => f.ruleId === ruleId);
        if (!mine.some((f) => f.fixable)) {
          assert.ok(!existsSync(fixedFile), 'no finding here is fixable, so there is no .fixed.yaml');
          return;
        }
        if (process.env.KGOV_UPDATE_FIXED) writeFileSync(fixedFile, fixed);
        assert.ok(existsSync(fixedFile), `missing ${fixedFile.slice(ROOT.length + 1)} (KGOV_UPDATE_FIXED=1 writes it; then review it)`);
        assert.equal(fixed, readFileSync(fixedFile, 'utf8'));
        const after = engine.lint(file, fixed, workspaceFor(engine, dir, file, fixed));
        assert.deepEqual(after.filter((f) => f.ruleId === ruleId && f.fixable).map((f) => f.message), [], 'the fix leaves no fixable finding of the rule');
        assert.deepEqual(serious(after), [], 'the fixed file is valid Kubernetes');
      });
    }
  });
}
