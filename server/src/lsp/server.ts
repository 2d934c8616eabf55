/**
 * The kgov language server: the connection and its lifecycle (initialize, initialized, workspace folders,
 * settings, watched files, the background workspace index), and the one state object every handler shares.
 * Diagnostics are in diagnostics.ts, editor features in features.ts, kgov's custom messages in requests.ts.
 * Every handler is guarded: an exception becomes a log line (and, while linting, an info diagnostic), never a
 * dead server.
 */
import { basename, dirname } from 'node:path';
import {
  createConnection, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES, SchemaCatalog } from '../engine';
import { schemasDir } from '../host/paths';
import { withDefaults, type KgovSettings } from '../shared/settings';
import { FIX_ALL_KIND } from './actions';
import { ClusterFeature } from './cluster';
import { pathOf } from './convert';
import { publish, refreshOthers, registerDiagnostics } from './diagnostics';
import { registerFeatures } from './features';
import { Folder } from './folders';
import { registerRender } from './render';
import { registerRequests, sendStatus } from './requests';
import { allFolders, failed, folderOf, isOpen, log, openText, timeSlices, type ServerState } from './state';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const catalog = new SchemaCatalog(schemasDir());
  const cluster = new ClusterFeature({
    log: (message) => log(state, message),
    bundledVersions: catalog.versions,
    onStatus: () => sendStatus(state),
    // The cluster's version and CRDs change validation everywhere: rebuild engines, re-lint open documents.
    onFacts: (facts) => {
      for (const folder of allFolders(state)) folder.setCluster(facts);
      state.published.clear();
      refreshOthers(state);
    },
  });
  // The cluster feature calls back only once configured (from `initialized` on): `state` exists by then.
  const state: ServerState = {
    connection,
    documents: new TextDocuments(TextDocument),
    catalog,
    folders: [],
    outside: undefined,
    capabilities: {},
    initialSettings: withDefaults({}),
    pull: false,
    cluster,
    status: { state: 'starting', kubernetesVersion: catalog.defaultVersion, preset: 'recommended', files: 0, resources: 0, skipped: [], trusted: false },
    dryRuns: new Map(),
    timers: new Map(),
    settleTimers: new Map(),
    lastLint: new Map(),
    published: new Map(),
    othersTimer: undefined,
    othersPending: undefined,
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    state.capabilities = capabilities;
    const options = (params.initializationOptions ?? {}) as { settings?: unknown; trusted?: boolean };
    state.initialSettings = withDefaults({ ...(options.settings as object | undefined), trusted: options.trusted ?? true });
    state.pull = capabilities.textDocument?.diagnostic !== undefined;
    for (const folder of params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: basename(params.rootUri) }] : [])) {
      state.folders.push(new Folder(folder.uri, pathOf(folder.uri), state.initialSettings, catalog, (path) => openText(state, path)));
    }
    const resolve = capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...(state.pull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
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
    if (state.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kgov' });
    }
    // Definitions and hover documentation are read now, before any document is open, rather than by the first
    // diagnostics or hover (which must answer within 100 ms even while the workspace is being indexed).
    catalog.warmUp(state.initialSettings.kubernetesVersion);
    void (async () => {
      for (const folder of state.folders) folder.reset(await fetchSettings(state, folder));
      // Cluster settings are window-wide: the first folder's (or the initial ones) apply.
      cluster.configure(state.folders[0]?.settings ?? state.initialSettings);
      await indexFolders(state);
    })().catch((error) => {
      // Whatever was indexed is what there is: cross-resource findings are no longer held back.
      for (const folder of state.folders) folder.indexComplete = true;
      refreshOthers(state);
      state.status.state = 'error';
      state.status.message = String(error);
      sendStatus(state);
      failed(state, 'indexing', error);
    });
  });

  connection.onDidChangeConfiguration(async (change) => {
    const raw = (change.settings as { kgov?: unknown } | undefined)?.kgov;
    for (const folder of allFolders(state)) {
      folder.reset(raw !== undefined && !state.capabilities.workspace?.configuration ? withDefaults({ ...(raw as object), trusted: folder.settings.trusted }) : await fetchSettings(state, folder));
    }
    cluster.configure(state.folders[0]?.settings ?? (raw !== undefined ? withDefaults({ ...(raw as object), trusted: state.initialSettings.trusted }) : state.initialSettings));
    state.published.clear();
    sendStatus(state);
    refreshOthers(state);
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    let changed = false;
    for (const change of changes) {
      const path = pathOf(change.uri);
      const folder = folderOf(state, path);
      if (CONFIG_FILE_NAMES.includes(basename(path))) {
        folder.reset();
        changed = true;
        continue;
      }
      if (!/\.ya?ml$/i.test(path)) continue;
      try {
        changed = (change.type === FileChangeType.Deleted ? folder.remove(path) : await folder.indexFile(path, (p) => isOpen(state, p))) || changed;
      } catch (error) {
        failed(state, `re-indexing ${path}`, error);
      }
    }
    if (changed) {
      state.published.clear();
      sendStatus(state);
      refreshOthers(state);
    }
  });

  registerDiagnostics(state);
  registerRender(state, (document) => publish(state, document));
  registerFeatures(state);
  registerRequests(state);

  state.documents.listen(connection);
  connection.listen();
  log(state, `started (Kubernetes ${catalog.defaultVersion} by default; schemas in ${dirname(schemasDir())})`);
  process.on('uncaughtException', (error) => failed(state, 'uncaught exception', error));
  process.on('unhandledRejection', (error) => failed(state, 'unhandled rejection', error));
}

/** A folder's `kgov` settings from the client (the initial ones where it cannot be asked, or fails to answer). */
async function fetchSettings(state: ServerState, folder: Folder): Promise<KgovSettings> {
  const { capabilities, initialSettings } = state;
  if (!capabilities.workspace?.configuration) return initialSettings;
  try {
    const raw = await state.connection.workspace.getConfiguration({ scopeUri: folder.uri === 'outside' ? undefined : folder.uri, section: 'kgov' }) as unknown;
    return withDefaults({ ...(raw as object), trusted: initialSettings.trusted });
  } catch {
    return initialSettings;
  }
}

/** Indexes every manifest of the workspace folders in batches (with progress), then re-checks open documents. */
async function indexFolders(state: ServerState): Promise<void> {
  const { connection, folders, status } = state;
  status.state = 'indexing';
  sendStatus(state);
  const paths = folders.flatMap((f) => f.manifestPaths().map((p) => [f, p] as const));
  const progress = state.capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('kgov: indexing manifests', 0, `${paths.length} files`, false);
  let done = 0;
  // The editor stays responsive while indexing: documents opened meanwhile and requests are served between slices.
  const slices = timeSlices();
  for (const [folder, path] of paths) {
    try {
      await folder.indexFile(path, (p) => isOpen(state, p));
    } catch (error) {
      failed(state, `indexing ${path}`, error);
    }
    done++;
    if (await slices.pause()) progress?.report(Math.round((100 * done) / paths.length), `${done}/${paths.length} files`);
  }
  progress?.done();
  for (const folder of folders) {
    folder.indexComplete = true;
    for (const [path, reason] of folder.skipped) log(state, `skipped ${path}: ${reason}`);
  }
  status.state = 'ready';
  sendStatus(state);
  refreshOthers(state);
}
