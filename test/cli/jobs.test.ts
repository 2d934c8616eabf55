/**
 * Worker threads change nothing (slow set: two audits of the bench corpus, or of its vendored sample without
 * ../shared): `kgov audit --jobs 1` and `--jobs 2` print the same JSON report apart from its duration.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { sampleOrCorpus } from '../unit/helpers/corpus';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const corpus = sampleOrCorpus();

function audit(jobs: number): { code: number | null; report: { summary: { durationMs: number; files: number } } } {
  const result = spawnSync(process.execPath, [cli, 'audit', corpus.dir, '--format', 'json', '--jobs', String(jobs), '--fail-on', 'none'],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { summary: { durationMs: number; files: number } };
  report.summary.durationMs = 0;
  return { code: result.status, report };
}

describe('kgov audit --jobs', () => {
  it(`gives the same report with two worker threads as with one, on ${corpus.name}`, () => {
    const single = audit(1);
    const parallel = audit(2);
    assert.equal(single.report.summary.files, corpus.files.length);
    assert.deepEqual(parallel.report, single.report);
  });
});
