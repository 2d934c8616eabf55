/** The status bar item: the active file's score and problem counts, and the cluster context when cluster features are on; a click opens the checklist. */
import * as vscode from 'vscode';
import type { ChecklistResult, ClusterStatus, StatusParams } from '../../../server/src/shared/protocol';

/** What the status item needs from the extension (a narrow view of its context). */
export interface StatusSource {
  readonly serverStatus: StatusParams | undefined;
  checklistOf(uri?: vscode.Uri): Promise<ChecklistResult | undefined>;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kgov.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private score: number | undefined;

  constructor(private readonly ctx: StatusSource) {
    this.item.name = 'kgov';
    this.item.command = 'kgov.showChecklist';
    this.disposables.push(this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics(() => this.update()));
  }

  /** Recomputes counts now and the score shortly after (it needs a server round trip). */
  update(): void {
    const editor = vscode.window.activeTextEditor;
    const status = this.ctx.serverStatus;
    if (!editor || editor.document.languageId !== 'yaml') {
      this.item.hide();
      return;
    }
    const kgov = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'kgov');
    const count = (severity: vscode.DiagnosticSeverity) => kgov.filter((d) => d.severity === severity).length;
    const errors = count(vscode.DiagnosticSeverity.Error);
    const warnings = count(vscode.DiagnosticSeverity.Warning);
    const busy = status?.state === 'indexing' || status?.state === 'starting';
    const score = this.score === undefined ? '' : ` ${this.score}`;
    this.item.text = `${busy ? '$(sync~spin)' : '$(shield)'} kgov${score} $(error) ${errors} $(warning) ${warnings}${clusterText(status?.cluster)}`;
    const cluster = status?.cluster && status.cluster.state !== 'off' ? `\n\nCluster: ${status.cluster.context ?? 'current context'} (${status.cluster.state})${status.cluster.message ? ` — ${status.cluster.message}` : ''}` : '';
    this.item.tooltip = new vscode.MarkdownString(
      `**kgov** — Kubernetes ${status?.kubernetesVersion ?? '?'}, preset \`${status?.preset ?? '?'}\`${status?.trusted === false ? ' (restricted: untrusted workspace)' : ''}\n\n` +
      `${status ? `${status.files} manifest files, ${status.resources} resources indexed${status.state === 'indexing' ? ' (indexing…)' : ''}` : 'starting…'}` +
      `${this.score === undefined ? '' : `\n\nRollout score of this file: ${this.score}/100`}${cluster}\n\nClick to open the Rollout Checklist.`);
    this.item.backgroundColor = status?.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : status?.cluster?.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refreshScore(editor.document.uri), 400);
  }

  private async refreshScore(uri: vscode.Uri): Promise<void> {
    const result = await this.ctx.checklistOf(uri).catch(() => undefined);
    const next = result && result.workloads.length > 0 ? result.score : undefined;
    if (next !== this.score && vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) {
      this.score = next;
      this.update();
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** The cluster context, when cluster features are on: its icon says connected, connecting or failing. */
function clusterText(cluster: ClusterStatus | undefined): string {
  if (!cluster || cluster.state === 'off') return '';
  const icon = cluster.state === 'connected' ? '$(cloud)' : cluster.state === 'connecting' ? '$(loading~spin)' : '$(debug-disconnect)';
  return ` ${icon} ${cluster.context ?? 'cluster'}`;
}
