/**
 * The kgov language server: live diagnostics (push after a short debounce, or pull where the client asks),
 * code actions, hover, completion, document symbols, a background workspace index, and the custom requests of
 * protocol.ts. Every handler is guarded: an exception becomes a log line (and, while linting, an info
 * diagnostic), never a dead server.
 */
import { basename, dirname } from 'node:path';
import {
  CodeAction, CompletionItemKind, createConnection, DidChangeConfigurationNotification, DocumentDiagnosticReportKind,
  FileChangeType, InsertTextFormat, MarkupKind, ProposedFeatures, SymbolKind, TextDocuments, TextDocumentSyncKind,
  type CancellationToken, type CompletionItem, type Connection, type Diagnostic, type DocumentSymbol, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRuleInfo, CancelledError, combine, complete, CONFIG_FILE_NAMES, type DocumentSymbol as EngineSymbol, documentSymbols, type Engine, fileChecklist, type Finding, hover, isConfigPath, type LintResult, loadConfigText, SchemaCatalog, summarize, type WorkloadChecklist } from '../engine';
import { schemasDir } from '../host/paths';
import {
  AuditWorkspaceRequest, ChecklistRequest, ClusterContextsRequest, RefreshClusterRequest, StatusNotification, StatusRequest, ValidateAgainstClusterRequest,
  type AuditWorkspaceParams, type AuditWorkspaceResult, type ChecklistParams, type ChecklistResult, type StatusParams,
  type ValidateAgainstClusterParams, type ValidateAgainstClusterResult,
} from '../shared/protocol';
import { withDefaults, type KgovSettings } from '../shared/settings';
import { codeActions, FIX_ALL_KIND, resolveEdit, type ActionData } from './actions';
import { ClusterFeature } from './cluster';
import { pathOf, toDiagnostic, uriOf } from './convert';
import { Folder } from './folders';

/** Quiet period after an edit before re-linting; an edit after a quiet spell is linted at once. */
const DEBOUNCE_MS = 100;
/** After typing pauses this long, diagnostics are recomputed in full (cross-resource findings included). */
const SETTLE_MS = 400;
const INDEX_BATCH = 25;

/** An AbortSignal that follows an LSP cancellation token (cluster requests take signals). */
function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Only Kubernetes documents get diagnostics: other YAML (CI files, Helm values) is left alone. */
function isKubernetes(engine: Engine, result: LintResult, text: string): boolean {
  return engine.isKubernetes(result.file) || /^\s*(apiVersion|kind)\s*:/m.test(text);
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const catalog = new SchemaCatalog(schemasDir());
  const folders: Folder[] = [];
  let outside: Folder | undefined;
  let capabilities: InitializeParams['capabilities'] = {};
  let initialSettings: KgovSettings = withDefaults({});
  let pull = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const settleTimers = new Map<string, NodeJS.Timeout>();
  const lastLint = new Map<string, number>();
  const published = new Map<string, Diagnostic[]>();
  const status: StatusParams = { state: 'starting', kubernetesVersion: catalog.defaultVersion, preset: 'recommended', files: 0, resources: 0, skipped: [], trusted: false };
  /** Findings of the last "Validate Against Cluster" per document, shown while its text is unchanged. */
  const dryRuns = new Map<string, { text: string; findings: Finding[] }>();

  const log = (message: string) => connection.console.log(`[kgov] ${message}`);
  const failed = (where: string, error: unknown) => connection.console.error(`[kgov] ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  /** A request handler's body: an exception is logged and the request gets `fallback`; the server keeps serving. */
  const guarded = <T>(where: string, fallback: T, body: () => T): T => {
    try {
      return body();
    } catch (error) {
      failed(where, error);
      return fallback;
    }
  };
  const openText = (path: string) => documents.all().find((d) => pathOf(d.uri) === path)?.getText();
  const isOpen = (path: string) => openText(path) !== undefined;

  const cluster = new ClusterFeature({
    log: (message) => log(message),
    bundledVersions: catalog.versions,
    onStatus: () => sendStatus(),
    // The cluster's version and CRDs change validation everywhere: rebuild engines, re-lint open documents.
    onFacts: (facts) => {
      for (const folder of [...folders, ...(outside ? [outside] : [])]) folder.setCluster(facts);
      published.clear();
      refreshOthers();
    },
  });

  const folderOf = (path: string): Folder => {
    const matching = folders.filter((f) => f.contains(path)).sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));
    if (matching[0]) return matching[0];
    if (!outside) {
      outside = new Folder('outside', undefined, initialSettings, catalog, openText);
      outside.setCluster(cluster.validationFacts);
    }
    return outside;
  };

  const sendStatus = () => {
    const folder = folders[0];
    if (folder) {
      const engine = folder.engineFor(`${folder.path ?? ''}/_`).engine;
      status.kubernetesVersion = engine.kubernetesVersion;
      status.preset = folder.settings.preset || engine.config.preset;
      status.trusted = folder.settings.trusted;
    }
    status.files = folders.reduce((n, f) => n + f.indexed.size, 0);
    status.resources = folders.reduce((n, f) => n + f.workspace.resources().length, 0);
    status.skipped = folders.flatMap((f) => [...f.skipped].map(([path, reason]) => ({ uri: uriOf(path), reason })));
    status.cluster = cluster.status;
    void connection.sendNotification(StatusNotification.method, status);
  };

  async function fetchSettings(folder: Folder): Promise<KgovSettings> {
    if (!capabilities.workspace?.configuration) return initialSettings;
    try {
      const raw = await connection.workspace.getConfiguration({ scopeUri: folder.uri === 'outside' ? undefined : folder.uri, section: 'kgov' }) as unknown;
      return withDefaults({ ...(raw as object), trusted: initialSettings.trusted });
    } catch {
      return initialSettings;
    }
  }

  /**
   * Findings for one open document (diagnostics for Kubernetes files and for .kgov.yaml; nothing for other YAML).
   * `fast`: while typing, cross-resource findings of unchanged documents come from the last run; a full run follows.
   */
  function lintDocument(document: TextDocument, fast = false): Diagnostic[] {
    const path = pathOf(document.uri);
    const folder = folderOf(path);
    if (!folder.settings.validate.enable) return [];
    const text = document.getText();
    if (isConfigPath(path)) {
      return loadConfigText(text, path, catalog, schemasDir(), folder.settings.trusted).findings.map(toDiagnostic);
    }
    const { engine } = folder.engineFor(path);
    try {
      const result = engine.lintFile(path, text, folder.workspace, undefined, { reuseCrossResults: fast });
      if (!isKubernetes(engine, result, text)) return [];
      const dryRun = dryRuns.get(document.uri);
      const findings = dryRun?.text === text ? [...result.findings, ...dryRun.findings] : result.findings;
      return findings.filter((f) => !f.suppressed).map(toDiagnostic);
    } catch (error) {
      failed(`linting ${path}`, error);
      return engine.internalError(text, error).map(toDiagnostic);
    }
  }

  /** Sends diagnostics; `onlyIfChanged` for re-checks caused by other files (the document itself did not change). */
  function publish(document: TextDocument, onlyIfChanged = false, fast = false): void {
    if (pull) return;
    const diagnostics = lintDocument(document, fast);
    const previous = published.get(document.uri);
    if (onlyIfChanged && previous && JSON.stringify(previous) === JSON.stringify(diagnostics)) return;
    published.set(document.uri, diagnostics);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  /** Lints now if the document was quiet for a while, otherwise once edits pause (at most DEBOUNCE_MS later). */
  function schedule(document: TextDocument): void {
    const uri = document.uri;
    const changedAt = performance.now();
    clearTimeout(timers.get(uri));
    const run = () => {
      timers.delete(uri);
      lastLint.set(uri, Date.now());
      const current = documents.get(uri);
      if (current) {
        updateIndex(current);
        publish(current, false, true);
        // With `kgov.trace.server` on: the latency a user feels, from the change to its diagnostics (incl. debounce).
        if (!pull) connection.tracer.log(`diagnostics: ${uri} v${current.version} ${(performance.now() - changedAt).toFixed(1)} ms after the change, ${published.get(uri)?.length ?? 0} diagnostics`);
        // The complete picture (cross-resource findings of every document) once typing pauses.
        clearTimeout(settleTimers.get(uri));
        settleTimers.set(uri, setTimeout(() => {
          settleTimers.delete(uri);
          const settled = documents.get(uri);
          if (settled) publish(settled, true);
        }, SETTLE_MS));
      }
    };
    if (Date.now() - (lastLint.get(uri) ?? 0) > DEBOUNCE_MS) run();
    else timers.set(uri, setTimeout(run, DEBOUNCE_MS));
  }

  /** An open document's resources replace its file's in the index; other open documents may need new diagnostics. */
  function updateIndex(document: TextDocument): void {
    const path = pathOf(document.uri);
    if (isConfigPath(path)) return;
    const folder = folderOf(path);
    // Unchanged documents keep their parsed values (the engine caches them per chunk): identity is enough.
    const before = folder.workspace.fileResources(path).map((r) => r.value);
    folder.setText(path, document.getText());
    const after = folder.workspace.fileResources(path).map((r) => r.value);
    if (before.length !== after.length || before.some((v, i) => v !== after[i])) refreshOthers(document.uri);
  }

  let othersTimer: NodeJS.Timeout | undefined;
  function refreshOthers(except?: string): void {
    clearTimeout(othersTimer);
    othersTimer = setTimeout(() => {
      if (pull) void connection.languages.diagnostics.refresh();
      else for (const d of documents.all()) if (d.uri !== except) publish(d, true);
    }, DEBOUNCE_MS);
  }

  async function indexFolders(): Promise<void> {
    status.state = 'indexing';
    sendStatus();
    const paths = folders.flatMap((f) => f.manifestPaths().map((p) => [f, p] as const));
    const progress = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('kgov: indexing manifests', 0, `${paths.length} files`, false);
    let done = 0;
    for (const [folder, path] of paths) {
      try {
        await folder.indexFile(path, isOpen);
      } catch (error) {
        failed(`indexing ${path}`, error);
      }
      if (++done % INDEX_BATCH === 0) {
        progress?.report(Math.round((100 * done) / paths.length), `${done}/${paths.length} files`);
        // Let requests (hover, completion) in between batches: the editor stays responsive while indexing.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    progress?.done();
    for (const folder of folders) for (const [path, reason] of folder.skipped) log(`skipped ${path}: ${reason}`);
    status.state = 'ready';
    sendStatus();
    refreshOthers();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    const options = (params.initializationOptions ?? {}) as { settings?: unknown; trusted?: boolean };
    initialSettings = withDefaults({ ...(options.settings as object | undefined), trusted: options.trusted ?? true });
    pull = capabilities.textDocument?.diagnostic !== undefined;
    for (const folder of params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: basename(params.rootUri) }] : [])) {
      folders.push(new Folder(folder.uri, pathOf(folder.uri), initialSettings, catalog, openText));
    }
    const resolve = capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...(pull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: resolve },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' '] },
        documentSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'kgov', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kgov' });
    }
    // Hover documentation is read now, before any document is open, rather than by the first hover (which must
    // answer within 100 ms even while the workspace is being indexed).
    catalog.loadDescriptions();
    void (async () => {
      for (const folder of folders) folder.reset(await fetchSettings(folder));
      // Cluster settings are window-wide: the first folder's (or the initial ones) apply.
      cluster.configure(folders[0]?.settings ?? initialSettings);
      await indexFolders();
    })().catch((error) => {
      status.state = 'error';
      status.message = String(error);
      sendStatus();
      failed('indexing', error);
    });
  });

  connection.onDidChangeConfiguration(async (change) => {
    const raw = (change.settings as { kgov?: unknown } | undefined)?.kgov;
    for (const folder of [...folders, ...(outside ? [outside] : [])]) {
      folder.reset(raw !== undefined && !capabilities.workspace?.configuration ? withDefaults({ ...(raw as object), trusted: folder.settings.trusted }) : await fetchSettings(folder));
    }
    cluster.configure(folders[0]?.settings ?? (raw !== undefined ? withDefaults({ ...(raw as object), trusted: initialSettings.trusted }) : initialSettings));
    published.clear();
    sendStatus();
    refreshOthers();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let changed = false;
    for (const change of changes) {
      const path = pathOf(change.uri);
      const folder = folderOf(path);
      if (CONFIG_FILE_NAMES.includes(basename(path))) {
        folder.reset();
        changed = true;
        continue;
      }
      if (!/\.ya?ml$/i.test(path)) continue;
      try {
        changed = (change.type === FileChangeType.Deleted ? folder.remove(path) : await folder.indexFile(path, isOpen)) || changed;
      } catch (error) {
        failed(`re-indexing ${path}`, error);
      }
    }
    if (changed) {
      published.clear();
      sendStatus();
      refreshOthers();
    }
  });

  // Opening fires onDidChangeContent too: that schedules the first lint, at once.
  documents.onDidOpen(({ document }) => lastLint.delete(document.uri));
  documents.onDidChangeContent(({ document }) => schedule(document));
  documents.onDidSave(({ document }) => {
    lastLint.delete(document.uri);
    if (isConfigPath(pathOf(document.uri))) {
      folderOf(pathOf(document.uri)).reset();
      published.clear();
      refreshOthers();
    }
    schedule(document);
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    clearTimeout(settleTimers.get(document.uri));
    settleTimers.delete(document.uri);
    published.delete(document.uri);
    dryRuns.delete(document.uri);
    const path = pathOf(document.uri);
    const folder = folderOf(path);
    // Back to what the disk says (or out of the index for an unsaved or untitled document).
    void (folder.path ? folder.indexFile(path, () => false) : Promise.resolve(folder.remove(path))).then((changed) => changed && refreshOthers());
    if (!pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    updateIndex(document);
    return { kind: DocumentDiagnosticReportKind.Full, items: lintDocument(document) };
  });

  connection.onCodeAction((params) =>
    guarded('code actions', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const path = pathOf(document.uri);
      const all = lintDocument(document);
      const inRange = params.context.diagnostics.length > 0 ? params.context.diagnostics : all.filter((d) =>
        d.range.start.line <= params.range.end.line && d.range.end.line >= params.range.start.line);
      const actions = codeActions(document.uri, inRange, all, params.context.only);
      const resolveSupported = capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true;
      if (resolveSupported) return actions;
      const folder = folderOf(path);
      const { engine } = folder.engineFor(path);
      return actions.map((action) => (action.data ? { ...action, edit: resolveEdit(document, action.data as ActionData, { engine, workspace: folder.workspace, path }) } : action));
    }));

  connection.onCodeActionResolve((action: CodeAction) =>
    guarded('resolving a code action', action, () => {
      const data = action.data as ActionData | undefined;
      const document = data ? documents.get(data.uri) : undefined;
      if (!data || !document) return action;
      const path = pathOf(document.uri);
      const folder = folderOf(path);
      const edit = resolveEdit(document, data, { engine: folder.engineFor(path).engine, workspace: folder.workspace, path });
      return edit ? { ...action, edit } : action;
    }));

  connection.onHover((params, token) =>
    guarded('hover', null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document || token.isCancellationRequested) return null;
      const path = pathOf(document.uri);
      const folder = folderOf(path);
      const offset = document.offsetAt(params.position);
      const field = hover(folder.engineFor(path).engine, path, document.getText(), offset, folder.workspace);
      // Rule docs for the diagnostics under the cursor: the fast path (cross-resource results of unchanged documents
      // as last computed) spares a whole-workspace re-check per hover while the index grows.
      const here = lintDocument(document, true).filter((d) =>
        (d.range.start.line < params.position.line || (d.range.start.line === params.position.line && d.range.start.character <= params.position.character))
        && (d.range.end.line > params.position.line || (d.range.end.line === params.position.line && d.range.end.character >= params.position.character)));
      const infos = allRuleInfo();
      const ruleDocs = [...new Set(here.map((d) => String(d.code)))].map((id) => infos.find((r) => r.id === id)).filter((r) => r !== undefined)
        .map((r) => `**kgov ${r.id}** — ${r.summary}\n\n${r.rationale}\n\n[Documentation](${r.url})`);
      const parts = [...(field ? [field.contents] : []), ...ruleDocs];
      if (parts.length === 0) return null;
      const range = field ? { start: document.positionAt(field.span.start), end: document.positionAt(field.span.end) } : undefined;
      return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
    }));

  connection.onCompletion((params, token) =>
    guarded('completion', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document || token.isCancellationRequested) return [];
      const path = pathOf(document.uri);
      const folder = folderOf(path);
      const items = complete(folder.engineFor(path).engine, path, document.getText(), document.offsetAt(params.position), folder.workspace);
      return items.map((item): CompletionItem => ({
        label: item.label,
        kind: item.kind === 'property' ? CompletionItemKind.Property : item.kind === 'snippet' ? CompletionItemKind.Snippet : item.kind === 'kind' ? CompletionItemKind.Class : CompletionItemKind.Value,
        insertText: item.insertText,
        ...(item.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
        ...(item.detail ? { detail: item.detail } : {}),
        ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
        sortText: `${item.preferred ? '0' : '1'}${item.label}`,
      }));
    }));

  connection.onDocumentSymbol((params) =>
    guarded('document symbols', [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const path = pathOf(document.uri);
      const convert = (s: EngineSymbol): DocumentSymbol => ({
        name: s.name, detail: s.detail, kind: s.kind === 'resource' ? SymbolKind.Class : SymbolKind.Field,
        range: { start: document.positionAt(s.span.start), end: document.positionAt(s.span.end) },
        selectionRange: { start: document.positionAt(s.selection.start), end: document.positionAt(s.selection.end) },
        children: s.children.map(convert),
      });
      return documentSymbols(folderOf(path).engineFor(path).engine, path, document.getText()).map(convert);
    }));

  /** The text of a file: the open document's, else the disk's. */
  async function textOf(path: string): Promise<string | undefined> {
    const open = openText(path);
    if (open !== undefined) return open;
    try {
      const { readFile } = await import('node:fs/promises');
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  connection.onRequest(ChecklistRequest.method, async (params: ChecklistParams, token: CancellationToken): Promise<ChecklistResult> => {
    const workloads: WorkloadChecklist[] = [];
    const paths = params.uri ? [pathOf(params.uri)] : folders.flatMap((f) => [...f.indexed.keys()]);
    for (const path of paths) {
      if (token.isCancellationRequested) break;
      const text = await textOf(path);
      if (text === undefined) continue;
      const folder = folderOf(path);
      try {
        const { engine } = folder.engineFor(path);
        const result = engine.lintFile(path, text, folder.workspace, token, { outcomes: true });
        const namespaceOf = (ns: string | undefined) => ns ?? folder.workspace.defaultNamespace;
        const list = fileChecklist(engine, result, namespaceOf);
        await cluster.addLiveItems(list, result.file, namespaceOf, abortSignalOf(token));
        // The engine speaks file paths; the protocol, URIs (items point into the same file as their workload).
        workloads.push(...list.map((w) => ({
          ...w, uri: uriOf(w.uri), groups: w.groups.map((g) => ({ ...g, items: g.items.map((item) => ({ ...item, uri: uriOf(item.uri) })) })),
        })));
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(`checklist of ${path}`, error);
      }
    }
    return combine(workloads) as ChecklistResult;
  });

  connection.onRequest(AuditWorkspaceRequest.method, async (params: AuditWorkspaceParams, token: CancellationToken): Promise<AuditWorkspaceResult> => {
    const started = Date.now();
    const paths = folders.flatMap((f) => [...f.indexed.keys()]);
    const reporter = params.workDoneToken !== undefined
      ? connection.window.attachWorkDoneProgress(params.workDoneToken)
      : capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    reporter?.begin('kgov: auditing the workspace', 0, `${paths.length} files`, true);
    const files: AuditWorkspaceResult['files'] = [];
    const audited: Array<{ documents: number; findings: Finding[] }> = [];
    for (const [i, path] of paths.entries()) {
      if (token.isCancellationRequested) break;
      const text = await textOf(path);
      if (text === undefined) continue;
      const folder = folderOf(path);
      try {
        const { engine } = folder.engineFor(path);
        const lint = engine.lintFile(path, text, folder.workspace, token);
        if (!isKubernetes(engine, lint, text)) continue;
        audited.push(lint);
        files.push({ uri: uriOf(path), diagnostics: lint.findings.filter((f) => !f.suppressed).map(toDiagnostic) });
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(`auditing ${path}`, error);
      }
      if (i % INDEX_BATCH === 0) {
        reporter?.report(Math.round((100 * i) / Math.max(1, paths.length)), `${i}/${paths.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    reporter?.done();
    return { files, summary: summarize(audited, Date.now() - started) } satisfies AuditWorkspaceResult;
  });

  connection.onRequest(StatusRequest.method, () => status);

  connection.onRequest(ClusterContextsRequest.method, () => cluster.contexts());

  connection.onRequest(RefreshClusterRequest.method, async () => {
    dryRuns.clear();
    return cluster.refresh();
  });

  connection.onRequest(ValidateAgainstClusterRequest.method, async (params: ValidateAgainstClusterParams, token: CancellationToken): Promise<ValidateAgainstClusterResult> => {
    const document = documents.get(params.uri);
    const path = pathOf(params.uri);
    const text = document?.getText() ?? await textOf(path);
    if (text === undefined) return { documents: [], findings: 0, durationMs: 0, error: `Cannot read ${params.uri}.` };
    const reporter = params.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(params.workDoneToken) : undefined;
    reporter?.begin('kgov: server-side dry run', undefined, cluster.status.context, true);
    try {
      const { engine } = folderOf(path).engineFor(path);
      const result = await cluster.dryRun(engine.analyze(path, text), (id) => engine.severityOf(id), abortSignalOf(token));
      if ('error' in result) return { documents: [], findings: 0, durationMs: 0, error: result.error };
      dryRuns.set(params.uri, { text, findings: result.findings });
      if (document) {
        published.delete(document.uri);
        if (pull) void connection.languages.diagnostics.refresh();
        else publish(document);
      }
      return {
        context: result.context, findings: result.findings.filter((f) => !f.suppressed).length, durationMs: result.durationMs,
        documents: result.documents.map((d) => ({ docIndex: d.docIndex, ...d.resource, outcome: d.outcome, message: d.message })),
      };
    } finally {
      reporter?.done();
    }
  });

  documents.listen(connection);
  connection.listen();
  log(`started (Kubernetes ${catalog.defaultVersion} by default; schemas in ${dirname(schemasDir())})`);
  process.on('uncaughtException', (error) => failed('uncaught exception', error));
  process.on('unhandledRejection', (error) => failed('unhandled rejection', error));
}
