/**
 * kgov's custom messages (shared/protocol.ts), each handled through its descriptor: the rollout checklist, Audit
 * Workspace, the status (request, and the notification sent on every change), and the cluster requests
 * (contexts, refresh, server-side dry run).
 */
import type { CancellationToken, Connection, GenericRequestHandler } from 'vscode-languageserver/node';
import { CancelledError, combine, fileChecklist, type Finding, summarize } from '../engine';
import {
  AuditWorkspaceRequest, ChecklistRequest, ClusterContextsRequest, RefreshClusterRequest, StatusNotification, StatusRequest, ValidateAgainstClusterRequest,
  type AuditWorkspaceResult, type NotificationDescriptor, type RequestDescriptor, type WorkloadChecklist,
} from '../shared/protocol';
import { pathOf, toDiagnostic, toWireChecklist, uriOf } from './convert';
import { isKubernetes, publish } from './diagnostics';
import { failed, folderOf, INDEX_BATCH, textOf, type ServerState } from './state';

/** A request's handler: a request without params (`void`) gets only the cancellation token. */
type Handler<P, R> = [P] extends [void]
  ? (token: CancellationToken) => R | Promise<R>
  : (params: P, token: CancellationToken) => R | Promise<R>;

/** Registers a request by its method: its params reach the handler exactly as the client sent them. */
function onRequest<P, R>(connection: Connection, request: RequestDescriptor<P, R>, handler: Handler<P, R>): void {
  connection.onRequest(request.method, handler as GenericRequestHandler<R, void>);
}

function sendNotification<P>(connection: Connection, notification: NotificationDescriptor<P>, params: P): void {
  void connection.sendNotification(notification.method, params);
}

/** An AbortSignal that follows an LSP cancellation token (cluster requests take signals). */
function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Brings the status up to date and sends it (kgov/status). */
export function sendStatus(state: ServerState): void {
  const { folders, status } = state;
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
  status.cluster = state.cluster.status;
  sendNotification(state.connection, StatusNotification, status);
}

export function registerRequests(state: ServerState): void {
  const { connection, documents, cluster } = state;

  onRequest(connection, ChecklistRequest, async (params, token) => {
    const workloads: WorkloadChecklist[] = [];
    const paths = params.uri ? [pathOf(params.uri)] : state.folders.flatMap((f) => [...f.indexed.keys()]);
    for (const path of paths) {
      if (token.isCancellationRequested) break;
      const text = await textOf(state, path);
      if (text === undefined) continue;
      const folder = folderOf(state, path);
      try {
        const { engine } = folder.engineFor(path);
        const result = engine.lintFile(path, text, folder.workspace, token, { outcomes: true });
        const namespaceOf = (ns: string | undefined) => ns ?? folder.workspace.defaultNamespace;
        const list = fileChecklist(engine, result, namespaceOf);
        await cluster.addLiveItems(list, result.file, namespaceOf, abortSignalOf(token));
        workloads.push(...list.map(toWireChecklist));
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(state, `checklist of ${path}`, error);
      }
    }
    return combine(workloads);
  });

  onRequest(connection, AuditWorkspaceRequest, async (params, token) => {
    const started = Date.now();
    const paths = state.folders.flatMap((f) => [...f.indexed.keys()]);
    const reporter = params.workDoneToken !== undefined
      ? connection.window.attachWorkDoneProgress(params.workDoneToken)
      : state.capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    reporter?.begin('kgov: auditing the workspace', 0, `${paths.length} files`, true);
    const files: AuditWorkspaceResult['files'] = [];
    const audited: Array<{ documents: number; findings: Finding[] }> = [];
    for (const [i, path] of paths.entries()) {
      if (token.isCancellationRequested) break;
      const text = await textOf(state, path);
      if (text === undefined) continue;
      const folder = folderOf(state, path);
      try {
        const { engine } = folder.engineFor(path);
        const lint = engine.lintFile(path, text, folder.workspace, token);
        if (!isKubernetes(engine, lint, text)) continue;
        audited.push(lint);
        files.push({ uri: uriOf(path), diagnostics: lint.findings.filter((f) => !f.suppressed).map(toDiagnostic) });
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(state, `auditing ${path}`, error);
      }
      if (i % INDEX_BATCH === 0) {
        reporter?.report(Math.round((100 * i) / Math.max(1, paths.length)), `${i}/${paths.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    reporter?.done();
    return { files, summary: summarize(audited, Date.now() - started) };
  });

  onRequest(connection, StatusRequest, () => state.status);

  onRequest(connection, ClusterContextsRequest, () => cluster.contexts());

  onRequest(connection, RefreshClusterRequest, async () => {
    state.dryRuns.clear();
    return cluster.refresh();
  });

  onRequest(connection, ValidateAgainstClusterRequest, async (params, token) => {
    const document = documents.get(params.uri);
    const path = pathOf(params.uri);
    const text = document?.getText() ?? await textOf(state, path);
    if (text === undefined) return { documents: [], findings: 0, durationMs: 0, error: `Cannot read ${params.uri}.` };
    const reporter = params.workDoneToken !== undefined ? connection.window.attachWorkDoneProgress(params.workDoneToken) : undefined;
    reporter?.begin('kgov: server-side dry run', undefined, cluster.status.context, true);
    try {
      const { engine } = folderOf(state, path).engineFor(path);
      const result = await cluster.dryRun(engine.analyze(path, text), (id) => engine.severityOf(id), abortSignalOf(token));
      if ('error' in result) return { documents: [], findings: 0, durationMs: 0, error: result.error };
      state.dryRuns.set(params.uri, { text, findings: result.findings });
      if (document) {
        state.published.delete(document.uri);
        if (state.pull) void connection.languages.diagnostics.refresh();
        else publish(state, document);
      }
      return {
        context: result.context, findings: result.findings.filter((f) => !f.suppressed).length, durationMs: result.durationMs,
        documents: result.documents.map((d) => ({ docIndex: d.docIndex, ...d.resource, outcome: d.outcome, message: d.message })),
      };
    } finally {
      reporter?.done();
    }
  });
}
