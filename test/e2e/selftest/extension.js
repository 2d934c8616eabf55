// Selftest client. No "dependencies" in package.json on purpose: vscode-languageclient resolves from the repo's
// node_modules (two levels up) in dev mode, and pack.mjs bundles it for the vsix.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;
exports.activate = async function activate(context) {
  const module = context.asAbsolutePath('server.js');
  client = new LanguageClient('kgovE2eHello', 'kgov e2e hello',
    { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
    { documentSelector: [{ scheme: 'file', language: 'yaml' }] });
  context.subscriptions.push(vscode.commands.registerCommand('kgovE2eHello.ping', () => 'pong'));
  await client.start();
  console.log('[kgov-e2e-hello] client started, node', process.version);
};
exports.deactivate = () => client && client.stop();
