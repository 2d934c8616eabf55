/**
 * npm run fuzz [-- --count N] [--seed S] [--only INDEX] [--no-lsp] [--no-audit] [--workspace-files N] [--json FILE]
 * Feeds seeded mutations of ../shared/bench-corpus and the hostile inputs of issue 8 (alias bombs, 10,000-deep
 * nesting, a 50 MB file, binary data, UTF-16, ...) to the engine, to running language servers and, in batches, to
 * `kgov audit`, and prints the counts. Exit 1 when any input crashed, threw, left a range outside its document,
 * took over 2 s of CPU time, left a server unresponsive, or lost an audit. Defaults: 100,000 inputs, seed 1. Needs `npm run build` (the server bundle).
 */
import { writeFileSync } from 'node:fs';
import { corpusAvailable, corpusFiles, CORPUS_DIR } from '../test/unit/helpers/corpus';
import { runFuzz, summary } from '../test/fuzz/run';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`fuzz: --${name} takes a whole number, not "${raw}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  if (!corpusAvailable()) {
    console.error(`fuzz: ${CORPUS_DIR} not found`);
    process.exit(2);
  }
  const only = option('only');
  const report = await runFuzz({
    files: corpusFiles(),
    seed: numberOption('seed', 1),
    count: only !== undefined ? numberOption('only', 0) + 1 : numberOption('count', 100_000),
    lsp: !process.argv.includes('--no-lsp'),
    audit: !process.argv.includes('--no-audit'),
    ...(only !== undefined ? { only: numberOption('only', 0) } : {}),
    ...(option('workspace-files') !== undefined ? { workspaceFiles: numberOption('workspace-files', 400) } : {}),
    log: (line) => console.log(line),
    progressEvery: 5000,
  });
  for (const line of summary(report)) console.log(line);
  const json = option('json');
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  process.exit(report.failureCount === 0 && report.unhandledRejections === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
