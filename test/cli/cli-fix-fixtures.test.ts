/**
 * `kgov audit --fix` turns every invalid rule fixture that has a .fixed.yaml into it, byte for byte. Each fixture
 * gets a folder whose .kgov.yaml turns on its rule alone (with the fixture's options and Kubernetes version),
 * beside the rule's context files, as in a user's repository. One run fixes every folder of the single-resource
 * rules; a cross-resource rule's fixture gets a run of its own, since the input set is its workspace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { RULES } from '../../server/src/engine/rules';
import { isCaretLine } from '../helpers/carets';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const fixtures = join(root, 'test/rules');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-fix-fixtures-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const withoutCarets = (text: string) => text.split('\n').filter((line) => !isCaretLine(line)).join('\n');

function configFor(ruleId: string, firstLine: string): string {
  const match = /^# kgov-test: (\{.*\})\s*$/.exec(firstLine);
  const test = match ? (JSON.parse(match[1] as string) as { options?: object; kubernetesVersion?: string }) : {};
  const others = Object.keys(RULES).filter((id) => id !== ruleId).map((id) => `  ${id}: off\n`).join('');
  const severity = RULES[ruleId]?.meta.defaultSeverity ?? 'warning';
  const self = test.options ? `  ${ruleId}: [${severity}, ${JSON.stringify(test.options)}]\n` : `  ${ruleId}: ${severity}\n`;
  return `extends: all\n${test.kubernetesVersion ? `kubernetesVersion: "${test.kubernetesVersion}"\n` : ''}rules:\n${self}${others}`;
}

describe('kgov audit --fix over the rule fixtures', () => {
  it('turns every invalid fixture into its .fixed.yaml', () => {
    const expected = new Map<string, string>();
    const ownRuns: string[] = [];
    for (const ruleId of readdirSync(fixtures).sort()) {
      const dir = join(fixtures, ruleId);
      const names = readdirSync(dir);
      for (const fixed of names.filter((n) => n.endsWith('.fixed.yaml'))) {
        const name = fixed.replace('.fixed.yaml', '.yaml');
        const crossResource = RULES[ruleId]?.meta.crossResource === true;
        const folder = join(scratch, crossResource ? 'cross' : 'local', ruleId, name.replace(/\.yaml$/, ''));
        if (crossResource) ownRuns.push(folder);
        mkdirSync(folder, { recursive: true });
        const text = withoutCarets(readFileSync(join(dir, name), 'utf8'));
        writeFileSync(join(folder, name), text);
        writeFileSync(join(folder, '.kgov.yaml'), configFor(ruleId, text.split('\n')[0] ?? ''));
        for (const context of names.filter((n) => n.startsWith('context-'))) copyFileSync(join(dir, context), join(folder, context));
        expected.set(join(folder, name), readFileSync(join(dir, fixed), 'utf8'));
      }
    }
    assert.ok(expected.size >= 50, `${expected.size} fixable fixtures`);
    const fixedLines: string[] = [];
    for (const input of [join(scratch, 'local'), ...ownRuns]) {
      const result = spawnSync(process.execPath, [cli, 'audit', input, '--fix', '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(result.status, 0, result.stderr);
      fixedLines.push(...result.stderr.split('\n').filter((line) => line.startsWith('fixed ')));
    }
    const wrong = [...expected].filter(([path, want]) => readFileSync(path, 'utf8') !== want).map(([path]) => path.slice(scratch.length + 1));
    assert.deepEqual(wrong, []);
    assert.equal(fixedLines.length, expected.size, 'one "fixed" line per fixture file');
  });
});
