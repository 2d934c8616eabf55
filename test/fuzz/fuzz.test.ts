/**
 * The short seeded fuzz run of `npm test` (issue 8): every hostile input of inputs.ts and a couple of thousand
 * mutations of the bench corpus, fed to the engine, to two running language servers (pull and push mode) and,
 * in batches, to `kgov audit`.
 * No crash, no unhandled rejection, no range outside its document, every operation within 2 s of CPU time,
 * and the servers still answering at the end. `npm run fuzz` is the long run (100,000 inputs by default);
 * KGOV_FUZZ_COUNT / KGOV_FUZZ_SEED change this one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corpusAvailable, corpusFiles } from '../unit/helpers/corpus';
import { runFuzz, SPECIAL_COUNT, summary } from './run';

const COUNT = Number(process.env.KGOV_FUZZ_COUNT ?? 2000);
const SEED = Number(process.env.KGOV_FUZZ_SEED ?? 20240611);

describe('fuzzing', { skip: !corpusAvailable() && 'needs ../shared/bench-corpus' }, () => {
  it(`${COUNT} seeded inputs to the engine and the language server (seed ${SEED})`, { timeout: 600_000 }, async (t) => {
    const report = await runFuzz({
      files: corpusFiles(), seed: SEED, count: COUNT, workspaceFiles: 25,
    });
    for (const line of summary(report)) t.diagnostic(line);
    assert.equal(report.inputs, COUNT);
    assert.ok(COUNT < SPECIAL_COUNT || (report.byKind['deep-nesting'] ?? 0) > 0, 'the hostile inputs ran');
    assert.equal(report.lsp?.inputs, COUNT, 'every input reached the language server');
    assert.ok((report.audit?.audits ?? 0) >= Math.floor(COUNT / 250), 'the inputs were audited by the CLI');
    const failures = report.failures.map((f) => `${f.where} ${f.category} input ${f.input} (${f.kind}${f.source ? ` of ${f.source}` : ''}): ${f.detail.split('\n')[0]}`);
    assert.deepEqual(failures.slice(0, 20), [], `${report.failureCount} failures; replay one with npm run fuzz -- --seed ${SEED} --only N`);
    assert.equal(report.unhandledRejections, 0);
  });
});
