// npm test: the fast suite (under 2 minutes on two cores); npm run test:slow (--slow): the slow one.
//
// npm test regenerates server/src/engine/rules/index.ts and the rule docs (docs/rules/), type-checks every project
// (tsc -b over the solution tsconfig.json), bundles, then runs the fast test files with node:test (TypeScript
// through tsx). It fails when the regeneration changed a file: the committed file was stale. npm run test:slow
// type-checks, bundles and runs the files listed in SLOW below.
//
// KGOV_TEST=<substring> runs only the test files of the set whose path contains it; KGOV_RULE=<id> only that
// rule's (or built-in id's) fixtures; KGOV_SKIP_BUILD=1 skips the type check and the bundle; KGOV_REPORTER=<name>
// replaces the spec reporter. --list prints the test files of the set and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/**
 * The slow set: corpus-wide audits and fixes, fuzzing, fix safety, external tools (libyaml, kubectl, the SARIF
 * Multitool), stack and robustness probes, worker-thread parity, and the cluster module against its fake API
 * server (test/cli/cluster.test.ts and test/lsp/cluster.test.ts, in the fast set, drive it end to end). A path
 * ending in / is a folder. Every other test file under test/ is fast.
 */
const SLOW = [
  'test/cluster/',
  'test/corpus.test.ts',
  'test/differential/',
  'test/fix-safety/',
  'test/fuzz/',
  'test/real-tools/',
  'test/render/',
  'test/robustness/',
  'test/cli/jobs.test.ts',
  'test/unit/fix-all.test.ts',
];

const slow = process.argv.includes('--slow');
const started = Date.now();
const filter = process.env.KGOV_TEST;

const run = (command, args, label) => {
  const begin = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  console.log(`# ${label}: ${((Date.now() - begin) / 1000).toFixed(1)}s`);
  return result.status ?? 1;
};

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'e2e' && name !== 'out' && name !== 'fixtures') out.push(...testFiles(path));
    } else if (name.endsWith('.test.ts')) out.push(path.split('\\').join('/'));
  }
  return out;
}

const isSlow = (file) => SLOW.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
for (const entry of SLOW) if (!existsSync(entry)) throw new Error(`scripts/test.mjs: ${entry} in SLOW does not exist`);
const files = testFiles('test').filter((f) => isSlow(f) === slow && (!filter || f.includes(filter)));
if (process.argv.includes('--list')) {
  console.log(files.join('\n'));
  process.exit(0);
}

/** Generated files: every file under `paths`, by path, with its text. */
function snapshot(paths) {
  const out = new Map();
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else out.set(path, readFileSync(path, 'utf8'));
  };
  for (const path of paths) walk(path);
  return out;
}

const stale = [];
if (!slow) {
  // "A rule is one file + fixtures": the rule index and the rule docs follow the rule files and their fixtures, so
  // they are regenerated here (in one process: the docs generator loads the index the first one wrote).
  const generated = [
    { path: 'server/src/engine/rules/index.ts', fix: 'npm run rules:index' },
    { path: 'docs/rules', fix: 'npm run docs' },
  ];
  const begin = Date.now();
  const before = snapshot(generated.map((g) => g.path));
  const code = "require('./scripts/generate-rule-index.ts'); require('./scripts/generate-docs.ts');";
  const status = spawnSync(process.execPath, ['--import', 'tsx', '--eval', code], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env }).status;
  if (status !== 0) {
    console.error('# regenerating the rule index and docs failed (npm run rules:index, npm run docs)');
    process.exit(status ?? 1);
  }
  const after = snapshot(generated.map((g) => g.path));
  for (const { path, fix } of generated) {
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => p.startsWith(path) && before.get(p) !== after.get(p)).sort();
    if (changed.length === 0) continue;
    stale.push(changed.length === 1
      ? `${changed[0]} was stale and has been updated (${fix}): commit it`
      : `${changed.length} files under ${path} were stale and have been updated (${fix}): commit them (${changed.join(', ')})`);
    console.error(`# ${stale.at(-1)}`);
  }
  console.log(`# regenerate the rule index and docs: ${((Date.now() - begin) / 1000).toFixed(1)}s`);
}

if (!process.env.KGOV_SKIP_BUILD) {
  if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], 'typecheck (tsc -b)') !== 0) process.exit(1);
  if (run(process.execPath, ['scripts/build.mjs'], 'build') !== 0) process.exit(1);
}

let status = 0;
if (files.length === 0) console.log(`# no ${slow ? 'slow' : 'fast'} test file matches KGOV_TEST=${filter}`);
else {
  const reporters = ['--test-reporter', process.env.KGOV_REPORTER ?? 'spec', '--test-reporter-destination', 'stdout',
    '--test-reporter', './scripts/test-durations.mjs', '--test-reporter-destination', 'stdout'];
  // The fast files run two at a time (much of their time is spent starting processes and waiting on them); the
  // slow ones, CPU-bound and some of them measuring CPU time, one at a time on two cores (node's default).
  const concurrency = slow ? [] : [`--test-concurrency=${Math.max(2, availableParallelism() - 1)}`];
  status = run(process.execPath, ['--import', 'tsx', '--test', ...concurrency, ...reporters, ...files], `${files.length} ${slow ? 'slow' : 'fast'} test files`);
}
console.log(`# ${slow ? 'npm run test:slow' : 'npm test'}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
if (stale.length > 0) {
  for (const line of stale) console.error(`\n${line}.`);
  process.exit(1);
}
process.exit(status);
