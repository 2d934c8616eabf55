/** kgov: Select Kubernetes Version / Select Preset — quick picks that write the setting. */
import * as vscode from 'vscode';
import { BUNDLED_VERSIONS, PRESETS } from '../../../server/src/shared/settings';
import type { Ctx } from '../ctx';

const target = () => (vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);

export function selectKubernetesVersion(ctx: Ctx) {
  return async (version?: string): Promise<void> => {
    const current = vscode.workspace.getConfiguration('kgov').get<string>('kubernetesVersion') ?? '';
    const picked = version ?? (await vscode.window.showQuickPick(
      [{ label: 'From .kgov.yaml', description: 'or 1.34', value: '' }, ...[...BUNDLED_VERSIONS].reverse().map((v) => ({ label: `Kubernetes ${v}`, description: v === current ? 'current' : '', value: v }))],
      { title: 'kgov: Kubernetes version to validate against', placeHolder: `Current: ${current || `${ctx.serverStatus?.kubernetesVersion ?? '1.34'} (from .kgov.yaml or default)`}` },
    ))?.value;
    if (picked === undefined) return;
    await vscode.workspace.getConfiguration('kgov').update('kubernetesVersion', picked, target());
  };
}

const PRESET_TEXT: Record<string, string> = {
  recommended: 'Quiet, high-signal rules (default)',
  strict: 'What a production platform team enforces',
  all: 'Every rule',
  'pss-baseline': 'Pod Security Standards: baseline',
  'pss-restricted': 'Pod Security Standards: restricted',
  polaris: 'What Polaris checks by default',
  'kube-linter': 'What kube-linter checks by default',
  'kube-score': 'What kube-score checks by default',
};

export function selectPreset(ctx: Ctx) {
  return async (preset?: string): Promise<void> => {
    const picked = preset ?? (await vscode.window.showQuickPick(
      [{ label: 'From .kgov.yaml', description: '`extends`, or recommended', value: '' }, ...PRESETS.map((p) => ({ label: p, description: PRESET_TEXT[p], value: p }))],
      { title: 'kgov: preset', placeHolder: `Current: ${ctx.serverStatus?.preset ?? 'recommended'}` },
    ))?.value;
    if (picked === undefined) return;
    await vscode.workspace.getConfiguration('kgov').update('preset', picked, target());
  };
}
