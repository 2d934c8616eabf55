/** kgov: Audit Workspace — every manifest of the workspace, with progress and cancel; results in the Problems panel. */
import * as vscode from 'vscode';
import { AuditWorkspaceRequest, type AuditWorkspaceResult } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

let collection: vscode.DiagnosticCollection | undefined;

export function auditWorkspace(ctx: Ctx) {
  return async (): Promise<AuditWorkspaceResult['summary'] | undefined> => {
    const client = ctx.languageClient;
    if (!client) return undefined;
    collection ??= vscode.languages.createDiagnosticCollection('kgov-audit');
    ctx.subscribe(collection);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'kgov: auditing the workspace', cancellable: true },
      async (_progress, token) => {
        await ctx.whenReady();
        return client.sendRequest<AuditWorkspaceResult>(AuditWorkspaceRequest.method, {}, token);
      },
    ).then((r) => r, () => undefined);
    if (!result) return undefined;
    // Open documents already have live diagnostics; the audit fills in the files that are not open.
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    collection.clear();
    for (const file of result.files) {
      if (open.has(file.uri)) continue;
      collection.set(vscode.Uri.parse(file.uri), file.diagnostics.map((d) => client.protocol2CodeConverter.asDiagnostic(d)));
    }
    const { summary } = result;
    const message = `kgov: ${summary.files} files audited: ${summary.error} errors, ${summary.warning} warnings, ${summary.info} info${summary.suppressed ? `, ${summary.suppressed} waived` : ''}.`;
    void vscode.window.showInformationMessage(message, 'Open Checklist', 'Show Problems').then((choice) => {
      if (choice === 'Open Checklist') void vscode.commands.executeCommand('kgov.showChecklist');
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return summary;
  };
}
