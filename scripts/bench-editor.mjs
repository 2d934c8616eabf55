#!/usr/bin/env node
/**
 * npm run bench:editor [-- --anchor] [--runs N]: the editor as a user feels it, measured with the side-by-side LSP
 * harness in ../shared/anchors/yls (see its README): kgov on the bench corpus (files one by one, 32 open at once,
 * 50 keystrokes in a 10,000-line file), then the same keystrokes in a file without CRD documents (the corpus with
 * them taken out), its floor (the same diagnostics sent for each keystroke with no work, scripts/bench-replay-server.mjs),
 * and with --anchor yaml-language-server in the same run. Prints the targets of docs/performance.md with each
 * figure, and whether it is met. Figures, never pass/fail in a test: this machine is noisy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const harness = resolve(root, '../shared/anchors/yls');
const corpus = resolve(root, '../shared/bench-corpus');
const argv = process.argv.slice(2);
const anchor = argv.includes('--anchor');
// The harness itself starts kgov three times for the files and keystroke figures and once for 32 open files.
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 1;
const work = join(root, '.cache/yls-bench');
const out = join(work, 'out');

if (!existsSync(join(harness, 'bench.mjs'))) {
  console.error(`bench:editor needs the harness in ${harness} (../shared beside the repository).`);
  process.exit(2);
}
if (!argv.includes('--no-build')) run('node', [join(root, 'scripts/build.mjs')]);

/** The corpus with every CustomResourceDefinition document taken out (for the "without CRDs" keystroke figure). */
function corpusWithoutCrds() {
  const dir = join(work, 'corpus-without-crds');
  rmSync(dir, { recursive: true, force: true });
  for (const entry of readdirSync(corpus, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/i.test(entry.name)) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const kept = readFileSync(path, 'utf8').split(/^(?=---)/m).filter((doc) => !/^kind:\s*CustomResourceDefinition\s*$/m.test(doc));
    const target = join(dir, relative(corpus, path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, kept.join(''));
  }
  return dir;
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/** Runs the harness's kgov (and anchor) passes `runs` times, fresh servers each time; returns the JSON results. */
function measure(label, corpusDir, which) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const dir = join(out, `${label}-${i + 1}`);
    mkdirSync(dir, { recursive: true });
    run('bash', [join(harness, 'run.sh'), which, corpusDir], { OUT: dir, YLS_BENCH_DIR: work });
    const read = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : undefined);
    results.push({ kgov: read('kgov.json'), c32: read('kgov-c32.json'), yls: read('yls.json'), ylsC32: read('yls-c32.json') });
  }
  return results;
}

/**
 * The floor of the keystroke figure: the same keystrokes through scripts/bench-replay-server.mjs, which answers
 * each edit with the diagnostics kgov last published, doing no work: the cost of sending and reading them here.
 */
function measureFloor(corpusDir) {
  const file = join(out, 'floor.json');
  const server = `node ${join(root, 'scripts/bench-replay-server.mjs')} node ${join(root, 'server/out/server.js')} --stdio`;
  run('node', [join(harness, 'bench.mjs'), '--server', server, '--settings', join(work, 'kgov-settings.json'), '--corpus', corpusDir,
    '--repeat', '3', '--label', 'floor', '--out', file]);
  return [{ floor: JSON.parse(readFileSync(file, 'utf8')) }];
}

const all = measure('corpus', corpus, anchor ? 'both' : 'kgov');
const withoutCrdsCorpus = corpusWithoutCrds();
const withoutCrds = measure('without-crds', withoutCrdsCorpus, 'kgov');
const floor = measureFloor(withoutCrdsCorpus);

// Each harness JSON holds the runs of one server start per --repeat; every run of every start counts.
const runsOf = (results, key) => results.flatMap((r) => r[key]?.runs ?? []);
const fmt = (xs) => {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  const f = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
};
const rows = [
  ['keystroke → diagnostics p95, 10k-line file (ms)', runsOf(all, 'kgov').map((r) => r.edit?.p95), (x) => x <= 25, '≤ 25', runsOf(all, 'yls').map((r) => r.edit?.p95)],
  ['keystroke → diagnostics p50, 10k-line file (ms)', runsOf(all, 'kgov').map((r) => r.edit?.p50), undefined, '', runsOf(all, 'yls').map((r) => r.edit?.p50)],
  ['the same without CRD documents, p95 (ms)', runsOf(withoutCrds, 'kgov').map((r) => r.edit?.p95), (x) => x <= 15, '≤ 15'],
  ['the same without CRD documents, p50 (ms)', runsOf(withoutCrds, 'kgov').map((r) => r.edit?.p50), undefined, ''],
  ['  floor: those diagnostics sent with no work, p95 (ms)', runsOf(floor, 'floor').map((r) => r.edit?.p95), undefined, ''],
  ['  floor: those diagnostics sent with no work, p50 (ms)', runsOf(floor, 'floor').map((r) => r.edit?.p50), undefined, ''],
  ['open the 10k-line file (ms)', runsOf(all, 'kgov').map((r) => r.edit?.openMs), (x) => x <= 150, '≤ 150', runsOf(all, 'yls').map((r) => r.edit?.openMs)],
  ['32 files open: per-file p50 (ms)', runsOf(all, 'c32').map((r) => r.latencyMs.p50), (x) => x <= 30, '≤ 30', runsOf(all, 'ylsC32').map((r) => r.latencyMs.p50)],
  ['32 files open: documents/s', runsOf(all, 'c32').map((r) => r.docsPerSec), (x) => x >= 400, '≥ 400', runsOf(all, 'ylsC32').map((r) => r.docsPerSec)],
  ['files one by one: documents/s', runsOf(all, 'kgov').map((r) => r.docsPerSec), undefined, '', runsOf(all, 'yls').map((r) => r.docsPerSec)],
  ['diagnostics published, corpus (every run)', runsOf(all, 'kgov').map((r) => r.diagnostics), undefined, 'the same every run', runsOf(all, 'yls').map((r) => r.diagnostics)],
  ['diagnostics published, 32 open', runsOf(all, 'c32').map((r) => r.diagnostics), undefined, 'the same every run'],
  ['peak RSS after corpus and edits (MB)', runsOf(all, 'kgov').map((r) => r.peakRssMB.afterEdits ?? r.peakRssMB.corpus), (x) => x <= 200, '≤ 200', runsOf(all, 'yls').map((r) => r.peakRssMB.afterEdits ?? r.peakRssMB.corpus)],
];
console.log(`\nkgov editor benchmark: ranges over every server start (the harness's three, times --runs ${runs})${anchor ? '; yaml-language-server from the same run' : ''}`);
console.log(`| what | kgov | target | met |${anchor ? ' yaml-language-server |' : ''}`);
console.log(`|---|---|---|---|${anchor ? '---|' : ''}`);
for (const [what, values, ok, target, anchorValues] of rows) {
  const met = ok ? (values.filter(Number.isFinite).every(ok) ? 'yes' : 'no') : what.startsWith('diagnostics') ? (new Set(values).size === 1 ? 'yes' : 'no') : '';
  console.log(`| ${what} | ${fmt(values)} | ${target} | ${met} |${anchor ? ` ${anchorValues ? fmt(anchorValues) : ''} |` : ''}`);
}
console.log(`\nResults (JSON) in ${relative(root, out)}/.`);
