/**
 * Diagnostics: when an open document is linted (at once after a quiet spell, else once edits pause; in full once
 * typing settles), how the results reach the client (published, or pulled with textDocument/diagnostic), and
 * re-linting the other open documents when the index changes. The document events that drive it live here too.
 */
import { DocumentDiagnosticReportKind, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Engine, isConfigPath, type LintResult, loadConfigText } from '../engine';
import { schemasDir } from '../host/paths';
import { baselineStatesOf } from './baseline';
import { diagnosticOf, pathOf, toDiagnostic } from './convert';
import { addKustomizeDiagnostics, renderedDiagnostics } from './render';
import { failed, folderOf, log, type ServerState } from './state';

/** Quiet period after an edit before re-linting; an edit after a quiet spell is linted at once. */
const DEBOUNCE_MS = 100;
/** After typing pauses this long, diagnostics are recomputed in full (cross-resource findings included). */
const SETTLE_MS = 400;

/** Only Kubernetes documents get diagnostics: other YAML (CI files, Helm values) is left alone. */
export function isKubernetes(engine: Engine, result: LintResult, text: string): boolean {
  return engine.isKubernetes(result.file) || /^\s*(apiVersion|kind)\s*:/m.test(text);
}

/**
 * How much of a document's findings a lint computes: `full`; `typing` (cross-resource findings of unchanged
 * documents come from the last run; a full run follows once typing pauses); `own` (the document's own findings,
 * none that depend on other files: what opening a document publishes first, the rest following at once).
 */
export type LintScope = 'full' | 'typing' | 'own';

/** Findings for one open document (diagnostics for Kubernetes files and for .kgov.yaml; nothing for other YAML). */
export function lintDocument(state: ServerState, document: TextDocument, scope: LintScope = 'full'): Diagnostic[] {
  const path = pathOf(document.uri);
  const folder = folderOf(state, path);
  if (!folder.settings.validate.enable) return [];
  const text = document.getText();
  if (isConfigPath(path)) {
    return loadConfigText(text, path, state.catalog, schemasDir(), folder.settings.trusted).findings.map(toDiagnostic);
  }
  // A chart file shows what its rendered output has (lsp/render.ts), never YAML noise of the template itself.
  const rendered = renderedDiagnostics(state, path);
  if (rendered) return rendered;
  const project = folder.engineFor(path);
  const { engine } = project;
  try {
    const result = engine.lintFile(path, text, folder.workspace, undefined, { reuseCrossResults: scope === 'typing', crossResources: scope !== 'own' && folder.indexComplete });
    if (!isKubernetes(engine, result, text)) return [];
    const dryRun = state.dryRuns.get(document.uri);
    const findings = dryRun?.text === text ? [...result.findings, ...dryRun.findings] : result.findings;
    const states = baselineStatesOf(project, path, result.file, findings, (message) => log(state, message));
    return addKustomizeDiagnostics(state, path, findings.flatMap((f, i) => (f.suppressed ? [] : [diagnosticOf(f, states?.[i] === 'unchanged')])));
  } catch (error) {
    failed(state, `linting ${path}`, error);
    return engine.internalError(text, error).map(toDiagnostic);
  }
}

/** Sends diagnostics; `onlyIfChanged` for re-checks caused by other files (the document itself did not change). */
export function publish(state: ServerState, document: TextDocument, onlyIfChanged = false, scope: LintScope = 'full'): void {
  if (state.pull) return;
  const diagnostics = lintDocument(state, document, scope);
  const previous = state.published.get(document.uri);
  if (onlyIfChanged && previous && JSON.stringify(previous) === JSON.stringify(diagnostics)) return;
  state.published.set(document.uri, diagnostics);
  void state.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

/** Lints now if the document was quiet for a while, otherwise once edits pause (at most DEBOUNCE_MS later). */
function schedule(state: ServerState, document: TextDocument): void {
  const { connection, documents, timers, settleTimers, lastLint } = state;
  const uri = document.uri;
  const changedAt = performance.now();
  clearTimeout(timers.get(uri));
  const run = () => {
    timers.delete(uri);
    lastLint.set(uri, Date.now());
    const current = documents.get(uri);
    if (current) {
      // A document just opened gets its own findings at once and those that depend on other files right after,
      // in a second publish: what the first publish holds does not depend on how far indexing has got.
      const opening = !state.published.has(uri);
      updateIndex(state, current);
      publish(state, current, false, opening ? 'own' : 'typing');
      // With `kgov.trace.server` on: the latency a user feels, from the change to its diagnostics (incl. debounce).
      if (!state.pull) connection.tracer.log(`diagnostics: ${uri} v${current.version} ${(performance.now() - changedAt).toFixed(1)} ms after the change, ${state.published.get(uri)?.length ?? 0} diagnostics`);
      // The complete picture (cross-resource findings of every document) once typing pauses.
      clearTimeout(settleTimers.get(uri));
      // Opened while its folder is indexed: those come with the re-check of open documents once indexing ends.
      if (opening && !folderOf(state, pathOf(uri)).indexComplete) return;
      settleTimers.set(uri, setTimeout(() => {
        settleTimers.delete(uri);
        const settled = documents.get(uri);
        if (settled) publish(state, settled, true);
      }, opening ? 0 : SETTLE_MS));
    }
  };
  if (Date.now() - (lastLint.get(uri) ?? 0) > DEBOUNCE_MS) run();
  else timers.set(uri, setTimeout(run, DEBOUNCE_MS));
}

/** An open document's resources replace its file's in the index; other open documents may need new diagnostics. */
export function updateIndex(state: ServerState, document: TextDocument): void {
  const path = pathOf(document.uri);
  if (isConfigPath(path)) return;
  const changed = folderOf(state, path).setText(path, document.getText());
  if (changed.size > 0) refreshOthers(state, document.uri, changed);
}

/**
 * Re-checks the open documents (but `except`) shortly: pulling clients are asked to pull again. With `kinds`
 * (the kinds of the resources that changed), only documents whose cross-resource findings read such resources
 * are checked again: the cost of a keystroke does not grow with the number of open files.
 */
export function refreshOthers(state: ServerState, except?: string, kinds?: ReadonlySet<string>): void {
  const pending = state.othersPending;
  state.othersPending = {
    except: pending === undefined || pending.except === except ? except : undefined,
    kinds: kinds === undefined || pending?.kinds === 'all' ? 'all' : new Set([...(pending?.kinds ?? []), ...kinds]),
  };
  clearTimeout(state.othersTimer);
  state.othersTimer = setTimeout(() => {
    const { except: skip, kinds: changed } = state.othersPending ?? { kinds: 'all' };
    state.othersPending = undefined;
    if (state.pull) {
      void state.connection.languages.diagnostics.refresh();
      return;
    }
    for (const d of state.documents.all()) {
      if (d.uri === skip) continue;
      const path = pathOf(d.uri);
      if (changed === 'all' || isConfigPath(path) || folderOf(state, path).engineFor(path).engine.readsAnyOf(path, changed)) publish(state, d, true);
    }
  }, DEBOUNCE_MS);
}

/** Document events (open, change, save, close) and pulled diagnostics. */
export function registerDiagnostics(state: ServerState): void {
  const { connection, documents } = state;

  // Opening fires onDidChangeContent too: that schedules the first lint, at once.
  documents.onDidOpen(({ document }) => state.lastLint.delete(document.uri));
  documents.onDidChangeContent(({ document }) => schedule(state, document));
  documents.onDidSave(({ document }) => {
    state.lastLint.delete(document.uri);
    if (isConfigPath(pathOf(document.uri))) {
      folderOf(state, pathOf(document.uri)).reset();
      state.published.clear();
      refreshOthers(state);
    }
    schedule(state, document);
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(state.timers.get(document.uri));
    state.timers.delete(document.uri);
    clearTimeout(state.settleTimers.get(document.uri));
    state.settleTimers.delete(document.uri);
    state.published.delete(document.uri);
    state.dryRuns.delete(document.uri);
    const path = pathOf(document.uri);
    const folder = folderOf(state, path);
    // Back to what the disk says (or out of the index for an unsaved or untitled document).
    void (folder.path ? folder.indexFile(path, () => false) : Promise.resolve(folder.remove(path))).then((changed) => changed && refreshOthers(state));
    if (!state.pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    updateIndex(state, document);
    return { kind: DocumentDiagnosticReportKind.Full, items: lintDocument(state, document) };
  });
}
