/**
 * Every rule is whole (DESIGN §10, aesthetics §9.2): one file whose name is its id, an entry in the sorted
 * index, docs, at least two valid and two invalid fixtures, a .fixed.yaml exactly when it is fixable, and
 * presets that name only existing rules. The rule docs are generated and must not be stale.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { UMBRELLAS } from '../server/src/engine/registry/builtins';
import { PRESETS } from '../server/src/engine/config/presets';
import { RULES } from '../server/src/engine/rules';

const root = resolve(__dirname, '..');
const CATALOG = resolve(root, '../shared/rule-catalog.md');
const ruleFiles = readdirSync(join(root, 'server/src/engine/rules'))
  .filter((n) => n.endsWith('.ts') && n !== 'index.ts' && !n.startsWith('_'))
  .map((n) => n.slice(0, -3));

describe('rule parity', () => {
  it('every rule file is in the index, under its own id, and the index is sorted', () => {
    assert.deepEqual(Object.keys(RULES), [...ruleFiles].sort());
    const index = readFileSync(join(root, 'server/src/engine/rules/index.ts'), 'utf8');
    const keys = [...index.matchAll(/^\s+'([a-z0-9-]+)': /gm)].map((m) => m[1]);
    assert.deepEqual(keys, [...keys].sort(), 'rules/index.ts is sorted');
    for (const [id, rule] of Object.entries(RULES)) assert.equal(rule.meta.id, id);
  });

  for (const [id, rule] of Object.entries(RULES)) {
    it(`${id} has metadata, docs and fixtures`, () => {
      const { meta } = rule;
      assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(meta.docs.url.endsWith(`/${id}.md`), 'docs.url points at its page');
      assert.ok(meta.docs.summary.endsWith('.') && meta.docs.rationale.endsWith('.'), 'summary and rationale are sentences');
      assert.ok(meta.messages.pass, 'a pass message (the checklist line)');
      assert.ok(Object.keys(meta.messages).length >= 2, 'at least one failure message');
      assert.ok(existsSync(join(root, `docs/rules/${id}.md`)), 'docs/rules/<id>.md');
      if (meta.options) assert.ok(meta.defaultOptions, 'options come with defaultOptions');
      const dir = join(root, 'test/rules', id);
      assert.ok(existsSync(dir), `test/rules/${id}/`);
      const names = readdirSync(dir);
      const valid = names.filter((n) => n.startsWith('valid-') && n.endsWith('.yaml'));
      const invalid = names.filter((n) => n.startsWith('invalid-') && n.endsWith('.yaml') && !n.endsWith('.fixed.yaml'));
      const fixed = names.filter((n) => n.endsWith('.fixed.yaml'));
      assert.ok(valid.length >= 2, 'at least two valid fixtures');
      assert.ok(invalid.length >= 2, 'at least two invalid fixtures');
      assert.equal(fixed.length > 0, meta.fixable === true, 'a .fixed.yaml exactly when the rule is fixable');
      for (const f of fixed) assert.ok(invalid.includes(f.replace('.fixed.yaml', '.yaml')), `${f} has its invalid fixture`);
    });
  }

  it('presets name only existing rules', () => {
    for (const [name, entries] of Object.entries(PRESETS)) {
      for (const id of Object.keys(entries)) assert.ok(RULES[id], `preset ${name} names unknown rule ${id}`);
    }
  });

  it('every id of the shared rule catalog is a rule or a built-in umbrella', { skip: !existsSync(CATALOG) && 'needs ../shared/rule-catalog.md' }, () => {
    const catalogIds = [...readFileSync(CATALOG, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1] as string);
    assert.ok(catalogIds.length >= 90, `read ${catalogIds.length} catalog ids`);
    const known = new Set([...Object.keys(RULES), ...UMBRELLAS.map((u) => u.id)]);
    assert.deepEqual(catalogIds.filter((id) => !known.has(id)), []);
  });

  it('package.json contributes the settings the server declares (npm run settings)', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/generate-manifest.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('the rule docs are up to date (npm run docs)', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/generate-docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
