/**
 * kgov's custom LSP messages, shared by the server and the VS Code client (which imports this file by path).
 * Each message has ONE descriptor: its method as plain data, its params and result types attached as phantom
 * types, and a comment on who sends it and why. Each side wraps descriptors with its own protocol package
 * (client/src/messages.ts, server/src/lsp/requests.ts): the two pin different ones.
 * Types only at run time: nothing is imported but types (the engine's through engine/index.ts, declared once
 * there), so the client bundle carries no engine code.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AuditSummary, Checklist, ChecklistItem as EngineChecklistItem, UpgradeOutlook, WorkloadChecklist as EngineWorkloadChecklist } from '../engine';

/** Keys of the phantom members: they exist for the type checker only, never in a descriptor's value. */
declare const paramsType: unique symbol;
declare const resultType: unique symbol;

/** A request: its method, params (`void`: the request has none) and result. */
export interface RequestDescriptor<P, R> {
  readonly method: string;
  readonly [paramsType]?: P;
  readonly [resultType]?: R;
}

/** A notification: its method and params. */
export interface NotificationDescriptor<P> {
  readonly method: string;
  readonly [paramsType]?: P;
}

/**
 * The rollout checklist, as the engine declares it (engine/features/checklist.ts). On the wire every `uri` is a
 * URI where the engine has a file path: the server converts, in one place (lsp/convert.ts, toWireChecklist).
 */
export type ChecklistItem = EngineChecklistItem;
export type WorkloadChecklist = EngineWorkloadChecklist;
export type ItemStatus = ChecklistItem['status'];

export interface ChecklistParams {
  /** Only the workloads of this document (the status bar); all workloads of the workspace when absent. */
  uri?: string;
}

/**
 * The workloads' checklists and the score (0-100, weighted over every item: docs/checklist.md); for the whole
 * workspace also its upgrade readiness, one outlook per Kubernetes version its projects target (usually one).
 */
export type ChecklistResult = Checklist & { upgrade?: UpgradeOutlook[] };

/** Client -> server: the rollout checklist of the workspace or of one document. */
export const ChecklistRequest = { method: 'kgov/checklist' } as RequestDescriptor<ChecklistParams, ChecklistResult>;

export interface AuditWorkspaceParams {
  /** A progress token of the client's (window/workDoneProgress). */
  workDoneToken?: string | number;
}

export interface AuditWorkspaceResult {
  files: Array<{ uri: string; diagnostics: Diagnostic[] }>;
  /** The same totals as `kgov audit` (engine/features/summary.ts). */
  summary: AuditSummary;
}

/** Client -> server: lint every manifest of the workspace (with progress; cancellable). */
export const AuditWorkspaceRequest = { method: 'kgov/auditWorkspace' } as RequestDescriptor<AuditWorkspaceParams, AuditWorkspaceResult>;

export interface ReadinessReportParams {
  /** The webview's script and style nonce (a fresh random string per rendering); the page loads nothing else. */
  nonce: string;
}

export interface ReadinessReportResult {
  /** The report of `kgov audit --format html`, with links that post `{ location: index }` (docs/scorecard.md). */
  html: string;
  /** What each link opens, by index: the only places the webview can ask to open. */
  locations: Array<{ uri: string; range: Diagnostic['range'] }>;
  /** Dimensions met, out of those with data. */
  met: number;
  measured: number;
}

/** Client -> server: the governance scorecard and readiness report of the workspace, as HTML for a webview. */
export const ReadinessReportRequest = { method: 'kgov/readinessReport' } as RequestDescriptor<ReadinessReportParams, ReadinessReportResult>;

export interface StatusParams {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  kubernetesVersion: string;
  preset: string;
  /** Manifest files and resources in the workspace index. */
  files: number;
  resources: number;
  /** Files left out of the index, with the reason (e.g. over 5 MB). */
  skipped: Array<{ uri: string; reason: string }>;
  trusted: boolean;
  message?: string;
  cluster?: ClusterStatus;
}

/** Cluster features (kgov.cluster.enable in a trusted workspace): which context, and how it went. */
export interface ClusterStatus {
  context?: string;
  state: 'off' | 'connecting' | 'connected' | 'error';
  /** What happened, in a sentence (the error, or the version and CRDs found). Never contains credentials. */
  message?: string;
  /** The API server URL. */
  server?: string;
  /** The cluster's version ("v1.30.4") when connected. */
  serverVersion?: string;
}

/** Server -> client: the state changed (indexing, ready, an error). */
export const StatusNotification = { method: 'kgov/status' } as NotificationDescriptor<StatusParams>;

/** Client -> server: the current state (same method as the notification). */
export const StatusRequest = { method: StatusNotification.method } as RequestDescriptor<void, StatusParams>;

export interface ClusterContextsResult {
  contexts: Array<{ name: string; cluster: string; server: string; namespace: string; current: boolean }>;
  /** kgov.cluster.context, or the kubeconfig's current context when it is empty. */
  selected?: string;
  /** Why there is no list (no kubeconfig, untrusted workspace). */
  error?: string;
}

/** Client -> server: the contexts of the user's kubeconfig (read locally; no cluster is contacted). */
export const ClusterContextsRequest = { method: 'kgov/clusterContexts' } as RequestDescriptor<void, ClusterContextsResult>;

/** Client -> server: forget cached cluster data, re-read the kubeconfig and connect again. */
export const RefreshClusterRequest = { method: 'kgov/refreshCluster' } as RequestDescriptor<void, ClusterStatus>;

export interface ValidateAgainstClusterParams {
  uri: string;
  workDoneToken?: string | number;
}

export interface ValidateAgainstClusterResult {
  context?: string;
  /** One entry per resource of the file. */
  documents: Array<{ docIndex: number; kind?: string; name?: string; namespace?: string; outcome: 'accepted' | 'rejected' | 'skipped'; message: string }>;
  /** `cluster/dry-run` findings, published as diagnostics of the document until it changes. */
  findings: number;
  durationMs: number;
  /** The dry run could not run (cluster features off, cluster unreachable, ...). */
  error?: string;
}

/** Client -> server: server-side apply dry run of every resource of a document. */
export const ValidateAgainstClusterRequest = { method: 'kgov/validateAgainstCluster' } as RequestDescriptor<ValidateAgainstClusterParams, ValidateAgainstClusterResult>;

/** Commands the server's code actions use; the client implements them. */
export const Commands = {
  showRuleDocumentation: 'kgov.showRuleDocumentation',
} as const;

/** What a kgov diagnostic carries in `data` for its code actions. */
export interface DiagnosticData {
  ruleId: string;
  messageId: string;
  docIndex: number;
  pointer: string;
  resourcePointer?: string;
  fixable: boolean;
  fixTitle?: string;
  /** Recorded in the baseline `.kgov.yaml` names: shown one severity lower, tagged (docs/baselines.md). */
  baselined?: true;
}
