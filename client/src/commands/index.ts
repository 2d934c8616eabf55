/** Every command, in one table (rust-analyzer's command factories): each gets the context and returns a handler. */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { auditWorkspace } from './audit';
import { refreshCluster, selectClusterContext, validateAgainstCluster } from './cluster';
import { showRuleDocumentation } from './docs';
import { showReadinessReport } from './report';
import { selectKubernetesVersion, selectPreset } from './settings';

type Factory = (ctx: Ctx) => (...args: never[]) => unknown;

const COMMANDS: Record<string, Factory> = {
  'kgov.auditWorkspace': auditWorkspace,
  'kgov.showChecklist': (ctx) => async () => {
    await vscode.commands.executeCommand('kgov.checklist.focus');
    return ctx.checklist.load();
  },
  'kgov.refreshChecklist': (ctx) => () => ctx.checklist.load(),
  'kgov.showReadinessReport': showReadinessReport,
  'kgov.fixAll': () => async () => {
    if (!vscode.window.activeTextEditor) return;
    await vscode.commands.executeCommand('editor.action.sourceAction', { kind: 'source.fixAll.kgov', apply: 'first' });
  },
  'kgov.selectKubernetesVersion': selectKubernetesVersion,
  'kgov.selectPreset': selectPreset,
  'kgov.restartServer': (ctx) => () => ctx.restart(),
  'kgov.showOutput': (ctx) => () => ctx.output.show(),
  'kgov.openRuleDocumentation': showRuleDocumentation,
  'kgov.showRuleDocumentation': showRuleDocumentation,
  'kgov.selectClusterContext': selectClusterContext,
  'kgov.refreshCluster': refreshCluster,
  'kgov.validateAgainstCluster': validateAgainstCluster,
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(COMMANDS)) ctx.subscribe(vscode.commands.registerCommand(id, factory(ctx)));
}
