/** The kgov VS Code extension: starts the bundled language server and wires commands, views and settings. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';

let ctx: Ctx | undefined;

/** What the extension exports: used by its end-to-end tests. */
export interface KgovApi {
  ready(): Promise<void>;
  checklist(): Promise<unknown>;
}

export async function activate(context: vscode.ExtensionContext): Promise<KgovApi> {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  ctx.checklist.register();
  registerCommands(ctx);
  const current = ctx;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('kgov')) void current.settingsChanged().then(() => current.checklist.refresh());
    }),
    // Trusting the workspace enables policies and cluster features: the server re-reads settings (with `trusted`).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart()),
  );
  await ctx.start();
  return {
    ready: () => current.whenReady(),
    checklist: () => current.checklist.load(),
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
}
