// Runs inside code-server's extension host. Not named *.test.js so the repo's unit-test globs never pick it up.
const assert = require('assert');
const vscode = require('vscode');

function waitForDiagnostics(uri, ms = 30000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (d.length) { sub.dispose(); clearTimeout(timer); resolve(d); }
    };
    const sub = vscode.languages.onDidChangeDiagnostics(check);
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no diagnostics within ${ms} ms`)); }, ms);
    check();
  });
}

describe('kgov e2e selftest: hello LSP in the extension host', () => {
  it('publishes "hello" on line 1 of a YAML file', async () => {
    const ext = vscode.extensions.getExtension('kgov-e2e.kgov-e2e-hello');
    assert.ok(ext, 'extension not found');
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'test.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diags = await waitForDiagnostics(uri);
    assert.ok(ext.isActive);
    assert.deepStrictEqual(diags.map((d) => [d.message, d.range.start.line, d.source, d.code]),
      [['hello', 0, 'kgov-e2e-hello', 'hello-code']]);
  });

  it('runs a contributed command', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('kgovE2eHello.ping'), 'pong');
  });

  // the ext host inherits the runner's environment: lets the selftest prove that failures propagate
  if (process.env.KGOV_E2E_SELFTEST_FAIL) {
    it('fails on purpose (KGOV_E2E_SELFTEST_FAIL)', () => assert.fail('deliberate failure'));
  }
});
