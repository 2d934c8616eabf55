/** Hover and document symbols from the kgov server, through VS Code's provider commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { kgov, open, rangeOf, span } from './util';

const hoverText = (hovers: vscode.Hover[]) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

suite('editor features', () => {
  suiteSetup(() => kgov());

  test('hover on a field shows its schema documentation for the selected Kubernetes version', async () => {
    const { document: doc } = await open('shop/web/deployment.yaml');
    const [line, character] = span(doc, /^  (replicas):/dm);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character + 2));
    const text = hoverText(hovers ?? []);
    assert.match(text, /replicas/);
    assert.match(text, /desired pods/i, `hover text: ${text}`);
  });

  test('document symbols: one per resource of a multi-document file', async () => {
    const { document: doc } = await open('shop/rbac/web.yaml');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols?.map((s) => s.name), ['ServiceAccount web', 'Role web', 'RoleBinding web']);
    const role = symbols?.[1];
    assert.ok(role);
    assert.deepEqual(rangeOf(role.selectionRange), span(doc, /^kind: Role\nmetadata:\n  name: (web)$/dm));
  });

  // VS Code rejects the whole answer when one selectionRange is outside its range: then there is no outline at all.
  test('document symbols: containers inside their workload', async () => {
    const { document: doc } = await open('shop/web/deployment.yaml');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols?.length, 'no document symbols (VS Code drops them all when one is malformed)');
    assert.deepEqual(symbols.map((s) => [s.name, s.children.map((c) => c.name)]), [['Deployment web', ['web']]]);
  });
});
