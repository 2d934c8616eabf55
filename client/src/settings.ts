/** Reads `kgov.*` for a scope and hands the server complete, defaulted settings (vscode-eslint's readConfiguration). */
import * as vscode from 'vscode';
import { withDefaults, type KgovSettings } from '../../server/src/shared/settings';

export function readSettings(scope?: vscode.ConfigurationScope): KgovSettings {
  const config = vscode.workspace.getConfiguration('kgov', scope);
  return withDefaults({
    kubernetesVersion: config.get('kubernetesVersion'),
    preset: config.get('preset'),
    rules: config.get('rules'),
    validate: { enable: config.get('validate.enable') },
    trace: { server: config.get('trace.server') },
    // Cluster features never run in an untrusted workspace, whatever the setting says.
    cluster: { enable: vscode.workspace.isTrusted && config.get('cluster.enable') === true, context: config.get('cluster.context') },
    crdCatalog: { enable: config.get('crdCatalog.enable'), exclude: config.get('crdCatalog.exclude') },
    // helm and kustomize run only in a trusted workspace (the server checks `trusted` too).
    helm: { enable: vscode.workspace.isTrusted && config.get('helm.enable') !== false, path: config.get('helm.path') },
    kustomize: { enable: vscode.workspace.isTrusted && config.get('kustomize.enable') === true, path: config.get('kustomize.path') },
    trusted: vscode.workspace.isTrusted,
  });
}
