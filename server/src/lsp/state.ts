/**
 * The language server's state: the one object server.ts creates and every handler module (diagnostics.ts,
 * features.ts, requests.ts) takes explicitly, and the small helpers over it: the folder of a path, the text of
 * a file, and logging that keeps the server alive.
 */
import type { ClientCapabilities, Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, SchemaCatalog } from '../engine';
import type { StatusParams } from '../shared/protocol';
import type { KgovSettings } from '../shared/settings';
import type { ClusterFeature } from './cluster';
import { pathOf } from './convert';
import { Folder } from './folders';

/** Work over many files (indexing, auditing) yields to the event loop at least this often (ms). */
const SLICE_MS = 8;

/**
 * For work over many files: `pause()` yields to the event loop once the current slice has run SLICE_MS, so that
 * document events and requests are served in between (a file opened during indexing waits for one slice, not for
 * a batch of files); it says whether it yielded (a moment to report progress).
 */
export function timeSlices(): { pause(): Promise<boolean> } {
  let started = performance.now();
  return {
    async pause() {
      if (performance.now() - started < SLICE_MS) return false;
      await new Promise((resolve) => setImmediate(resolve));
      started = performance.now();
      return true;
    },
  };
}

export interface ServerState {
  readonly connection: Connection;
  /** The open documents, as the client syncs them. */
  readonly documents: TextDocuments<TextDocument>;
  readonly catalog: SchemaCatalog;
  /** The workspace folders (from initialize). */
  readonly folders: Folder[];
  /** The folder of documents outside every workspace folder, made on first use. */
  outside: Folder | undefined;
  /** The client's, from initialize. */
  capabilities: ClientCapabilities;
  /** From initialize: used until (or where) the client's configuration cannot be asked for. */
  initialSettings: KgovSettings;
  /** The client pulls diagnostics (textDocument/diagnostic); otherwise the server publishes them. */
  pull: boolean;
  readonly cluster: ClusterFeature;
  /** What kgov/status reports; sent on every change (requests.ts, sendStatus). */
  readonly status: StatusParams;
  /** Findings of the last "Validate Against Cluster" per document, shown while its text is unchanged. */
  readonly dryRuns: Map<string, { text: string; findings: Finding[] }>;
  // Diagnostics scheduling (diagnostics.ts), per document URI:
  /** Debounce timers of pending lints. */
  readonly timers: Map<string, NodeJS.Timeout>;
  /** Timers of the full (settled) lint after typing pauses. */
  readonly settleTimers: Map<string, NodeJS.Timeout>;
  /** When each document was last linted (Date.now()). */
  readonly lastLint: Map<string, number>;
  /** The diagnostics last published (push mode), to skip re-sending unchanged ones. */
  readonly published: Map<string, Diagnostic[]>;
  /** The pending re-lint of the other open documents. */
  othersTimer: NodeJS.Timeout | undefined;
  /** What it is for: the document that changed (not re-checked), and the kinds of resources that changed. */
  othersPending: { except: string | undefined; kinds: ReadonlySet<string> | 'all' } | undefined;
}

export function log(state: Pick<ServerState, 'connection'>, message: string): void {
  state.connection.console.log(`[kgov] ${message}`);
}

export function failed(state: Pick<ServerState, 'connection'>, where: string, error: unknown): void {
  state.connection.console.error(`[kgov] ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
}

/** A request handler's body: an exception is logged and the request gets `fallback`; the server keeps serving. */
export function guarded<T>(state: Pick<ServerState, 'connection'>, where: string, fallback: T, body: () => T): T {
  try {
    return body();
  } catch (error) {
    failed(state, where, error);
    return fallback;
  }
}

export function openText(state: Pick<ServerState, 'documents'>, path: string): string | undefined {
  return state.documents.all().find((d) => pathOf(d.uri) === path)?.getText();
}

export function isOpen(state: Pick<ServerState, 'documents'>, path: string): boolean {
  return openText(state, path) !== undefined;
}

/** The text of a file: the open document's, else the disk's. */
export async function textOf(state: Pick<ServerState, 'documents'>, path: string): Promise<string | undefined> {
  const open = openText(state, path);
  if (open !== undefined) return open;
  try {
    const { readFile } = await import('node:fs/promises');
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The workspace folders and, once made, the outside folder. */
export function allFolders(state: Pick<ServerState, 'folders' | 'outside'>): Folder[] {
  return [...state.folders, ...(state.outside ? [state.outside] : [])];
}

/** The innermost workspace folder holding `path`, else the outside folder. */
export function folderOf(state: ServerState, path: string): Folder {
  const matching = state.folders.filter((f) => f.contains(path)).sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));
  if (matching[0]) return matching[0];
  if (!state.outside) {
    state.outside = new Folder('outside', undefined, state.initialSettings, state.catalog, (p) => openText(state, p));
    state.outside.setCluster(state.cluster.validationFacts);
  }
  return state.outside;
}
