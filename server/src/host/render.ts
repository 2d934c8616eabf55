/**
 * Renders Helm charts (`helm template`) and kustomize overlays (`kubectl kustomize` / `kustomize build`) with the
 * user's own binaries, and checks the output with the engine, mapped back to the files that wrote it. The only
 * place kgov starts these processes. The tools run with a deadline, without a cluster (KUBECONFIG is an empty
 * file), without Helm plugins or a post-renderer (HELM_PLUGINS is an empty folder), without network (proxies
 * point nowhere, git may only read local repositories) and with nothing but the chart or overlay as input.
 * Callers decide whether the workspace is trusted and the settings allow it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  dependenciesLine, helmProblems, LineIndex, mapKustomizeFindings, mapRenderedFindings, stripOrigins, valuesKeyLine,
  type Engine, type Finding, type KustomizeFile, type Project, type Workspace,
} from '../engine';
import { decode } from './files';

/** How long a render may take before it is stopped (a chart looping in `range` must not hang an audit). */
export const RENDER_DEADLINE_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface ToolRun {
  stdout: string;
  stderr: string;
  /** Exit code; null when killed. */
  code: number | null;
  timedOut: boolean;
  /** The binary could not be started (not installed, not executable). */
  notFound: boolean;
}

let sandbox: string | undefined;

/** A private, empty home for the tools: no plugins, no repositories, no kube config, no credentials. */
function toolHome(): string {
  if (sandbox && existsSync(sandbox)) return sandbox;
  sandbox = mkdtempSync(join(tmpdir(), 'kgov-render-'));
  for (const dir of ['plugins', 'cache', 'config', 'data']) mkdirSync(join(sandbox, dir));
  writeFileSync(join(sandbox, 'kubeconfig'), '');
  return sandbox;
}

function toolEnv(): NodeJS.ProcessEnv {
  const home = toolHome();
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_PLUGINS: join(home, 'plugins'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_REGISTRY_CONFIG: join(home, 'config', 'registry.json'),
    HELM_REPOSITORY_CONFIG: join(home, 'config', 'repositories.yaml'),
    KUBECONFIG: join(home, 'kubeconfig'),
    // No network: anything that would fetch (remote bases, chart repositories) fails fast instead.
    HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '', no_proxy: '',
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** Runs `command args` in `cwd` with the sandboxed environment and the deadline. Never throws. */
export function runTool(command: string, args: string[], cwd: string, deadlineMs = RENDER_DEADLINE_MS): Promise<ToolRun> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: toolEnv(), timeout: deadlineMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : null) : 0;
        const notFound = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' || (error as NodeJS.ErrnoException | null)?.code === 'EACCES';
        const timedOut = error !== null && (error as { killed?: boolean }).killed === true && !notFound;
        done({ stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), code, timedOut, notFound });
      });
  });
}

/** One way to render a chart: `.kgov.yaml`'s `charts:` value sets, or the chart's own values.yaml. */
export interface ValueSet {
  /** Shown in messages when a chart has several value sets. */
  name: string;
  /** Values files, relative to the chart folder (or absolute), after the chart's values.yaml. */
  valuesFiles: string[];
  /** `--set` assignments (key=value). */
  set: string[];
  releaseName?: string;
  namespace?: string;
}

export const DEFAULT_VALUE_SET: ValueSet = { name: 'default', valuesFiles: [], set: [] };

/** The value sets `.kgov.yaml` configures for a chart (by its path relative to the configuration's folder). */
export function valueSetsFor(chartDir: string, project: Project): ValueSet[] {
  const charts = project.config.config.charts ?? {};
  const key = relative(project.root, chartDir).split(sep).join('/') || '.';
  const sets = charts[key] ?? charts[key + '/'] ?? [];
  return sets.map((s, i) => ({
    name: s.name ?? `set${i + 1}`, valuesFiles: [...(s.valuesFiles ?? [])], set: Object.entries(s.set ?? {}).map(([k, v]) => `${k}=${String(v)}`),
    ...(s.releaseName ? { releaseName: s.releaseName } : {}), ...(s.namespace ? { namespace: s.namespace } : {}),
  }));
}

/** Is `dir` a Helm chart (it has a Chart.yaml)? */
export function isChart(dir: string): boolean {
  return existsSync(join(dir, 'Chart.yaml'));
}

export function isKustomization(dir: string): boolean {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((name) => existsSync(join(dir, name)));
}

/** The chart folder a file belongs to (the nearest folder above it with a Chart.yaml, up to `stop`), if any. */
export function chartOf(path: string, stop?: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isChart(dir)) {
      // A subchart in charts/ renders as part of its parent.
      const parent = dirname(dir);
      if (basename(parent) === 'charts' && isChart(dirname(parent))) return chartOf(parent, stop) ?? dir;
      return dir;
    }
    if (dir === stop || dirname(dir) === dir) return undefined;
  }
}

/** Chart folders under `root` (the root itself included), outermost only: subcharts render with their parent. */
export function findCharts(root: string, isIgnored: (path: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 12 || isIgnored(dir)) return;
    if (isChart(dir)) {
      found.push(dir);
      return;
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !['node_modules', '.git', '.hg', '.svn'].includes(e.name)) visit(join(dir, e.name), depth + 1);
    }
  };
  try {
    if (statSync(root).isDirectory()) visit(root, 0);
  } catch {
    // Not there: nothing to render.
  }
  return found;
}

export interface HelmRender {
  run: ToolRun;
  args: string[];
}

/** `helm template` of `chartDir` with one value set, the target Kubernetes version and the chart's CRDs. */
export function helmTemplate(helm: string, chartDir: string, valueSet: ValueSet, kubernetesVersion: string, deadlineMs?: number): Promise<HelmRender> {
  const chartName = readChartName(chartDir) ?? basename(chartDir);
  const args = ['template', valueSet.releaseName ?? chartName, chartDir, '--kube-version', kubernetesVersion, '--include-crds'];
  if (valueSet.namespace) args.push('--namespace', valueSet.namespace);
  for (const file of valueSet.valuesFiles) args.push('--values', resolve(chartDir, file));
  for (const assignment of valueSet.set) args.push('--set', assignment);
  return runTool(helm, args, chartDir, deadlineMs).then((run) => ({ run, args }));
}

function readChartName(chartDir: string): string | undefined {
  try {
    return /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return decode(readFileSync(path)).text;
  } catch {
    return undefined;
  }
}

/** Findings of one chart file. */
export interface RenderedFile {
  path: string;
  findings: Finding[];
  /** Rendered documents this file produced. */
  documents: number;
}

export interface RenderOutcome {
  files: RenderedFile[];
  /** Why nothing could be checked (helm missing, timed out), for the caller to say once. */
  note?: string;
  /** The tool could not be started: nothing was rendered (callers keep the unrendered behaviour). */
  toolMissing?: boolean;
  /** The rendered text (for the workspace's cross-resource index), by value set. */
  rendered: Array<{ valueSet: string; uri: string; text: string }>;
}

function problemFinding(ruleId: string, message: string, text: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  const lines = new LineIndex(text);
  const start = lines.offsetAt({ line, character: 0 });
  const lineText = text.slice(start).split('\n')[0] ?? '';
  const indent = lineText.length - lineText.trimStart().length;
  const span = { start: start + indent, end: start + Math.max(indent + 1, lineText.trimEnd().length) };
  return {
    ruleId, messageId: ruleId.slice(ruleId.indexOf('/') + 1), message, severity, docIndex: 0, pointer: '',
    span, range: lines.rangeOf(span), fixable: false,
  };
}

/** helm names the line after the end of a template that ends inside a directive: the last line with text instead. */
function lastWrittenLine(text: string): number {
  const lines = text.split('\n');
  let n = lines.length - 1;
  while (n > 0 && (lines[n] as string).trim() === '') n--;
  return n;
}

/** The URI under which the rendered text of one value set is checked (never a file on disk). */
export function renderedUri(chartDir: string, valueSet: string): string {
  return join(chartDir, `.kgov-rendered-${valueSet}.yaml`);
}

/**
 * Renders `chartDir` once per value set and checks the output with `engine` in `workspace` (which gains the
 * rendered resources, for cross-resource checks). Findings land on the chart's templates and values files.
 * With several value sets, each message says which set it came from; a finding in every set is shown once.
 */
export async function auditChart(helm: string, chartDir: string, valueSets: readonly ValueSet[], engine: Engine, workspace: Workspace, deadlineMs?: number): Promise<RenderOutcome> {
  const sets = valueSets.length > 0 ? valueSets : [DEFAULT_VALUE_SET];
  const byFile = new Map<string, Map<string, { finding: Finding; sets: string[] }>>();
  const documents = new Map<string, number>();
  const rendered: RenderOutcome['rendered'] = [];
  const add = (path: string, finding: Finding, set: string) => {
    let findings = byFile.get(path);
    if (!findings) byFile.set(path, (findings = new Map()));
    const key = `${finding.ruleId}|${finding.range.start.line}:${finding.range.start.character}|${finding.message}`;
    const known = findings.get(key);
    if (known) known.sets.push(set);
    else findings.set(key, { finding, sets: [set] });
  };
  let note: string | undefined;
  for (const set of sets) {
    const { run } = await helmTemplate(helm, chartDir, set, engine.kubernetesVersion, deadlineMs);
    if (run.notFound) return { files: [], rendered, toolMissing: true, note: `helm was not found at "${helm}" (set kgov.helm.path, or --helm PATH)` };
    if (run.timedOut) {
      note = `helm template ${chartDir} did not finish within ${Math.round((deadlineMs ?? RENDER_DEADLINE_MS) / 1000)} s`;
      continue;
    }
    if (run.code !== 0) {
      for (const problem of helmProblems(run.stderr || run.stdout)) {
        const file = problem.kind === 'values' && set.valuesFiles.length > 0 ? resolve(chartDir, set.valuesFiles[set.valuesFiles.length - 1] as string) : join(chartDir, problem.file);
        const text = readText(file) ?? '';
        const line = problem.kind === 'dependencies' ? dependenciesLine(text)
          : problem.kind === 'values' ? valuesKeyLine(text, problem.valuesPath ?? []) : Math.min(problem.line, lastWrittenLine(text));
        const ruleId = problem.kind === 'dependencies' ? 'helm/missing-dependencies' : 'helm/render-error';
        add(file, problemFinding(ruleId, problem.message, text, line), set.name);
      }
      continue;
    }
    const uri = renderedUri(chartDir, set.name);
    const text = run.stdout;
    rendered.push({ valueSet: set.name, uri, text });
    workspace.setFile(uri, engine.index(uri, text));
    const result = engine.lintFile(uri, text, workspace);
    const templates = new Map<string, string>();
    for (const match of text.matchAll(/^# Source: (.+)$/gm)) {
      const template = (match[1] as string).trim().replace(/^[^/]*\//, '');
      if (!templates.has(template)) templates.set(template, readText(join(chartDir, template)) ?? '');
      documents.set(join(chartDir, template), (documents.get(join(chartDir, template)) ?? 0) + 1);
    }
    const values = [join(chartDir, 'values.yaml'), ...set.valuesFiles.map((f) => resolve(chartDir, f))]
      .map((path) => ({ uri: path, text: readText(path) })).filter((v): v is { uri: string; text: string } => v.text !== undefined);
    try {
      const mapped = mapRenderedFindings(text, uri, result.findings, { templates, values, uriOf: (path) => join(chartDir, path) });
      for (const m of mapped) add(m.uri, m.finding, set.name);
    } catch (error) {
      // Output kgov cannot map must not lose the audit: say so on Chart.yaml.
      const chartYaml = join(chartDir, 'Chart.yaml');
      add(chartYaml, problemFinding('kgov/internal-error', `kgov could not place the findings of the rendered chart: ${error instanceof Error ? error.message : String(error)}`, readText(chartYaml) ?? '', 0, 'info'), set.name);
    }
  }
  const files: RenderedFile[] = [];
  const paths = new Set([...documents.keys(), ...byFile.keys()]);
  for (const path of [...paths].sort()) {
    const findings = [...(byFile.get(path)?.values() ?? [])].map(({ finding, sets: where }) =>
      (sets.length > 1 && where.length < sets.length ? { ...finding, message: `[values: ${where.join(', ')}] ${finding.message}` } : finding));
    files.push({ path, findings, documents: documents.get(path) ?? 0 });
  }
  return { files, rendered, ...(note ? { note } : {}) };
}

/** Folders with a kustomization that no other kustomization in the set builds on (the overlays people apply). */
export function findKustomizeRoots(folders: string[], isIgnored: (path: string) => boolean, charts: string[]): string[] {
  const all = new Set<string>();
  const visit = (dir: string, depth: number) => {
    if (depth > 12 || isIgnored(dir) || charts.includes(dir)) return;
    if (isKustomization(dir)) all.add(dir);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (['node_modules', '.git'].includes(name)) continue;
      const path = join(dir, name);
      try {
        if (statSync(path).isDirectory()) visit(path, depth + 1);
      } catch {
        // Unreadable: skipped like the manifest walk does.
      }
    }
  };
  for (const f of folders) visit(f, 0);
  const referenced = new Set<string>();
  for (const dir of all) for (const used of kustomizationDirs(dir)) referenced.add(used);
  return [...all].filter((d) => !referenced.has(d)).sort();
}

/** The folders a kustomization builds on directly (its `resources`, `bases` and `components` that are folders). */
export function kustomizationDirs(dir: string): string[] {
  const name = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((n) => existsSync(join(dir, n)));
  const text = name ? readText(join(dir, name)) ?? '' : '';
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*-\s*(?:path:\s*)?["']?([^"'\s#]+)["']?\s*$/gm)) {
    if (/^[a-z]+:\/\//.test(m[1] as string)) continue;
    const target = resolve(dir, m[1] as string);
    if (target !== dir && isKustomization(target)) out.push(target);
  }
  return out;
}

/** Every kustomization folder `root` builds on, itself included. */
export function kustomizeClosure(root: string): Set<string> {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir) || seen.size > 200) return;
    seen.add(dir);
    for (const next of kustomizationDirs(dir)) visit(next);
  };
  visit(root);
  return seen;
}

/** How to run kustomize: `kubectl kustomize DIR` or `kustomize build DIR`. */
export interface KustomizeTool {
  path: string;
  kind: 'kubectl' | 'kustomize';
}

/**
 * Renders `dir` through a temporary wrapper kustomization that asks for origin annotations, so the user's
 * kustomization.yaml is never edited. Relative paths in the annotations start at the wrapper's folder.
 */
export async function kustomizeBuild(tool: KustomizeTool, dir: string, deadlineMs?: number): Promise<{ run: ToolRun; wrapper: string }> {
  const wrapper = mkdtempSync(join(tmpdir(), 'kgov-kustomize-'));
  try {
    const target = relative(wrapper, dir).split(sep).join('/');
    writeFileSync(join(wrapper, 'kustomization.yaml'), `# Written by kgov to read origin annotations; removed after the build.\nresources:\n- ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
    const args = tool.kind === 'kubectl' ? ['kustomize', wrapper] : ['build', wrapper];
    const run = await runTool(tool.path, args, wrapper, deadlineMs);
    return { run, wrapper };
  } finally {
    rmSync(wrapper, { recursive: true, force: true });
  }
}

/** Patch files named by a kustomization and the kustomizations below it (bases), read from disk. */
function patchFiles(dir: string, seen = new Set<string>()): KustomizeFile[] {
  if (seen.has(dir) || seen.size > 50) return [];
  seen.add(dir);
  const name = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((n) => existsSync(join(dir, n)));
  if (!name) return [];
  const text = readText(join(dir, name)) ?? '';
  const out: KustomizeFile[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const top = /^([A-Za-z]+):/.exec(line);
    if (top) section = top[1] as string;
    const item = /^\s*-\s*(?:path:\s*)?["']?([^"'\s#]+)["']?\s*$/.exec(line) ?? /^\s+path:\s*["']?([^"'\s#]+)/.exec(line);
    if (!item || line.startsWith(section)) continue;
    const target = resolve(dir, item[1] as string);
    if (section === 'patches' || section === 'patchesStrategicMerge') {
      const patch = readText(target);
      if (patch !== undefined) out.push({ uri: target, text: patch });
    } else if ((section === 'resources' || section === 'bases' || section === 'components') && !/^[a-z]+:\/\//.test(item[1] as string)) {
      try {
        if (statSync(target).isDirectory()) out.push(...patchFiles(target, seen));
      } catch {
        // A missing base is kustomize's error to report.
      }
    }
  }
  return out;
}

/**
 * Renders a kustomize folder and checks the result with `engine` (its resources join `workspace`), findings on
 * the files (or patches) that wrote them. A failed build is one finding on the kustomization file.
 */
export async function auditKustomization(tool: KustomizeTool, dir: string, engine: Engine, workspace: Workspace, deadlineMs?: number): Promise<RenderOutcome> {
  const { run, wrapper } = await kustomizeBuild(tool, dir, deadlineMs);
  const kustomization = join(dir, ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].find((n) => existsSync(join(dir, n))) ?? 'kustomization.yaml');
  if (run.notFound) return { files: [], rendered: [], toolMissing: true, note: `${tool.kind} was not found at "${tool.path}" (set kgov.kustomize.path, or --kubectl/--kustomize PATH)` };
  if (run.timedOut) return { files: [], rendered: [], note: `kustomize build ${dir} did not finish within ${Math.round((deadlineMs ?? RENDER_DEADLINE_MS) / 1000)} s` };
  if (run.code !== 0) {
    const text = readText(kustomization) ?? '';
    // kustomize nests its causes (`err='...': ...`); the innermost one says what to fix.
    const full = (run.stderr || run.stdout).replace(/^Error:\s*/m, '').split('\n')[0]?.trim() ?? '';
    const message = full.slice(full.lastIndexOf("': ") >= 0 ? full.lastIndexOf("': ") + 3 : 0);
    return { files: [{ path: kustomization, documents: 0, findings: [problemFinding('kustomize/build-error', `kustomize build failed: ${message}`, text, 0)] }], rendered: [] };
  }
  const { text, sections } = stripOrigins(run.stdout);
  const uri = join(dir, '.kgov-rendered-kustomize.yaml');
  workspace.setFile(uri, engine.index(uri, text));
  const result = engine.lintFile(uri, text, workspace);
  const fileOf = (originPath: string): KustomizeFile | undefined => {
    const path = isAbsolute(originPath) ? originPath : resolve(wrapper, originPath);
    const content = readText(path);
    return content === undefined ? undefined : { uri: path, text: content };
  };
  let mapped: ReturnType<typeof mapKustomizeFindings>;
  try {
    mapped = mapKustomizeFindings(sections, result.findings, { fileOf, patches: patchFiles(dir) });
  } catch (error) {
    const text = readText(kustomization) ?? '';
    return { files: [{ path: kustomization, documents: 0, findings: [problemFinding('kgov/internal-error', `kgov could not place the findings of the built overlay: ${error instanceof Error ? error.message : String(error)}`, text, 0, 'info')] }], rendered: [] };
  }
  const byFile = new Map<string, RenderedFile>();
  for (const s of sections) {
    const origin = s.origin?.path ?? s.origin?.configuredIn;
    if (!origin) continue;
    const path = isAbsolute(origin) ? origin : resolve(wrapper, origin);
    const file = byFile.get(path) ?? { path, findings: [], documents: 0 };
    file.documents++;
    byFile.set(path, file);
  }
  for (const m of mapped) {
    const file = byFile.get(m.uri) ?? { path: m.uri, findings: [], documents: 0 };
    file.findings.push(m.finding);
    byFile.set(m.uri, file);
  }
  return { files: [...byFile.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), rendered: [{ valueSet: 'kustomize', uri, text }] };
}
