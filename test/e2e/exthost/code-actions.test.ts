/** Quick fixes through VS Code's code-action API: the kgov family for a finding, applied to the document. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findingsWhen, kgov, open, revert, span } from './util';

const FILE = 'shop/web/deployment.yaml';

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // itemResolveCount: resolve the edits of the first 20 actions (kgov computes edits lazily, on resolve)
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 20);
  // a bare Command has a string `command`; a CodeAction has a title, a kind and maybe a Command object
  return (actions ?? []).filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

const toRange = ([l1, c1, l2, c2]: [number, number, number, number]) => new vscode.Range(l1, c1, l2, c2);

suite('code actions', () => {
  suiteSetup(() => kgov());
  teardown(() => revert(FILE));

  test('the kgov family for schema/unknown-field; the preferred fix renames the key and nothing else', async () => {
    const { document: doc } = await open(FILE);
    const key = span(doc, /^\s+(livenessprobe):/dm);
    await findingsWhen(doc.uri, (f) => assert.ok(f.some((x) => x.rule === 'schema/unknown-field')));
    const actions = await actionsAt(doc.uri, toRange(key));
    const titles = actions.map((a) => a.title);
    for (const t of ['Ignore schema/unknown-field for this object', 'Ignore schema/unknown-field for this line', 'Show documentation for schema/unknown-field']) {
      assert.ok(titles.includes(t), `missing "${t}" in ${JSON.stringify(titles)}`);
    }
    const fix = actions.find((a) => a.isPreferred && a.title.startsWith('Fix: '));
    assert.ok(fix, `no preferred "Fix: ..." action in ${JSON.stringify(titles)}`);
    assert.match(fix.title, /livenessProbe/);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix.edit, 'the fix was not resolved to an edit');
    const before = doc.getText();
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.equal(doc.getText(), before.replace('          livenessprobe:\n', '          livenessProbe:\n'));
    await findingsWhen(doc.uri, (f) => assert.deepEqual(f.filter((x) => x.rule.startsWith('schema/')).map((x) => x.rule), ['schema/type']));
  });

  test('the fix for value: yes quotes it', async () => {
    const { document: doc } = await open(FILE);
    const value = span(doc, /FEATURE_NEW_CHECKOUT\n\s+value: (yes)$/dm);
    await findingsWhen(doc.uri, (f) => assert.ok(f.some((x) => x.rule === 'schema/type')));
    const actions = await actionsAt(doc.uri, toRange(value));
    // (vscode.executeCodeActionProvider does not return an action's diagnostics: find it by title)
    const fix = actions.find((a) => a.isPreferred && a.title.startsWith('Fix: '));
    assert.ok(fix?.edit, `no resolved preferred fix in ${JSON.stringify(actions.map((a) => [a.title, a.isPreferred, !!a.edit]))}`);
    assert.equal(fix.title, 'Fix: Quote it: "yes"');
    const before = doc.getText();
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.equal(doc.getText(), before.replace('value: yes\n', 'value: "yes"\n'));
    await findingsWhen(doc.uri, (f) => assert.ok(!f.some((x) => x.rule === 'schema/type'), 'schema/type still reported'));
  });

  test('"Ignore ... for this line" writes a disable comment and the finding goes away', async () => {
    const { document: doc } = await open(FILE);
    const image = span(doc, /image: (ghcr\.io\/example\/shop-web:latest)/d);
    await findingsWhen(doc.uri, (f) => assert.ok(f.some((x) => x.rule === 'image-tag-pinned')));
    const ignore = (await actionsAt(doc.uri, toRange(image))).find((a) => a.title === 'Ignore image-tag-pinned for this line');
    assert.ok(ignore?.edit, 'no resolved "Ignore image-tag-pinned for this line"');
    const before = doc.getText();
    assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
    const line = '          image: ghcr.io/example/shop-web:latest\n';
    assert.equal(doc.getText(), before.replace(line, `          # kgov-disable-next-line image-tag-pinned -- TODO: why\n${line}`));
    await findingsWhen(doc.uri, (f) => {
      assert.ok(!f.some((x) => x.rule === 'image-tag-pinned'), 'image-tag-pinned still reported');
      assert.ok(f.some((x) => x.rule === 'schema/unknown-field'), 'other findings must stay');
    });
  });
});
