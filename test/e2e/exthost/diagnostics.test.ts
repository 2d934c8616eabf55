/** Diagnostics in the editor: kgov rule ids at the exact tokens, source 'kgov', documentation links. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findings, findingsWhen, kgov, open, rulesAndRanges, sleep, span, wsUri } from './util';

suite('diagnostics', () => {
  suiteSetup(() => kgov());

  test('deployment.yaml: every finding with its rule id at the exact token', async () => {
    const { document: doc } = await open('shop/web/deployment.yaml');
    const expected: Array<[string, [number, number, number, number]]> = [
      ['pod-anti-affinity', span(doc, /^  template:\n(?:    .*\n)*?    (spec):/dm)],
      ['run-as-non-root', span(doc, /^        - name: (web)$/dm)],
      ['image-tag-pinned', span(doc, /image: (ghcr\.io\/example\/shop-web:latest)/d)],
      ['no-secrets-in-env', span(doc, /PAYMENT_API_KEY\n\s+(value):/d)],
      ['schema/type', span(doc, /FEATURE_NEW_CHECKOUT\n\s+value: (yes)$/dm)],
      ['schema/unknown-field', span(doc, /^\s+(livenessprobe):/dm)],
    ];
    const found = await findingsWhen(doc.uri, (f) => assert.deepEqual(rulesAndRanges(f), expected));
    const byRule = new Map(found.map((f) => [f.rule, f]));
    assert.equal(byRule.get('schema/unknown-field')?.severity, 'error');
    assert.equal(byRule.get('schema/unknown-field')?.message,
      'Unknown field "livenessprobe" in Deployment spec.template.spec.containers[0]; did you mean "livenessProbe"?');
    assert.equal(byRule.get('schema/type')?.severity, 'error');
    assert.match(byRule.get('schema/type')?.message ?? '', /must be a string, not the boolean true .*quote it: "yes"/);
    assert.equal(byRule.get('image-tag-pinned')?.severity, 'warning');
  });

  test('diagnostics carry source kgov and a documentation link per rule', async () => {
    const { document: doc } = await open('shop/web/deployment.yaml');
    await findingsWhen(doc.uri, (f) => assert.ok(f.length > 0));
    const raw = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'kgov');
    for (const d of raw) {
      assert.equal(typeof d.code, 'object', `code of "${d.message}" has no documentation target`);
      const code = d.code as { value: string | number; target: vscode.Uri };
      assert.match(code.target.toString(), new RegExp(`${String(code.value).replace('/', '.')}`), `docs link ${code.target} for ${code.value}`);
    }
  });

  test('ingress.yaml: api/removed on the apiVersion value', async () => {
    const { document: doc } = await open('shop/web/ingress.yaml');
    const found = await findingsWhen(doc.uri, (f) =>
      assert.deepEqual(rulesAndRanges(f), [['api/removed', span(doc, /^apiVersion: (networking\.k8s\.io\/v1beta1)$/dm)]]));
    assert.match(found[0]?.message ?? '', /^networking\.k8s\.io\/v1beta1 Ingress is not served by Kubernetes 1\.34\b.*; use networking\.k8s\.io\/v1 \(kubectl: no matches for kind "Ingress" in version "networking\.k8s\.io\/v1beta1"\)\.$/);
  });

  test('custom resources are validated against the CRD in the workspace', async () => {
    const { document: doc } = await open('shop/crd/coupons.yaml');
    await findingsWhen(doc.uri, (f) => assert.deepEqual(f.map((x) => x.rule), ['schema/required', 'schema/unknown-field', 'schema/format']));
    assert.deepEqual(findings(doc.uri).find((x) => x.rule === 'schema/unknown-field')?.range, span(doc, /^\s+(percentOf):/dm));
  });

  test('YAML that is not a Kubernetes manifest gets no kgov diagnostics', async () => {
    // Open a manifest afterwards and wait for its diagnostics: by then the server has handled the first file too.
    const notes = wsUri('notes/app-settings.yaml');
    await open('notes/app-settings.yaml');
    const { document: ingress } = await open('shop/web/ingress.yaml');
    await findingsWhen(ingress.uri, (f) => assert.equal(f.length, 1));
    await sleep(1000);
    assert.deepEqual(findings(notes), []);
  });
});
