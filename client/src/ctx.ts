/**
 * The extension's context: owns the language client, the checklist view, the status bar item, the output
 * channel and every disposable. Commands get it from the command table (rust-analyzer's Ctx).
 */
import * as vscode from 'vscode';
import {
  CloseAction, DidChangeConfigurationNotification, ErrorAction, LanguageClient, RevealOutputChannelOn, State, TransportKind,
  type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { ChecklistRequest, StatusNotification, StatusRequest, type ChecklistResult, type StatusParams } from '../../server/src/shared/protocol';
import { onNotification, sendRequest } from './messages';
import { readSettings } from './settings';
import { ChecklistView } from './views/checklist';
import { StatusItem } from './views/status';

/** Crashes within this window count together; after MAX_CRASHES the user is told and restarts stop. */
const CRASH_WINDOW_MS = 3 * 60 * 1000;
const MAX_CRASHES = 5;

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly checklist: ChecklistView;
  readonly status: StatusItem;
  /**
   * Findings of files that are not open, from the last Audit Workspace. A file's entry is dropped when it opens
   * (the server's live diagnostics take over; keeping both would list every finding twice) and all entries are
   * dropped when settings change or the server restarts (they were computed with the old settings).
   */
  readonly auditDiagnostics: vscode.DiagnosticCollection;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private crashes: number[] = [];
  private lastStatus: StatusParams | undefined;
  /** Resolved when the server reports its index is ready (tests and the audit command wait on it). */
  private readyWaiters: Array<() => void> = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('kgov', { log: true });
    this.checklist = new ChecklistView(this);
    this.status = new StatusItem(this);
    this.auditDiagnostics = vscode.languages.createDiagnosticCollection('kgov-audit');
    this.disposables.push(this.output, this.checklist, this.status, this.auditDiagnostics,
      vscode.workspace.onDidOpenTextDocument((document) => this.auditDiagnostics.delete(document.uri)));
  }

  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  get serverStatus(): StatusParams | undefined {
    return this.lastStatus;
  }

  async start(): Promise<void> {
    const module = this.extension.asAbsolutePath('server/out/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'yaml' }, { scheme: 'untitled', language: 'yaml' }],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { settings: readSettings(), trusted: vscode.workspace.isTrusted },
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}') },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => this.onServerClosed(),
      },
      middleware: {
        workspace: {
          // The server asks for `kgov` per folder; it always gets complete, defaulted settings.
          configuration: (params) => params.items.map((item) => {
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return item.section === 'kgov' || item.section === undefined ? readSettings(scope) : null;
          }),
        },
        provideCodeActions: (document, range, context, token, next) =>
          next(document, range, { ...context, diagnostics: context.diagnostics.filter((d) => d.source === 'kgov') }, token),
      },
    };
    this.client = new LanguageClient('kgov', 'kgov', serverOptions, clientOptions);
    this.disposables.push(onNotification(this.client, StatusNotification, (status) => this.onStatus(status)));
    await this.client.start();
    this.onStatus(await sendRequest(this.client, StatusRequest));
  }

  private onServerClosed(): { action: CloseAction; message?: string; handled?: boolean } {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length >= MAX_CRASHES) {
      void vscode.window.showErrorMessage(`The kgov language server crashed ${this.crashes.length} times in 3 minutes and will not be restarted.`, 'Show Output', 'Restart')
        .then((choice) => {
          if (choice === 'Show Output') this.output.show();
          if (choice === 'Restart') void this.restart();
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    // Back off: the nth crash in the window waits n seconds before the restart.
    const delay = 1000 * this.crashes.length;
    this.output.appendLine(`[kgov] the language server stopped; restarting in ${delay / 1000} s`);
    setTimeout(() => void this.client?.start().catch((e: unknown) => this.output.appendLine(`[kgov] restart failed: ${String(e)}`)), delay);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private onStatus(status: StatusParams): void {
    this.lastStatus = status;
    void vscode.commands.executeCommand('setContext', 'kgov.active', true);
    this.status.update();
    if (status.state === 'ready') {
      for (const resolve of this.readyWaiters.splice(0)) resolve();
      this.checklist.refresh();
    }
  }

  /** Resolves when the server's workspace index is ready. */
  whenReady(): Promise<void> {
    if (this.lastStatus?.state === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async restart(): Promise<void> {
    this.crashes = [];
    this.auditDiagnostics.clear();
    if (!this.client) return this.start();
    await this.client.restart();
    this.onStatus(await sendRequest(this.client, StatusRequest));
  }

  async checklistOf(uri?: vscode.Uri, token?: vscode.CancellationToken): Promise<ChecklistResult | undefined> {
    const client = this.languageClient;
    if (!client) return undefined;
    // sendRequest passes no token argument when there is none (see there).
    return sendRequest(client, ChecklistRequest, uri ? { uri: uri.toString() } : {}, token);
  }

  /** Settings changed (or workspace trust was granted): the server re-reads them. */
  async settingsChanged(): Promise<void> {
    this.auditDiagnostics.clear();
    await this.client?.sendNotification(DidChangeConfigurationNotification.type, { settings: { kgov: readSettings() } });
  }

  subscribe(...items: vscode.Disposable[]): void {
    this.disposables.push(...items);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  async stop(): Promise<void> {
    await this.client?.stop();
  }
}
