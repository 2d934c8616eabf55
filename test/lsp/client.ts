/**
 * A real LSP client for protocol tests: starts the bundled server (server/out/server.js --stdio) as a child
 * process and speaks JSON-RPC to it with vscode-jsonrpc. Waits on messages, never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { StatusParams } from '../../server/src/shared/protocol';

export const SERVER = resolve(__dirname, '../../server/out/server.js');

export interface TestClient {
  connection: MessageConnection;
  process: ChildProcess;
  /** Latest diagnostics per URI, with the document version they were computed for. */
  diagnostics: Map<string, { version?: number; diagnostics: Diagnostic[] }>;
  /** Every publishDiagnostics, in order, with the server's status (kgov/status) when it arrived. */
  published: Array<{ uri: string; version?: number; diagnostics: Diagnostic[]; status?: StatusParams['state'] }>;
  /** Resolves when a publishDiagnostics for `uri` satisfies `accept` (checks the latest one first). */
  waitForDiagnostics(uri: string, accept?: (d: Diagnostic[], version?: number) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  waitForStatus(state: StatusParams['state'], timeoutMs?: number): Promise<StatusParams>;
  /** Resolves when a kgov/status notification (the latest first) satisfies `accept`. */
  waitForStatusWhere(accept: (status: StatusParams) => boolean, timeoutMs?: number): Promise<StatusParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: Array<{ range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }>): void;
  stop(): Promise<void>;
  log: string[];
  /** Messages the server logged as errors (window/logMessage type 1): exceptions it caught. */
  errors: string[];
  /** Work-done progress the server reported ($/progress values: begin, report, end). */
  progress: Array<{ kind: string; title?: string; message?: string; percentage?: number }>;
}

export interface ClientOptions {
  folder: string;
  /** More workspace folders besides `folder` (each gets its own index and configuration in the server). */
  moreFolders?: string[];
  settings?: Record<string, unknown>;
  pull?: boolean;
  trusted?: boolean;
}

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

export async function startClient(options: ClientOptions): Promise<TestClient> {
  // KGOV_SERVER_NODE_ARGS passes flags to the server's node (e.g. --cpu-prof when profiling the benchmark).
  const nodeArgs = process.env.KGOV_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  const published: TestClient['published'] = [];
  const listeners = new Set<() => void>();
  const log: string[] = [];
  const errors: string[] = [];
  let status: StatusParams | undefined;
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
    diagnostics.set(p.uri, { ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
    published.push({ ...p, ...(status ? { status: status.state } : {}) });
    notify();
  });
  connection.onNotification('kgov/status', (s: StatusParams) => {
    status = s;
    notify();
  });
  connection.onNotification('window/logMessage', (m: { type?: number; message: string }) => {
    log.push(m.message);
    if (m.type === 1) errors.push(m.message);
  });
  const progress: TestClient['progress'] = [];
  connection.onNotification('$/progress', (p: { value: TestClient['progress'][number] }) => {
    progress.push(p.value);
  });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.settings ?? {}));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();

  const until = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolveWait, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return;
        listeners.delete(attempt);
        clearTimeout(timer);
        resolveWait(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(attempt);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      listeners.add(attempt);
      attempt();
    });

  const folderUri = uri(options.folder);
  await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'test' }, ...(options.moreFolders ?? []).map((f, i) => ({ uri: uri(f), name: `test${i + 2}` }))],
    initializationOptions: { trusted: options.trusted ?? true, settings: options.settings ?? {} },
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: false } },
      window: { workDoneProgress: true },
      textDocument: {
        codeAction: { resolveSupport: { properties: ['edit'] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        hover: { contentFormat: ['markdown'] },
        ...(options.pull ? { diagnostic: {} } : {}),
      },
    },
  });
  connection.sendNotification('initialized', {});

  return {
    connection, process: child, diagnostics, published, log, errors, progress,
    waitForDiagnostics: (target, accept = () => true, timeoutMs = 20_000) => until(() => {
      const latest = diagnostics.get(target);
      return latest && accept(latest.diagnostics, latest.version) ? latest.diagnostics : undefined;
    }, timeoutMs, `diagnostics of ${target}`),
    waitForStatus: (state, timeoutMs = 60_000) => until(() => (status?.state === state ? status : undefined), timeoutMs, `status ${state}`),
    waitForStatusWhere: (accept, timeoutMs = 60_000) => until(() => (status && accept(status) ? status : undefined), timeoutMs, 'a matching status'),
    open: (target, text, version = 1) => connection.sendNotification('textDocument/didOpen', { textDocument: { uri: target, languageId: 'yaml', version, text } }),
    change: (target, version, changes) => connection.sendNotification('textDocument/didChange', { textDocument: { uri: target, version }, contentChanges: changes }),
    stop: async () => {
      const gone = child.exitCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve();
      try {
        await connection.sendRequest('shutdown');
        connection.sendNotification('exit');
      } catch {
        // already gone
      }
      // The server exits on `exit`; only a server that does not is killed.
      const timer = setTimeout(() => child.kill(), 3000);
      await gone;
      clearTimeout(timer);
      connection.dispose();
    },
  };
}

export const EXAMPLES = resolve(__dirname, '../../examples');
export const exampleFile = (relative: string) => join(EXAMPLES, relative);
