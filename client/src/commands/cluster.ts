/**
 * Cluster commands: Select Cluster Context (a quick pick of the kubeconfig's contexts, read by the server),
 * Refresh Cluster Data, and Validate Against Cluster (a server-side apply dry run of the active file, whose
 * rejections appear as diagnostics). The server does the work; these only ask and report.
 */
import * as vscode from 'vscode';
import {
  ClusterContextsRequest, RefreshClusterRequest, ValidateAgainstClusterRequest, type ClusterStatus, type ValidateAgainstClusterResult,
} from '../../../server/src/shared/protocol';
import type { Ctx } from '../ctx';
import { sendRequest } from '../messages';

/** Contexts are personal (they name the user's clusters): written to user settings unless the workspace sets one. */
function targetOf(key: string): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration('kgov').inspect(key);
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

async function reportError(ctx: Ctx, message: string): Promise<void> {
  ctx.output.appendLine(`[kgov] ${message}`);
  const choice = await vscode.window.showErrorMessage(`kgov: ${message}`, 'Show Output', 'Refresh Cluster Data');
  if (choice === 'Show Output') ctx.output.show();
  if (choice === 'Refresh Cluster Data') await vscode.commands.executeCommand('kgov.refreshCluster');
}

export function selectClusterContext(ctx: Ctx) {
  return async (name?: string): Promise<string | undefined> => {
    const client = ctx.languageClient;
    if (!client) return undefined;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('kgov: cluster features need a trusted workspace.');
      return undefined;
    }
    let picked = name;
    if (picked === undefined) {
      const result = await sendRequest(client, ClusterContextsRequest);
      if (result.error) {
        await reportError(ctx, result.error);
        return undefined;
      }
      const items = [
        { label: 'Current context of the kubeconfig', description: result.contexts.find((c) => c.current)?.name ?? '', value: '' },
        ...result.contexts.map((c) => ({
          label: c.name, description: c.server, value: c.name,
          detail: `cluster ${c.cluster} · namespace ${c.namespace}${c.current ? ' · current context' : ''}${c.name === result.selected ? ' · selected' : ''}`,
        })),
      ];
      picked = (await vscode.window.showQuickPick(items, { title: 'kgov: cluster context', placeHolder: `Selected: ${result.selected ?? 'none'}`, matchOnDescription: true }))?.value;
      if (picked === undefined) return undefined;
    }
    const config = vscode.workspace.getConfiguration('kgov');
    await config.update('cluster.context', picked, targetOf('cluster.context'));
    if (config.get('cluster.enable') !== true) {
      const choice = await vscode.window.showInformationMessage('kgov: cluster features are off. Turn them on? kgov then reads the cluster\'s version and CRDs, and dry runs and live checklist items become available.', 'Turn On');
      if (choice === 'Turn On') await config.update('cluster.enable', true, targetOf('cluster.enable'));
    }
    return picked;
  };
}

export function refreshCluster(ctx: Ctx) {
  return async (): Promise<ClusterStatus | undefined> => {
    const client = ctx.languageClient;
    if (!client) return undefined;
    const status = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'kgov: refreshing cluster data' },
      () => sendRequest(client, RefreshClusterRequest));
    if (status.state === 'off') void vscode.window.showInformationMessage('kgov: cluster features are off (setting kgov.cluster.enable, in a trusted workspace).');
    else if (status.state === 'error') await reportError(ctx, status.message ?? 'the cluster cannot be reached');
    ctx.checklist.refresh();
    return status;
  };
}

export function validateAgainstCluster(ctx: Ctx) {
  return async (target?: vscode.Uri): Promise<ValidateAgainstClusterResult | undefined> => {
    const client = ctx.languageClient;
    const uri = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!client) return undefined;
    if (!uri) {
      void vscode.window.showWarningMessage('kgov: open a Kubernetes manifest to validate it against the cluster.');
      return undefined;
    }
    const context = ctx.serverStatus?.cluster?.context;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `kgov: server-side dry run${context ? ` on "${context}"` : ''}`, cancellable: true },
      (_progress, token) => sendRequest(client, ValidateAgainstClusterRequest, { uri: uri.toString() }, token),
    ).then((r) => r, () => undefined);
    if (!result) return undefined;
    if (result.error) {
      await reportError(ctx, result.error);
      return result;
    }
    const count = (outcome: string) => result.documents.filter((d) => d.outcome === outcome).length;
    for (const d of result.documents) ctx.output.appendLine(`[kgov] dry run ${d.kind ?? '?'} ${d.name ?? '?'}: ${d.outcome}: ${d.message}`);
    const summary = `kgov: dry run on "${result.context}": ${count('accepted')} accepted, ${count('rejected')} rejected${count('skipped') ? `, ${count('skipped')} skipped` : ''} (${result.durationMs} ms).`;
    const show = result.findings > 0 ? 'Show Problems' : count('skipped') > 0 ? 'Show Output' : undefined;
    const notify = result.findings > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void notify(summary, ...(show ? [show] : [])).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      if (choice === 'Show Output') ctx.output.show();
    });
    return result;
  };
}
