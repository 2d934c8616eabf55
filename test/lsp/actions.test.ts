/** Code actions resolved in process (server/src/lsp/actions.ts): what cannot be applied gives no edit, not an exception. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createEngine } from '../../server/src/engine/engine';
import { Workspace } from '../../server/src/engine/workspace';
import { codeActions, resolveEdit, type ActionData } from '../../server/src/lsp/actions';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { schemasDir } from '../../server/src/host/paths';

describe('code actions', () => {
  const engine = createEngine({ schemasDir: schemasDir(), preset: 'all' });

  it('resolves "Ignore for this object" to no edit where metadata is not a mapping (found by the fuzzer)', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: web\n';
    const document = TextDocument.create('file:///w/ns.yaml', 'yaml', 1, text);
    const ctx = { engine, workspace: new Workspace(), path: '/w/ns.yaml' };
    const diagnostics = engine.lint(ctx.path, text, ctx.workspace).map(toDiagnostic);
    const typeError = diagnostics.find((d) => d.code === 'schema/type');
    assert.ok(typeError, 'metadata: web is a schema/type error');
    const ignore = codeActions(document.uri, [typeError], diagnostics, undefined).find((a) => a.title === 'Ignore schema/type for this object');
    assert.ok(ignore?.data);
    assert.equal(resolveEdit(document, ignore.data as ActionData, ctx), undefined);
    // Where metadata is a mapping, the same action writes the annotation.
    const fine = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\nspec: 3\n';
    const other = TextDocument.create('file:///w/ok.yaml', 'yaml', 1, fine);
    const found = engine.lint('/w/ok.yaml', fine, ctx.workspace).map(toDiagnostic).find((d) => d.code === 'schema/type');
    assert.ok(found);
    const action = codeActions(other.uri, [found], [found], undefined).find((a) => a.title === 'Ignore schema/type for this object');
    const edit = resolveEdit(other, action?.data as ActionData, { ...ctx, path: '/w/ok.yaml' });
    assert.match(JSON.stringify(edit), /kgov.io\/ignore: schema\/type/);
  });
});
