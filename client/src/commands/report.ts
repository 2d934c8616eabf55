/**
 * kgov: Show Readiness Report — the governance scorecard and readiness report (the HTML `kgov audit --format html`
 * writes) in a webview. Strict content security policy: the server renders the page with a fresh nonce, and only
 * that nonce's style and script run. The page can only ask to open one of the locations the server listed, by index.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ReadinessReportRequest, type ReadinessReportResult } from '../../../server/src/shared/protocol';
import type { Ctx } from '../ctx';
import { sendRequest } from '../messages';

let panel: vscode.WebviewPanel | undefined;
let locations: ReadinessReportResult['locations'] = [];

async function openLocation(message: unknown): Promise<void> {
  const index = typeof message === 'object' && message !== null ? (message as { location?: unknown }).location : undefined;
  if (typeof index !== 'number' || !Number.isInteger(index)) return;
  const target = locations[index];
  if (!target) return;
  const { start, end } = target.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character), viewColumn: vscode.ViewColumn.One,
  });
}

export function showReadinessReport(ctx: Ctx) {
  return async (): Promise<{ met: number; measured: number } | undefined> => {
    const client = ctx.languageClient;
    if (!client) return undefined;
    if (!panel) {
      panel = vscode.window.createWebviewPanel('kgov.readinessReport', 'kgov Readiness Report', vscode.ViewColumn.Beside, {
        enableScripts: true, localResourceRoots: [], enableFindWidget: true,
      });
      panel.onDidDispose(() => { panel = undefined; });
      panel.webview.onDidReceiveMessage((message: unknown) => void openLocation(message).catch((error: unknown) => {
        void vscode.window.showErrorMessage(`kgov: cannot open the location: ${error instanceof Error ? error.message : String(error)}`);
      }));
    } else panel.reveal(vscode.ViewColumn.Beside);
    const webview = panel.webview;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'kgov: readiness report' }, async () => {
        await ctx.whenReady();
        return sendRequest(client, ReadinessReportRequest, { nonce: randomBytes(16).toString('base64url') });
      });
      locations = result.locations;
      webview.html = result.html;
      return { met: result.met, measured: result.measured };
    } catch (error) {
      void vscode.window.showErrorMessage(`kgov: the readiness report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
}
