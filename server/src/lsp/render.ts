/**
 * Helm charts and kustomize folders in the editor: after a save of any of their files (debounced), they are
 * rendered in the background (host/render.ts) and the findings of the rendered manifests are published on the
 * templates, values files, resources and patches that wrote them. Typing never renders: while a template is
 * edited it keeps the findings of the last render, and it never gets YAML diagnostics of its own (a template is
 * not YAML). Only in a trusted workspace, and as `kgov.helm.*` / `kgov.kustomize.*` allow; otherwise templates
 * keep the engine's one `yaml/template` info.
 */
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigPath, type Finding } from '../engine';
import {
  auditChart, auditKustomization, chartOf, findKustomizeRoots, isKustomization, kustomizeClosure, valueSetsFor, type KustomizeTool, type RenderOutcome,
} from '../host/render';
import { pathOf, toDiagnostic, uriOf } from './convert';
import type { Folder } from './folders';
import { failed, folderOf, log, type ServerState } from './state';

/** After a save, wait this long for more saves (Save All, format on save) before rendering. */
const RENDER_DEBOUNCE_MS = 300;

interface Renders {
  /** Chart folder or kustomize root -> findings per file path, from its last render. */
  results: Map<string, Map<string, Finding[]>>;
  /** Charts whose helm could not be started: their templates keep the unrendered behaviour. */
  unavailable: Set<string>;
  timers: Map<string, NodeJS.Timeout>;
  running: Set<string>;
  /** Saved again while rendering: render once more when the current run ends. */
  again: Set<string>;
  /** Folder of a file -> its chart ('' for none), so that typing in a template asks the disk nothing. */
  chartOfDir: Map<string, string>;
  /** Workspace folder path -> its kustomize roots, found on the first save of a kustomize file. */
  kustomizeRoots: Map<string, string[]>;
  publishOpen: (document: TextDocument) => void;
}

const renders = new WeakMap<ServerState, Renders>();

function rendersOf(state: ServerState): Renders {
  let r = renders.get(state);
  if (!r) {
    r = {
      results: new Map(), unavailable: new Set(), timers: new Map(), running: new Set(), again: new Set(), chartOfDir: new Map(),
      kustomizeRoots: new Map(), publishOpen: () => undefined,
    };
    renders.set(state, r);
  }
  return r;
}

const helmOn = (folder: Folder) => folder.settings.trusted && folder.settings.helm.enable;
const kustomizeOn = (folder: Folder) => folder.settings.trusted && folder.settings.kustomize.enable;

function chartFor(r: Renders, folder: Folder, path: string): string | undefined {
  const dir = dirname(path);
  let chart = r.chartOfDir.get(dir);
  if (chart === undefined) {
    chart = chartOf(path, folder.path) ?? '';
    // Outside the workspace folder, a chart found above it is not the user's project.
    if (chart !== '' && folder.path !== undefined && !chart.startsWith(folder.path)) chart = '';
    r.chartOfDir.set(dir, chart);
  }
  return chart === '' ? undefined : chart;
}

/**
 * The diagnostics of a chart file: the findings its last render put there (none yet while the first render
 * runs). Undefined when the file is not part of a chart, or rendering is off here: the file is linted as usual.
 */
export function renderedDiagnostics(state: ServerState, path: string): Diagnostic[] | undefined {
  if (isConfigPath(path)) return undefined;
  const folder = folderOf(state, path);
  if (!helmOn(folder)) return undefined;
  const r = rendersOf(state);
  const chart = chartFor(r, folder, path);
  if (!chart || r.unavailable.has(chart)) return undefined;
  const results = r.results.get(chart);
  if (!results) {
    scheduleRender(state, chart, 0);
    return [];
  }
  return (results.get(path) ?? []).filter((f) => !f.suppressed).map(toDiagnostic);
}

/**
 * Findings that kustomize builds put on a file that is also checked on its own (a base, a patch), for
 * `lintDocument` to add: one rule on one line is shown once.
 */
export function addKustomizeDiagnostics(state: ServerState, path: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const folder = folderOf(state, path);
  if (!kustomizeOn(folder)) return diagnostics;
  const r = rendersOf(state);
  const extra: Diagnostic[] = [];
  const seen = new Set(diagnostics.map((d) => `${String(d.code)}|${d.range.start.line}`));
  for (const [root, results] of r.results) {
    if (!root.startsWith('kustomize:')) continue;
    for (const f of results.get(path) ?? []) {
      if (f.suppressed) continue;
      const key = `${f.ruleId}|${f.range.start.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      extra.push(toDiagnostic(f));
    }
  }
  // A required field the built objects have (a selector from the overlay's `labels`) is not missing on the base.
  const built = [...r.results.entries()].some(([root, results]) => root.startsWith('kustomize:') && results.has(path));
  const kept = built ? diagnostics.filter((d) => d.code !== 'schema/required' || extra.some((x) => x.code === d.code && x.range.start.line === d.range.start.line)) : diagnostics;
  return extra.length === 0 && kept.length === diagnostics.length ? diagnostics : [...kept, ...extra];
}

function scheduleRender(state: ServerState, key: string, delay = RENDER_DEBOUNCE_MS): void {
  const r = rendersOf(state);
  if (r.running.has(key)) {
    // A save during a render renders again; a first-render request (delay 0) is answered by the running one.
    if (delay !== 0) r.again.add(key);
    return;
  }
  if (delay === 0 && r.timers.has(key)) return;
  clearTimeout(r.timers.get(key));
  r.timers.set(key, setTimeout(() => {
    r.timers.delete(key);
    void render(state, key);
  }, delay));
}

function kustomizeTool(folder: Folder): KustomizeTool {
  const path = folder.settings.kustomize.path || 'kubectl';
  return { path, kind: /kustomize(\.exe)?$/i.test(basename(path)) ? 'kustomize' : 'kubectl' };
}

async function render(state: ServerState, key: string): Promise<void> {
  const r = rendersOf(state);
  r.running.add(key);
  const started = performance.now();
  try {
    const isKustomize = key.startsWith('kustomize:');
    const dir = isKustomize ? key.slice('kustomize:'.length) : key;
    const anchor = isKustomize ? join(dir, 'kustomization.yaml') : join(dir, 'Chart.yaml');
    const folder = folderOf(state, anchor);
    if (isKustomize ? !kustomizeOn(folder) : !helmOn(folder)) return;
    const project = folder.engineFor(anchor);
    const outcome: RenderOutcome = isKustomize
      ? await auditKustomization(kustomizeTool(folder), dir, project.engine, folder.workspace)
      : await auditChart(folder.settings.helm.path || 'helm', dir, valueSetsFor(dir, project), project.engine, folder.workspace);
    if (outcome.note) log(state, outcome.note);
    const before = r.results.get(key);
    if (outcome.toolMissing) {
      r.unavailable.add(key);
      r.results.delete(key);
    } else {
      r.unavailable.delete(key);
      r.results.set(key, new Map(outcome.files.map((f) => [f.path, f.findings])));
    }
    const findings = outcome.files.reduce((n, f) => n + f.findings.length, 0);
    log(state, `rendered ${dir} in ${(performance.now() - started).toFixed(0)} ms: ${findings} findings in ${outcome.files.length} files`);
    announce(state, new Set([...(before?.keys() ?? []), ...outcome.files.map((f) => f.path)]));
  } catch (error) {
    failed(state, `rendering ${key}`, error);
  } finally {
    r.running.delete(key);
    if (r.again.delete(key)) scheduleRender(state, key);
  }
}

/** Re-publishes the files a render changed: open documents through the usual path, the others directly. */
function announce(state: ServerState, paths: Set<string>): void {
  const r = rendersOf(state);
  const open = new Map(state.documents.all().map((d) => [pathOf(d.uri), d]));
  if (state.pull) void state.connection.languages.diagnostics.refresh();
  for (const path of paths) {
    const document = open.get(path);
    if (document) {
      if (!state.pull) r.publishOpen(document);
      continue;
    }
    if (state.pull) continue;
    // Closed files: what the renders found there (the Problems view shows the whole chart).
    const diagnostics: Diagnostic[] = [];
    for (const results of r.results.values()) diagnostics.push(...(results.get(path) ?? []).filter((f) => !f.suppressed).map(toDiagnostic));
    void state.connection.sendDiagnostics({ uri: uriOf(path), diagnostics });
  }
}

/** The kustomize roots (overlays) that build on the folder of `path`. */
function kustomizeRootsOf(state: ServerState, folder: Folder, path: string): string[] {
  if (!folder.path) return [];
  let dir = dirname(path);
  while (!isKustomization(dir) && dir.startsWith(folder.path) && dirname(dir) !== dir) dir = dirname(dir);
  if (!isKustomization(dir)) return [];
  const r = rendersOf(state);
  let roots = r.kustomizeRoots.get(folder.path);
  if (!roots || basename(path).toLowerCase().startsWith('kustomization')) {
    roots = findKustomizeRoots([folder.path], (p) => folder.engineFor(p).ignored(p), []);
    r.kustomizeRoots.set(folder.path, roots);
  }
  return roots.filter((root) => kustomizeClosure(root).has(dir)).slice(0, 20);
}

/**
 * Renders after saves and on the first open of a chart file. `publishOpen` publishes an open document's
 * diagnostics (diagnostics.ts), passed in so that this module and that one do not import each other.
 */
export function registerRender(state: ServerState, publishOpen: (document: TextDocument) => void): void {
  const r = rendersOf(state);
  r.publishOpen = publishOpen;
  state.documents.onDidSave(({ document }) => {
    try {
      const path = pathOf(document.uri);
      const folder = folderOf(state, path);
      if (isConfigPath(path)) {
        // Value sets may have changed: render every chart rendered so far again.
        for (const key of r.results.keys()) if (!key.startsWith('kustomize:')) scheduleRender(state, key);
        return;
      }
      if (basename(path) === 'Chart.yaml') r.chartOfDir.clear();
      const chart = helmOn(folder) ? chartFor(r, folder, path) : undefined;
      if (chart) {
        scheduleRender(state, chart);
        return;
      }
      if (kustomizeOn(folder) && /\.(ya?ml|env|txt|properties)$|Kustomization$/i.test(path)) {
        for (const root of kustomizeRootsOf(state, folder, path)) scheduleRender(state, `kustomize:${root}`);
      }
    } catch (error) {
      failed(state, 'scheduling a render', error);
    }
  });
  state.documents.onDidOpen(({ document }) => {
    try {
      const path = pathOf(document.uri);
      const folder = folderOf(state, path);
      if (kustomizeOn(folder) && !isConfigPath(path) && !(helmOn(folder) && chartFor(r, folder, path))) {
        for (const root of kustomizeRootsOf(state, folder, path)) if (!r.results.has(`kustomize:${root}`)) scheduleRender(state, `kustomize:${root}`, 0);
      }
    } catch (error) {
      failed(state, 'scheduling a render', error);
    }
  });
}
