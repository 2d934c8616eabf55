/**
 * npm run bench: speed and memory figures (never asserted in tests), on ../shared/bench-corpus:
 * - engine: the parse-only baseline (yaml's parseAllDocuments) against kgov's audit in one process
 *   (schema validation alone, then with every rule on), documents/s, MB/s, p50/p95 per file;
 * - CLI: cold start to first result, peak RSS, `--jobs` scaling;
 * - language server: first diagnostics of a 10,000-line file, didChange -> publishDiagnostics latency,
 *   RSS after indexing the corpus, and a large generated workspace;
 * - CRD catalog: its size on disk and in the .vsix, first diagnostics for a resource of each of the largest catalog
 *   CRDs from a fresh language server, and the server's RSS after one resource of every catalog kind.
 * - render: a generated 50-template Helm chart rendered with the real helm and validated, as after a save in the
 *   editor, and keystroke latency in one of its templates (typing never renders).
 * KGOV_BENCH=engine,cli,lsp,large,catalog,render picks sections.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Hover } from 'vscode-languageserver-types';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { createEngine, type EngineOptions } from '../server/src/engine/engine';
import { RULES } from '../server/src/engine/rules';
import { SchemaCatalog } from '../server/src/engine/schema/catalog';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';
import { catalogKinds } from '../test/crd-catalog/catalog-kinds';
import { synthesizeResource } from '../test/crd-catalog/synthesize';
import { startClient, uri } from '../test/lsp/client';
import { auditChart, DEFAULT_VALUE_SET } from '../server/src/host/render';
import { realTools, realToolsUnavailable } from '../test/helpers/real-tools';
import { CORPUS_DIR, corpusFiles, random, type CorpusFile } from '../test/unit/helpers/corpus';

const root = resolve(__dirname, '..');
const cli = join(root, 'server/out/cli.js');
const PASSES = Number(process.env.KGOV_BENCH_PASSES ?? 8);
const sections = new Set((process.env.KGOV_BENCH ?? 'engine,cli,lsp,large,catalog,render').split(','));

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
const median = (xs: number[]) => percentile(xs, 0.5);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function section(title: string): void {
  console.log(`\n## ${title}`);
}

function rssMb(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function engineSection(files: CorpusFile[], megabytes: number): void {
  section('Engine (in process)');
  const catalog = new SchemaCatalog(schemasDir());
  const configurations: Array<[string, Partial<EngineOptions>]> = [
    ['schema validation only', { ruleOverrides: Object.keys(RULES).map((id) => ({ id, severity: 'off' as const })) }],
    ['schema + every rule', { preset: 'all' }],
  ];
  const timings = new Map<string, number[]>([['baseline', []], ...configurations.map(([name]) => [name, []] as [string, number[]])]);
  const perFile: number[] = [];
  let documents = 0;
  const run = (options: Partial<EngineOptions>, record?: number[]) => {
    // A fresh engine per pass: no cached chunks, as in a new `kgov audit` run (compiled validators are shared).
    const engine = createEngine({ schemasDir: schemasDir(), ...options }, catalog);
    const started = performance.now();
    const workspace = new Workspace();
    for (const f of files) workspace.setFile(f.path, engine.index(f.path, f.text));
    let docs = 0;
    for (const f of files) {
      const t = performance.now();
      docs += engine.lintFile(f.path, f.text, workspace).documents;
      record?.push(performance.now() - t);
    }
    documents = docs;
    return performance.now() - started;
  };
  for (const [, options] of configurations) run(options); // warm-up: compile validators, JIT
  for (const f of files) parseAllDocuments(f.text);
  for (let pass = 0; pass < PASSES; pass++) {
    const started = performance.now();
    for (const f of files) parseAllDocuments(f.text);
    timings.get('baseline')?.push(performance.now() - started);
    for (const [name, options] of configurations) timings.get(name)?.push(run(options, pass === PASSES - 1 && name === 'schema + every rule' ? perFile : undefined));
  }
  const base = median(timings.get('baseline') ?? []);
  console.log(`parse-only baseline (yaml parseAllDocuments): ${fmt(base, 0)} ms/pass, ${fmt(megabytes / (base / 1000))} MB/s, ${fmt(documents / (base / 1000), 0)} documents/s`);
  for (const [name] of configurations) {
    const t = median(timings.get(name) ?? []);
    console.log(`kgov, ${name}: ${fmt(t, 0)} ms/pass, ${fmt(megabytes / (t / 1000))} MB/s, ${fmt(documents / (t / 1000), 0)} documents/s, ${fmt(((t - base) / base) * 100)} % over the baseline`);
  }
  console.log('  (targets: schema validation <= 25 % over the baseline; schema + all rules <= 40 %)');
  console.log(`time per file (index excluded), all rules: p50 ${fmt(percentile(perFile, 0.5), 2)} ms, p95 ${fmt(percentile(perFile, 0.95), 2)} ms, max ${fmt(Math.max(...perFile), 1)} ms; ${PASSES} passes, medians, ${documents} documents`);
  slowestRules(() => run({ preset: 'all' }));
}

/** Like ESLint's TIMING=1: time inside each rule's check over one pass, the ten slowest. */
function slowestRules(pass: () => void): void {
  const spent = new Map<string, number>();
  const originals = Object.values(RULES).map((rule) => [rule, rule.check] as const);
  for (const [rule, check] of originals) {
    (rule as { check: typeof check }).check = (ctx) => {
      const started = performance.now();
      try {
        check(ctx);
      } finally {
        spent.set(rule.meta.id, (spent.get(rule.meta.id) ?? 0) + performance.now() - started);
      }
    };
  }
  const started = performance.now();
  try {
    pass();
  } finally {
    for (const [rule, check] of originals) (rule as { check: typeof check }).check = check;
  }
  const total = performance.now() - started;
  const inRules = [...spent.values()].reduce((a, b) => a + b, 0);
  const top = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([id, ms]) => `${id} ${fmt(ms, 1)}`).join(', ');
  console.log(`one pass with every rule: ${fmt(total, 0)} ms, of which ${fmt(inRules, 0)} ms inside rule checks; slowest (ms): ${top}`);
}

function timeCli(args: string[]): { ms: number; rssKb: number } {
  // The report itself is discarded: a whole-corpus JSON report overflows spawnSync's output buffer.
  const result = spawnSync('/usr/bin/env', ['time', '-f', '%e %M', process.execPath, cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`kgov ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`);
  const [seconds, rss] = (result.stderr.trim().split('\n').at(-1) ?? '0 0').split(' ').map(Number) as [number, number];
  return { ms: seconds * 1000, rssKb: rss };
}

function cliSection(files: CorpusFile[], megabytes: number): void {
  section('CLI');
  const smallFile = join(root, 'examples/shop/web/deployment.yaml');
  const cold = Array.from({ length: 7 }, () => timeCli(['audit', smallFile, '--format', 'json', '--fail-on', 'none']).ms);
  console.log(`cold start to first result (kgov audit of one file, process start to exit): median ${fmt(median(cold), 0)} ms (target: <= 300 ms)`);
  const whole = timeCli(['audit', CORPUS_DIR, '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--preset', 'all']);
  console.log(`kgov audit --preset all of the corpus, one thread: ${fmt(whole.ms, 0)} ms wall, peak RSS ${fmt(whole.rssKb / 1024, 0)} MB`);
  // The whole audit (process start to exit) against one bare parse of the same files with the yaml package.
  for (const [label, dir] of [['the bench corpus', CORPUS_DIR], ['the real-world set (test/corpus)', join(root, 'test/corpus')]] as const) {
    if (!existsSync(dir)) continue;
    const texts = yamlFilesUnder(dir).map((path) => readFileSync(path, 'utf8'));
    const parse = median([1, 2, 3].map(() => {
      const started = performance.now();
      for (const text of texts) parseAllDocuments(text);
      return performance.now() - started;
    }));
    const audit = timeCli(['audit', dir, '--format', 'json', '--fail-on', 'none', '--jobs', '1']);
    const mb = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) / 1048576;
    console.log(`kgov audit of ${label} (${texts.length} files, ${fmt(mb, 1)} MB), one thread: ${fmt(audit.ms, 0)} ms wall, peak RSS ${fmt(audit.rssKb / 1024, 0)} MB; one bare yaml parse ${fmt(parse, 0)} ms; ratio ${fmt(audit.ms / parse, 1)}x (targets: <= 2x, <= 400 MB)`);
  }
  // Scaling needs enough work to amortise worker start-up: four copies of the corpus, each differing in every
  // document (a comment), so no cache can recognise a document seen in another copy.
  const big = mkdtempSync(join(tmpdir(), 'kgov-bench-'));
  try {
    for (let i = 0; i < 4; i++) {
      for (const f of files) {
        const target = join(big, `copy${i}`, f.relative);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, `# copy ${i}\n${f.text.replace(/^---/gm, `---\n# copy ${i}`)}`);
      }
    }
    const args = ['audit', big, '--format', 'json', '--fail-on', 'none', '--preset', 'all'];
    const one = median([1, 2, 3].map(() => timeCli([...args, '--jobs', '1']).ms));
    const two = median([1, 2, 3].map(() => timeCli([...args, '--jobs', '2']).ms));
    console.log(`--jobs scaling on 4 copies of the corpus (${fmt(megabytes * 4, 1)} MB): 1 job ${fmt(one, 0)} ms, 2 jobs ${fmt(two, 0)} ms, speed-up ${fmt(one / two, 2)}x (target: >= 1.8x on 2 cores)`);
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
}

async function lspSection(files: CorpusFile[]): Promise<void> {
  section('Language server');
  // A 10,000-line multi-document file made of real manifests.
  const docs = files.flatMap((f) => f.text.split(/^---$/m)).filter((d) => /^kind:\s*(Deployment|Service|ConfigMap|StatefulSet)\s*$/m.test(d) && d.length < 8000);
  const parts: string[] = [];
  for (let i = 0, lines = 0; lines < 10_000; i++) {
    const doc = (docs[i % docs.length] as string).trim();
    parts.push(doc);
    lines += doc.split('\n').length + 1;
  }
  const big = `${parts.join('\n---\n')}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'kgov-bench-lsp-'));
  const path = join(dir, 'big.yaml');
  writeFileSync(path, big);
  for (const preset of ['recommended', 'all']) await editingBenchmark(path, big, preset);
  rmSync(dir, { recursive: true, force: true });
  const corpus = await startClient({ folder: CORPUS_DIR });
  try {
    const started = performance.now();
    await corpus.waitForStatus('ready', 300_000);
    console.log(`indexing the bench corpus (${files.length} files): ${fmt(performance.now() - started, 0)} ms; server RSS after indexing: ${fmt(rssMb(corpus.process.pid), 0)} MB (target: <= 200 MB)`);
  } finally {
    await corpus.stop();
  }
}

/**
 * First diagnostics of a big file, then one-character edits at random places at a typing pace. Latency is taken
 * on both sides: the server's own figure from the change to its diagnostics (its `$/logTrace` when tracing is
 * on), and the client's round trip, which adds the transport and decoding of every diagnostic of the file.
 */
async function editingBenchmark(path: string, big: string, preset: string): Promise<void> {
  const client = await startClient({ folder: dirname(path), settings: { preset } });
  const serverSide = new Map<number, number>();
  client.connection.onNotification('$/logTrace', (p: { message: string }) => {
    const match = / v(\d+) ([\d.]+) ms after the change/.exec(p.message);
    if (match) serverSide.set(Number(match[1]), Number(match[2]));
  });
  await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
  try {
    await client.waitForStatus('ready');
    const target = uri(path);
    let started = performance.now();
    client.open(target, big, 1);
    const first = await client.waitForDiagnostics(target, (_d, v) => v === 1, 60_000);
    console.log(`preset ${preset}: first diagnostics after didOpen of a ${big.split('\n').length}-line file (${fmt(big.length / 1024, 0)} KiB, ${first.length} diagnostics): ${fmt(performance.now() - started, 0)} ms (target: <= 500 ms)`);
    const lines = big.split('\n');
    const next = random(42);
    const roundTrips: number[] = [];
    const last = Number(process.env.KGOV_BENCH_EDITS ?? 81);
    for (let version = 2; version <= last; version++) {
      const line = Math.floor(next() * lines.length);
      const character = Math.floor(next() * ((lines[line] as string).length + 1));
      await pause(150); // typing pace: each edit arrives after the debounce window, as keystrokes at random places would
      started = performance.now();
      client.change(target, version, [{ range: { start: { line, character }, end: { line, character } }, text: 'x' }]);
      await client.waitForDiagnostics(target, (_d, v) => v === version, 30_000);
      roundTrips.push(performance.now() - started);
      lines[line] = `${(lines[line] as string).slice(0, character)}x${(lines[line] as string).slice(character)}`;
    }
    const server = [...serverSide].filter(([v]) => v >= 2).map(([, ms]) => ms);
    console.log(`preset ${preset}: ${roundTrips.length} one-character edits at random places, didChange -> publishDiagnostics in the server: p50 ${fmt(percentile(server, 0.5))} ms, p95 ${fmt(percentile(server, 0.95))} ms (target: p95 <= 25 ms); client round trip: p50 ${fmt(percentile(roundTrips, 0.5))} ms, p95 ${fmt(percentile(roundTrips, 0.95))} ms`);
  } finally {
    await client.stop();
  }
}

/** 20,000 manifests in 5,000 files: indexing with progress, hover latency while indexing, RSS. */
function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

async function largeSection(files: CorpusFile[]): Promise<void> {
  section('Large workspace');
  const docs = files.flatMap((f) => f.text.split(/^---$/m)).filter((d) => /^kind:\s*(Deployment|Service|ConfigMap)\s*$/m.test(d) && d.length < 4000).map((d) => d.trim());
  const dir = mkdtempSync(join(tmpdir(), 'kgov-bench-large-'));
  try {
    let n = 0;
    for (let file = 0; file < 5000; file++) {
      const target = join(dir, `team${file % 50}`, `app${file}.yaml`);
      mkdirSync(dirname(target), { recursive: true });
      const four = [0, 1, 2, 3].map(() => (docs[n++ % docs.length] as string).replace(/^(\s*name:\s*)(\S+)/m, `$1$2-${file}`));
      writeFileSync(target, `${four.join('\n---\n')}\n`);
    }
    const probe = join(dir, 'team0', 'app0.yaml');
    const client = await startClient({ folder: dir });
    try {
      const started = performance.now();
      let indexing = true;
      void client.waitForStatus('ready', 600_000).then(() => {
        indexing = false;
      });
      // The user opens a file while the index builds, and hovers once its diagnostics show.
      client.open(uri(probe), readFileSync(probe, 'utf8'));
      await client.waitForDiagnostics(uri(probe), () => true, 60_000);
      const firstDiagnostics = performance.now() - started;
      const hovers: number[] = [];
      let peak = 0;
      while (indexing) {
        const t = performance.now();
        await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri(probe) }, position: { line: 1, character: 2 } });
        hovers.push(performance.now() - t);
        peak = Math.max(peak, rssMb(client.process.pid));
        await pause(200);
      }
      const status = await client.waitForStatus('ready');
      const reports = client.progress.filter((p) => p.kind === 'report');
      const ended = client.progress.some((p) => p.kind === 'end');
      console.log(`indexed ${status.files} files (${status.resources} resources) in ${fmt((performance.now() - started) / 1000, 1)} s; $/progress: ${client.progress.some((p) => p.kind === 'begin') ? 'begin' : 'NO begin'}, ${reports.length} reports (last: ${reports.at(-1)?.message ?? 'none'}), ${ended ? 'end' : 'NO end'}`);
      console.log(`first diagnostics of the file opened at start: ${fmt(firstDiagnostics, 0)} ms; then hover while indexing: ${hovers.length} requests, p50 ${fmt(percentile(hovers, 0.5))} ms, p95 ${fmt(percentile(hovers, 0.95))} ms, max ${fmt(Math.max(...hovers))} ms (first ${fmt(hovers[0] ?? 0)} ms) (target: <= 100 ms)`);
      console.log(`server RSS: peak while indexing ${fmt(peak, 0)} MB, after ${fmt(rssMb(client.process.pid), 0)} MB (target: <= 400 MB)`);
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function catalogSection(): Promise<void> {
  section('CRD catalog');
  const dir = join(schemasDir(), 'crds');
  const onDisk = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const packaged = spawnSync('npx', ['vsce', 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  const listed = packaged.status === 0 ? packaged.stdout.split('\n').filter(Boolean) : [];
  const vsixDir = mkdtempSync(join(tmpdir(), 'kgov-bench-vsix-'));
  const vsix = join(vsixDir, 'kgov.vsix');
  const made = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-package-secrets', 'github', '--readme-path', 'docs/marketplace.md', '-o', vsix], { cwd: root, encoding: 'utf8' });
  const vsixSize = made.status === 0 ? statSync(vsix).size : NaN;
  rmSync(vsixDir, { recursive: true, force: true });
  console.log(`catalog: ${fmt(onDisk / 1048576, 2)} MB on disk (${readdirSync(dir).length} files); .vsix (development bundles): ${fmt(vsixSize / 1048576, 2)} MB in all, ${listed.filter((f) => f.startsWith('schemas/crds/')).length} catalog files packaged (target: .vsix < 8 MB)`);

  const kinds = [...catalogKinds().values()];
  const largest = [...kinds].sort((a, b) => JSON.stringify(b.schema ?? {}).length - JSON.stringify(a.schema ?? {}).length).slice(0, 4);
  const folder = mkdtempSync(join(tmpdir(), 'kgov-bench-catalog-'));
  try {
    for (const custom of largest) {
      const client = await startClient({ folder });
      try {
        await client.waitForStatus('ready');
        const path = join(folder, `${custom.kind}.yaml`);
        const text = stringifyYaml(synthesizeResource(custom.schema, custom.apiVersion, custom.kind, custom.namespaced));
        const started = performance.now();
        client.open(uri(path), text, 1);
        await client.waitForDiagnostics(uri(path), (_d, v) => v === 1, 60_000);
        console.log(`first diagnostics, fresh server, ${custom.apiVersion} ${custom.kind} (schema ${fmt(JSON.stringify(custom.schema ?? {}).length / 1024, 0)} KiB as JSON): ${fmt(performance.now() - started, 0)} ms (target: <= 150 ms)`);
      } finally {
        await client.stop();
      }
    }
    const client = await startClient({ folder });
    try {
      await client.waitForStatus('ready');
      const started = performance.now();
      let opened = 0;
      for (const custom of kinds) {
        let text: string;
        try {
          text = stringifyYaml(synthesizeResource(custom.schema, custom.apiVersion, custom.kind, custom.namespaced));
        } catch {
          continue;
        }
        const target = uri(join(folder, `${custom.apiVersion.replace(/\//g, '_')}_${custom.kind}.yaml`));
        client.open(target, text, 1);
        await client.waitForDiagnostics(target, (_d, v) => v === 1, 60_000);
        opened++;
      }
      console.log(`one resource of every served catalog version (${opened} of ${kinds.length}) opened in ${fmt((performance.now() - started) / 1000, 1)} s; server RSS after: ${fmt(rssMb(client.process.pid), 0)} MB (target: <= 300 MB)`);
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A chart of 50 templates (Deployments, Services, ConfigMaps), each filled from values.yaml as charts are. */
function writeChart(dir: string, templates: number): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 1.0.0\n');
  const values = ['image:', '  repository: registry.example.com/bench/app', '  tag: "1.0.0"', 'replicas: 2', 'resources:', '  limits:', '    memory: 256Mi', '  requests:', '    cpu: 100m', '    memory: 128Mi'];
  writeFileSync(join(dir, 'values.yaml'), `${values.join('\n')}\n`);
  for (let i = 0; i < templates; i++) {
    const kind = i % 3;
    const text = kind === 0 ? `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app-${i}
  labels:
    app.kubernetes.io/name: app-${i}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - containerPort: 8080
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
` : kind === 1 ? `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-app-${i - 1}
spec:
  selector:
    app.kubernetes.io/name: app-${i - 1}
  ports:
    - port: 80
      targetPort: 8080
` : `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings-${i}
data:
  LOG_LEVEL: {{ .Values.logLevel | default "info" | quote }}
`;
    writeFileSync(join(dir, 'templates', `t${String(i).padStart(2, '0')}.yaml`), text);
  }
}

async function renderSection(): Promise<void> {
  section('Helm chart: render + validate after a save');
  const missing = realToolsUnavailable();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const { helm } = realTools();
  const dir = mkdtempSync(join(tmpdir(), 'kgov-bench-chart-'));
  try {
    writeChart(dir, 50);
    const engine = createEngine({ schemasDir: schemasDir() }, new SchemaCatalog(schemasDir()));
    const times: number[] = [];
    let summary = '';
    for (let pass = 0; pass < 6; pass++) {
      const started = performance.now();
      const outcome = await auditChart(helm, dir, [DEFAULT_VALUE_SET], engine, new Workspace('default'));
      times.push(performance.now() - started);
      summary = `${outcome.files.length} templates, ${outcome.files.reduce((n, f) => n + f.documents, 0)} documents, ${outcome.files.reduce((n, f) => n + f.findings.length, 0)} findings`;
    }
    console.log(`50-template chart (${summary}): helm template + validate + map to templates: first ${fmt(times[0] as number, 0)} ms, p50 ${fmt(median(times.slice(1)), 0)} ms, max ${fmt(Math.max(...times.slice(1)), 0)} ms (target: <= 1500 ms)`);

    // Typing in a template: diagnostics come from the last render, so a keystroke costs what it costs elsewhere.
    const client = await startClient({ folder: dir, settings: { helm: { path: helm } } });
    try {
      await client.waitForStatus('ready');
      const path = join(dir, 'templates/t00.yaml');
      const target = uri(path);
      const text = readFileSync(path, 'utf8');
      client.open(target, text, 1);
      await client.waitForDiagnostics(target, (d) => d.length > 0, 60_000);
      const latencies: number[] = [];
      let current = text;
      for (let version = 2; version <= 41; version++) {
        await pause(150);
        const started = performance.now();
        current = current.replace('containerPort: 8080', `containerPort: 8080${version % 2 === 0 ? ' ' : ''}`);
        client.change(target, version, [{ text: current }]);
        await client.waitForDiagnostics(target, (_d, v) => v === version, 30_000);
        latencies.push(performance.now() - started);
      }
      const renders = client.log.filter((l) => l.includes('[kgov] rendered ')).length;
      console.log(`typing in templates/t00.yaml: ${latencies.length} edits, didChange -> publishDiagnostics round trip p50 ${fmt(percentile(latencies, 0.5))} ms, p95 ${fmt(percentile(latencies, 0.95))} ms; renders while typing: ${renders - 1}`);
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(CORPUS_DIR)) {
    console.error(`bench: ${CORPUS_DIR} not found`);
    process.exit(2);
  }
  const files = corpusFiles();
  const megabytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / 1e6;
  section(`Corpus: ${files.length} files, ${fmt(megabytes, 2)} MB (${CORPUS_DIR}); ${new Date().toISOString()}`);
  if (sections.has('engine')) engineSection(files, megabytes);
  if (sections.has('cli')) cliSection(files, megabytes);
  if (sections.has('lsp')) await lspSection(files);
  if (sections.has('large')) await largeSection(files);
  if (sections.has('catalog')) await catalogSection();
  if (sections.has('render')) await renderSection();
}

void main();
