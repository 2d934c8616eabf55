/**
 * Defect 4 of the fidelity issue: one deeply nested document overflowed the stack and lost a whole audit. The parts
 * of kgov that recurse once per level must stay far inside the stack: every engine operation on the deepest
 * documents kgov validates (deep-inputs.ts) runs in a Node whose stack is a quarter of the default (984 KB).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deepInputs } from './deep-inputs';

const QUARTER_OF_THE_DEFAULT_STACK_KB = 246;

describe('stack budget', () => {
  it('lints, fixes, hovers, completes and lists symbols of the deepest documents with a quarter of the default stack', () => {
    const run = spawnSync(process.execPath, [`--stack-size=${QUARTER_OF_THE_DEFAULT_STACK_KB}`, '--import', 'tsx', join(__dirname, 'stack-probe.ts')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; ok: boolean; error?: string });
    assert.equal(results.length, deepInputs().length, run.stdout);
    assert.deepEqual(results.filter((r) => !r.ok), []);
  });
});
