/**
 * The SARIF that `kgov audit --format sarif` writes passes the SARIF Multitool's validation (the devDependency
 * @microsoft/sarif-multitool), with GitHub code scanning's rules. Slow set: the Multitool is a .NET program.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-sarif-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('SARIF Multitool', () => {
  it('accepts the SARIF of kgov audit, GitHub rules included', () => {
    const out = join(scratch, 'report.sarif');
    const result = spawnSync(process.execPath, [cli, 'audit', join(root, 'test/fixtures/cli/broken.yaml'), '--format', 'sarif', '-o', out], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    // The npm wrapper passes arguments through a shell; call the platform binary directly.
    const multitool = require('@microsoft/sarif-multitool') as string;
    const validated = join(scratch, 'validation.sarif');
    const check = spawnSync(multitool, ['validate', out, '--rule-kind', 'Sarif;Gh', '-o', validated, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const problems = (JSON.parse(readFileSync(validated, 'utf8')) as { runs: Array<{ results: Array<{ level: string; ruleId: string }> }> }).runs[0]!.results;
    assert.deepEqual(problems.filter((p) => p.level === 'error' || p.level === 'warning').map((p) => p.ruleId), []);
  });
});
