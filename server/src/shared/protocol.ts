/**
 * kgov's custom LSP messages, shared by the server and the VS Code client (which imports this file by path).
 * Each message: its params and result types, a namespace with the `method`, and who sends it and why.
 * Types only (no runtime import): the server and the client libraries pin different protocol packages.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';

export type ItemStatus = 'pass' | 'fail' | 'waived' | 'notApplicable';

export interface ChecklistItem {
  ruleId: string;
  status: ItemStatus;
  severity: 'error' | 'warning' | 'info';
  message: string;
  uri: string;
  range: Range;
  reason?: string;
  /** Computed from the live cluster (cluster features). */
  live?: boolean;
}

export interface WorkloadChecklist {
  uri: string;
  kind: string;
  name: string;
  namespace: string;
  range: Range;
  groups: Array<{ group: string; items: ChecklistItem[] }>;
  score: number;
}

export interface ChecklistParams {
  /** Only the workloads of this document (the status bar); all workloads of the workspace when absent. */
  uri?: string;
}

export interface ChecklistResult {
  workloads: WorkloadChecklist[];
  /** 0-100, weighted over every item (docs/checklist.md). */
  score: number;
}

/** Client -> server: the rollout checklist of the workspace or of one document. */
export namespace ChecklistRequest {
  export const method = 'kgov/checklist' as const;
}

export interface AuditWorkspaceParams {
  /** A progress token of the client's (window/workDoneProgress). */
  workDoneToken?: string | number;
}

export interface AuditWorkspaceResult {
  files: Array<{ uri: string; diagnostics: Diagnostic[] }>;
  summary: { files: number; documents: number; error: number; warning: number; info: number; suppressed: number; durationMs: number };
}

/** Client -> server: lint every manifest of the workspace (with progress; cancellable). */
export namespace AuditWorkspaceRequest {
  export const method = 'kgov/auditWorkspace' as const;
}

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

/**
 * Server -> client notification when the state changes (indexing, ready, an error), and client -> server
 * request for the current state.
 */
export namespace StatusNotification {
  export const method = 'kgov/status' as const;
}
export namespace StatusRequest {
  export const method = 'kgov/status' as const;
}

export interface ClusterContextsResult {
  contexts: Array<{ name: string; cluster: string; server: string; namespace: string; current: boolean }>;
  /** kgov.cluster.context, or the kubeconfig's current context when it is empty. */
  selected?: string;
  /** Why there is no list (no kubeconfig, untrusted workspace). */
  error?: string;
}

/** Client -> server: the contexts of the user's kubeconfig (read locally; no cluster is contacted). */
export namespace ClusterContextsRequest {
  export const method = 'kgov/clusterContexts' as const;
}

/** Client -> server: forget cached cluster data, re-read the kubeconfig and connect again. Result: ClusterStatus. */
export namespace RefreshClusterRequest {
  export const method = 'kgov/refreshCluster' as const;
}

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
export namespace ValidateAgainstClusterRequest {
  export const method = 'kgov/validateAgainstCluster' as const;
}

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
}
