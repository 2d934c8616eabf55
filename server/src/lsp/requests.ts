/**
 * kgov's custom messages (shared/protocol.ts), each handled through its descriptor: the rollout checklist, Audit
 * Workspace, the status (request, and the notification sent on every change), and the cluster requests
 * (contexts, refresh, server-side dry run).
 */
import type { CancellationToken, Connection, GenericRequestHandler } from 'vscode-languageserver/node';
import { relative } from 'node:path';
import { type BudgetChecklist, CancelledError, combine, fileBudgets, fileChecklist, type Finding, linkBudgets, type SchemaCatalog, summarize, type UpgradeOutlook, upgradeReadiness, type UpgradeResource, type WorkloadChecklist } from '../engine';
import { dimensionsMet, type Engine, ruleCategories, scorecard, scorecardHtml } from '../engine';
import {
  AuditWorkspaceRequest, ChecklistRequest, ClusterContextsRequest, ReadinessReportRequest, RefreshClusterRequest, StatusNotification, StatusRequest,
  ValidateAgainstClusterRequest, type AuditWorkspaceResult, type NotificationDescriptor, type RequestDescriptor,
} from '../shared/protocol';
import { diagnosticOf, pathOf, toWireChecklist, uriOf } from './convert';
import { baselineStatesOf } from './baseline';
import { isKubernetes, publish } from './diagnostics';
import { failed, folderOf, log, textOf, timeSlices, type ServerState } from './state';

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

/** The readiness report (kgov/readinessReport): the scorecard of every indexed file's workloads, as webview HTML. */
async function readinessReport(state: ServerState, nonce: string, token: CancellationToken) {
  const workloads: WorkloadChecklist[] = [];
  const budgets: BudgetChecklist[] = [];
  const resources: UpgradeResource[] = [];
  const engines = new Set<Engine>();
  for (const folder of state.folders) {
    for (const r of folder.workspace.resources()) {
      if (r.kustomization || !r.apiVersion || !r.kind) continue;
      const at = { line: r.line, character: 0 };
      resources.push({ uri: r.uri, apiVersion: r.apiVersion, kind: r.kind, namespace: folder.workspace.namespaceOf(r), range: { start: at, end: at }, ...(r.name !== undefined ? { name: r.name } : {}) });
    }
    for (const path of folder.indexed.keys()) {
      if (token.isCancellationRequested) throw new CancelledError();
      const text = await textOf(state, path);
      if (text === undefined) continue;
      try {
        const { engine } = folder.engineFor(path);
        engines.add(engine);
        // Manifest items only: the scorecard rates the files, not the live cluster.
        const result = engine.lintFile(path, text, folder.workspace, token, { outcomes: true });
        const namespaceOf = (ns: string | undefined) => ns ?? folder.workspace.defaultNamespace;
        workloads.push(...fileChecklist(engine, result, namespaceOf));
        budgets.push(...fileBudgets(engine, result, namespaceOf));
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        failed(state, `readiness report of ${path}`, error);
      }
    }
  }
  // As the checklist and kgov audit do: budgets cover workloads of other files.
  linkBudgets(workloads, budgets);
  const first = state.folders[0];
  const project = first ? first.engineFor(`${first.path ?? ''}/_`) : undefined;
  const categories = ruleCategories(engines);
  const card = scorecard({
    kubernetesVersion: project?.engine.kubernetesVersion ?? state.status.kubernetesVersion, workloads, upgrade: { catalog: state.catalog, resources },
    // Built-in finding ids (schema/..., api/...) are named by their category.
    categoryOf: (id) => categories.get(id) ?? id.split('/')[0],
    ...(project?.config.config.scorecard ? { targets: project.config.config.scorecard } : {}),
  });
  const displayPath = (path: string) => {
    const folder = folderOf(state, path);
    return folder.path ? relative(folder.path, path).split('\\').join('/') : path;
  };
  const { html, locations } = scorecardHtml(card, { displayPath, webview: { nonce } });
  return { html, locations: locations.map((l) => ({ uri: uriOf(l.uri), range: l.range })), ...dimensionsMet(card) };
}

/**
 * The upgrade readiness of every workspace folder's built-in resources: one outlook per Kubernetes version the
 * projects target (each resource with the version of the .kgov.yaml above it), in version order.
 */
function upgradeOutlooks(state: ServerState): UpgradeOutlook[] {
  const byTarget = new Map<string, { catalog: SchemaCatalog; resources: UpgradeResource[] }>();
  for (const folder of state.folders) {
    for (const r of folder.workspace.resources()) {
      if (r.kustomization || !r.apiVersion || !r.kind) continue;
      const { engine } = folder.engineFor(r.uri);
      let entry = byTarget.get(engine.kubernetesVersion);
      if (!entry) byTarget.set(engine.kubernetesVersion, (entry = { catalog: engine.catalog, resources: [] }));
      const at = { line: r.line, character: 0 };
      entry.resources.push({
        uri: uriOf(r.uri), apiVersion: r.apiVersion, kind: r.kind, range: { start: at, end: at },
        ...(r.name !== undefined ? { name: r.name } : {}), namespace: folder.workspace.namespaceOf(r),
      });
    }
  }
  return [...byTarget].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([target, { catalog, resources }]) => upgradeReadiness(catalog, resources, target));
}

export function registerRequests(state: ServerState): void {
  const { connection, documents, cluster } = state;

  onRequest(connection, ChecklistRequest, async (params, token) => {
    const workloads: WorkloadChecklist[] = [];
    const budgets: BudgetChecklist[] = [];
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
        workloads.push(...list);
        budgets.push(...fileBudgets(engine, result, namespaceOf));
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(state, `checklist of ${path}`, error);
      }
    }
    // Budgets cover workloads of other files: linked once every file is read (for one file's checklist, the
    // budgets of the other files of its folder are read too, so that its scores are the workspace checklist's).
    if (params.uri) {
      const path = pathOf(params.uri);
      const folder = folderOf(state, path);
      const others = new Set(folder.workspace.resources('PodDisruptionBudget').map((r) => r.uri).filter((uri) => uri !== path));
      for (const other of others) {
        const text = await textOf(state, other);
        if (text === undefined || token.isCancellationRequested) continue;
        try {
          const { engine } = folder.engineFor(other);
          const result = engine.lintFile(other, text, folder.workspace, token, { outcomes: true });
          budgets.push(...fileBudgets(engine, result, (ns) => ns ?? folder.workspace.defaultNamespace));
        } catch (error) {
          if (!(error instanceof CancelledError)) failed(state, `checklist of ${other}`, error);
        }
      }
    }
    linkBudgets(workloads, budgets);
    const checklist = combine(workloads.map(toWireChecklist));
    return params.uri || token.isCancellationRequested ? checklist : { ...checklist, upgrade: upgradeOutlooks(state) };
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
    const slices = timeSlices();
    for (const [i, path] of paths.entries()) {
      if (token.isCancellationRequested) break;
      const text = await textOf(state, path);
      if (text === undefined) continue;
      const folder = folderOf(state, path);
      try {
        const project = folder.engineFor(path);
        const { engine } = project;
        const lint = engine.lintFile(path, text, folder.workspace, token);
        if (!isKubernetes(engine, lint, text)) continue;
        audited.push(lint);
        const states = baselineStatesOf(project, path, lint.file, lint.findings, (message) => log(state, message));
        files.push({ uri: uriOf(path), diagnostics: lint.findings.flatMap((f, i) => (f.suppressed ? [] : [diagnosticOf(f, states?.[i] === 'unchanged')])) });
      } catch (error) {
        if (!(error instanceof CancelledError)) failed(state, `auditing ${path}`, error);
      }
      if (await slices.pause()) reporter?.report(Math.round((100 * i) / Math.max(1, paths.length)), `${i}/${paths.length} files`);
    }
    reporter?.done();
    return { files, summary: summarize(audited, Date.now() - started) };
  });

  onRequest(connection, ReadinessReportRequest, (params, token) => readinessReport(state, params.nonce, token));

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
