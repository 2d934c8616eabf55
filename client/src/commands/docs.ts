/** kgov: Open Rule Documentation — the bundled docs/rules pages, in a Markdown preview (works offline). */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

async function ruleIds(ctx: Ctx): Promise<string[]> {
  const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules');
  const ids: string[] = [];
  const walk = async (dir: vscode.Uri, prefix: string) => {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
      if (type === vscode.FileType.Directory) await walk(vscode.Uri.joinPath(dir, name), `${prefix}${name}/`);
      else if (name.endsWith('.md') && name !== 'README.md') ids.push(`${prefix}${name.slice(0, -3)}`);
    }
  };
  await walk(root, '');
  return ids.sort();
}

export function showRuleDocumentation(ctx: Ctx) {
  return async (ruleId?: string): Promise<void> => {
    const id = ruleId ?? (await vscode.window.showQuickPick(['README', ...(await ruleIds(ctx))], { title: 'kgov: rule documentation', placeHolder: 'Rule id' }));
    if (!id) return;
    const page = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules', `${id}.md`);
    await vscode.commands.executeCommand('markdown.showPreview', page);
  };
}
