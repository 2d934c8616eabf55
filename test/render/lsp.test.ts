/**
 * The language server with the real helm: a chart's template shows the findings of its rendered output at the
 * template lines, re-rendered after a save and never while typing; an untrusted workspace keeps the one
 * `yaml/template` info. Runs the bundled server (node scripts/build.mjs).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { startClient, uri } from '../lsp/client';
import { realTools, realToolsUnavailable } from '../helpers/real-tools';
import { skipWithout } from '../helpers/required';

const skip = skipWithout(realToolsUnavailable());
const scratch = mkdtempSync(join(tmpdir(), 'kgov-render-lsp-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function chartCopy(name: string): { folder: string; template: string; text: string } {
  const folder = join(scratch, name);
  cpSync(resolve(__dirname, 'fixtures/broken/invalid-object'), join(folder, 'chart'), { recursive: true });
  const template = join(folder, 'chart/templates/deployment.yaml');
  return { folder, template, text: readFileSync(template, 'utf8') };
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe('charts in the language server', { skip }, () => {
  it('shows rendered findings on the template, re-renders on save, not while typing', async () => {
    const { folder, template, text } = chartCopy('trusted');
    const client = await startClient({ folder, settings: { helm: { path: realTools().helm } } });
    try {
      await client.waitForStatus('ready');
      client.open(uri(template), text);
      const first = await client.waitForDiagnostics(uri(template), (d) => d.length > 0);
      const byRule = new Map(first.map((d) => [String(d.code), d]));
      assert.equal(byRule.get('schema/type')?.range.start.line, lineOf(text, 'replicas:'));
      assert.equal(byRule.get('schema/enum')?.range.start.line, lineOf(text, 'imagePullPolicy: always'));
      assert.ok(byRule.get('schema/type')?.relatedInformation?.some((r) => r.location.uri === uri(join(folder, 'chart/values.yaml'))));
      assert.ok(!byRule.has('yaml/template'), 'no template noise');
      const renders = () => client.log.filter((l) => l.includes('[kgov] rendered ')).length;
      assert.equal(renders(), 1);
      // The document is linted again while the first render runs (the settled full lint): no second render.
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(renders(), 1);

      // Typing: diagnostics come back for the new version, from the last render.
      const broken = text.replace('imagePullPolicy: always', 'imagePullPolicy: Always\n  {{ oops');
      client.change(uri(template), 2, [{ text: broken }]);
      const typed = await client.waitForDiagnostics(uri(template), (_, v) => v === 2);
      assert.ok(typed.some((d) => d.code === 'schema/enum'));
      assert.equal(renders(), 1, 'typing does not render');

      // Saving: the chart renders again with the saved text.
      const fixed = text.replace('imagePullPolicy: always', 'imagePullPolicy: Always');
      client.change(uri(template), 3, [{ text: fixed }]);
      writeFileSync(template, fixed);
      client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uri(template) } });
      const saved = await client.waitForDiagnostics(uri(template), (d) => !d.some((x) => x.code === 'schema/enum'));
      assert.ok(saved.some((d) => d.code === 'schema/type'));
      assert.equal(renders(), 2);
      assert.deepEqual(client.errors, []);
    } finally {
      await client.stop();
    }
  });

  it('kustomize (kgov.kustomize.enable): a patch shows what the build finds there; the base is complete', async () => {
    const folder = join(scratch, 'kustomize');
    cpSync(resolve(__dirname, 'fixtures/overlay-patch'), folder, { recursive: true });
    rmSync(join(folder, 'missing-base'), { recursive: true });
    const client = await startClient({ folder, settings: { kustomize: { enable: true, path: realTools().kubectl } } });
    try {
      await client.waitForStatus('ready');
      const base = join(folder, 'base/deployment.yaml');
      const patch = join(folder, 'prod/pull-policy.yaml');
      client.open(uri(base), readFileSync(base, 'utf8'));
      // Before the build the base lacks its selector; once the overlay is built, it does not.
      const built = await client.waitForDiagnostics(uri(base), (d) => d.length > 0 && !d.some((x) => x.code === 'schema/required'));
      assert.ok(built.some((d) => d.code === 'run-as-non-root'));
      // The patch file, not open, gets the build's finding on its own line.
      const onPatch = await client.waitForDiagnostics(uri(patch), (d) => d.length > 0);
      assert.deepEqual(onPatch.map((d) => [d.code, d.range.start.line]), [['schema/enum', lineOf(readFileSync(patch, 'utf8'), 'imagePullPolicy')]]);
    } finally {
      await client.stop();
    }
  });

  it('keeps the one yaml/template info in an untrusted workspace and runs no helm', async () => {
    const { folder, template, text } = chartCopy('untrusted');
    const client = await startClient({ folder, trusted: false, settings: { helm: { path: realTools().helm } } });
    try {
      await client.waitForStatus('ready');
      client.open(uri(template), text);
      const diagnostics = await client.waitForDiagnostics(uri(template), (d) => d.length > 0);
      assert.deepEqual(diagnostics.map((d) => d.code), ['yaml/template']);
      assert.ok(!client.log.some((l) => l.includes('[kgov] rendered ')));
    } finally {
      await client.stop();
    }
  });
});
