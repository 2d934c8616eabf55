/** kgov: Audit Workspace — every manifest of the workspace, with progress and cancel; results in the Problems panel. */
import * as vscode from 'vscode';
import { AuditWorkspaceRequest, type AuditWorkspaceResult } from '../../../server/src/shared/protocol';
import type { Ctx } from '../ctx';
import { sendRequest } from '../messages';

export function auditWorkspace(ctx: Ctx) {
  return async (): Promise<AuditWorkspaceResult['summary'] | undefined> => {
    const client = ctx.languageClient;
    if (!client) return undefined;
    let cancelled = false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'kgov: auditing the workspace', cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(() => { cancelled = true; });
        await ctx.whenReady();
        return sendRequest(client, AuditWorkspaceRequest, {}, token);
      },
    ).then((r) => r, (error: unknown) => {
      // a cancelled audit ends quietly; a failed one says so (and where to look)
      if (!cancelled) {
        void vscode.window.showErrorMessage(`kgov: the workspace audit failed: ${error instanceof Error ? error.message : String(error)}`, 'Show Output')
          .then((choice) => { if (choice === 'Show Output') ctx.output.show(); });
      }
      return undefined;
    });
    if (!result) return undefined;
    // Open documents already have live diagnostics; the audit fills in the files that are not open.
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    ctx.auditDiagnostics.clear();
    for (const file of result.files) {
      if (open.has(file.uri)) continue;
      ctx.auditDiagnostics.set(vscode.Uri.parse(file.uri), file.diagnostics.map((d) => client.protocol2CodeConverter.asDiagnostic(d)));
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
