// Selftest server: one warning "hello" (code hello-code) on line 1 of every YAML document.
// Transport comes from argv: --node-ipc when VS Code forks it, --stdio under Neovim.
const { createConnection, TextDocuments, ProposedFeatures, TextDocumentSyncKind, DiagnosticSeverity } =
  require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));

function validate(doc) {
  const firstLine = doc.getText().split(/\r?\n/)[0] || '';
  connection.sendDiagnostics({
    uri: doc.uri,
    diagnostics: [{
      severity: DiagnosticSeverity.Warning, source: 'kgov-e2e-hello', code: 'hello-code', message: 'hello',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: Math.max(1, firstLine.length) } },
    }],
  });
}
documents.onDidChangeContent((e) => validate(e.document));
documents.listen(connection);
connection.listen();
