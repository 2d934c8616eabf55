/**
 * npm run bench: speed and memory figures (never asserted in tests). Measures, on ../shared/bench-corpus:
 * the parse-only baseline (yaml's parseAllDocuments), kgov's audit in one process (documents/s, MB/s, p50/p95
 * per file, overhead over the baseline), cold start to first result, peak RSS, and `--jobs` scaling.
 * Sections for the language server and large workspaces are added by their own scripts (see BENCH_SECTIONS).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createEngine } from '../server/src/engine/engine';
import { SchemaCatalog } from '../server/src/engine/schema/catalog';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/paths';
import { CORPUS_DIR, corpusFiles } from '../test/unit/helpers/corpus';

const root = resolve(__dirname, '..');
const cli = join(root, 'server/out/cli.js');
const PASSES = Number(process.env.KGOV_BENCH_PASSES ?? 8);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function section(title: string): void {
  console.log(`\n## ${title}`);
}

if (!existsSync(CORPUS_DIR)) {
  console.error(`bench: ${CORPUS_DIR} not found`);
  process.exit(2);
}
const files = corpusFiles();
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
const megabytes = bytes / 1e6;

section(`Corpus: ${files.length} files, ${fmt(megabytes, 2)} MB (${CORPUS_DIR})`);

// Interleave the baseline and kgov passes so both see the same machine state.
const catalog = new SchemaCatalog(schemasDir());
const baseline: number[] = [];
const audit: number[] = [];
const perFile: number[] = [];
let documents = 0;
{
  // Warm-up: compile the validators the corpus needs, JIT both paths.
  const engine = createEngine({ schemasDir: schemasDir() }, catalog);
  const workspace = new Workspace();
  for (const f of files) workspace.setFile(f.path, engine.index(f.path, f.text));
  for (const f of files) documents += engine.lintFile(f.path, f.text, workspace).documents;
  for (const f of files) parseAllDocuments(f.text);
}
for (let pass = 0; pass < PASSES; pass++) {
  let started = performance.now();
  for (const f of files) parseAllDocuments(f.text);
  baseline.push(performance.now() - started);
  // A fresh engine per pass: no cached chunks, as in a new `kgov audit` run (compiled validators are shared).
  const engine = createEngine({ schemasDir: schemasDir() }, catalog);
  started = performance.now();
  const workspace = new Workspace();
  for (const f of files) workspace.setFile(f.path, engine.index(f.path, f.text));
  for (const f of files) {
    const t = performance.now();
    engine.lint(f.path, f.text, workspace);
    if (pass === PASSES - 1) perFile.push(performance.now() - t);
  }
  audit.push(performance.now() - started);
}
const base = median(baseline);
const kgov = median(audit);
console.log(`parse-only baseline (yaml parseAllDocuments): ${fmt(base, 0)} ms/pass  ${fmt(megabytes / (base / 1000))} MB/s  ${fmt(documents / (base / 1000), 0)} documents/s`);
console.log(`kgov audit, schema validation (in process):  ${fmt(kgov, 0)} ms/pass  ${fmt(megabytes / (kgov / 1000))} MB/s  ${fmt(documents / (kgov / 1000), 0)} documents/s`);
console.log(`overhead over the parse baseline: ${fmt(((kgov - base) / base) * 100)} %  (target: <= 25 %)`);
console.log(`time per file: p50 ${fmt(percentile(perFile, 0.5), 2)} ms, p95 ${fmt(percentile(perFile, 0.95), 2)} ms, max ${fmt(Math.max(...perFile), 1)} ms`);
console.log(`(${PASSES} passes, medians; ${documents} documents)`);

section('CLI');
function timeCli(args: string[]): { ms: number; rssKb: number } {
  const result = spawnSync('/usr/bin/env', ['time', '-f', '%e %M', process.execPath, cli, ...args], { encoding: 'utf8' });
  const [seconds, rss] = (result.stderr.trim().split('\n').at(-1) ?? '0 0').split(' ').map(Number) as [number, number];
  return { ms: seconds * 1000, rssKb: rss };
}
const smallFile = join(root, 'examples/shop/web/deployment.yaml');
const cold = Array.from({ length: 7 }, () => timeCli(['audit', smallFile, '--format', 'json', '--fail-on', 'none']).ms);
console.log(`cold start to first result (kgov audit of one file, process start to exit): median ${fmt(median(cold), 0)} ms (target: <= 300 ms)`);

const whole = timeCli(['audit', CORPUS_DIR, '--format', 'json', '--fail-on', 'none', '--jobs', '1']);
console.log(`kgov audit of the corpus, one thread: ${fmt(whole.ms, 0)} ms wall, peak RSS ${fmt(whole.rssKb / 1024, 0)} MB`);

// Scaling needs enough work to amortise worker start-up: four copies of the corpus.
const big = mkdtempSync(join(tmpdir(), 'kgov-bench-'));
try {
  // Each copy differs in every document (a comment), so no cache can recognise a document seen in another copy.
  for (let i = 0; i < 4; i++) {
    for (const f of files) {
      const target = join(big, `copy${i}`, f.relative);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `# copy ${i}\n${f.text.replace(/^---/gm, `---\n# copy ${i}`)}`);
    }
  }
  const one = median([1, 2, 3].map(() => timeCli(['audit', big, '--format', 'json', '--fail-on', 'none', '--jobs', '1']).ms));
  const two = median([1, 2, 3].map(() => timeCli(['audit', big, '--format', 'json', '--fail-on', 'none', '--jobs', '2']).ms));
  console.log(`--jobs scaling on 4x the corpus (${fmt(megabytes * 4, 1)} MB): 1 job ${fmt(one, 0)} ms, 2 jobs ${fmt(two, 0)} ms, speed-up ${fmt(one / two, 2)}x (target: >= 1.8x on 2 cores)`);
} finally {
  rmSync(big, { recursive: true, force: true });
}
