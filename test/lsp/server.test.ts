/** The bundled language server over stdio, driven by a real LSP client (test/lsp/client.ts). */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/engine/fix/diff';
import { LineIndex } from '../../server/src/engine/util/line-index';
import type { AuditWorkspaceResult, ChecklistResult } from '../../server/src/shared/protocol';
import { corpusAvailable, CORPUS_DIR } from '../unit/helpers/corpus';
import { EXAMPLES, startClient, uri, type TestClient } from './client';

const where = (d: Diagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${String(d.code)}`;

/** Applies LSP text edits to a text (for checking code actions). */
function applyLsp(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })));
}

describe('language server', () => {
  let workspace: string;
  let client: TestClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kgov-lsp-'));
    cpSync(EXAMPLES, workspace, { recursive: true });
    writeFileSync(join(workspace, 'notes.yaml'), 'title: not a manifest\nitems: [1, 2\n');
    client = await startClient({ folder: workspace, settings: { preset: 'all' } });
    await client.waitForStatus('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const file = (relative: string) => join(workspace, 'shop', relative);

  it('publishes diagnostics with exact ranges, rule ids and documentation links', async () => {
    const target = uri(file('web/deployment.yaml'));
    client.open(target, readFileSync(file('web/deployment.yaml'), 'utf8'));
    const diagnostics = await client.waitForDiagnostics(target, (d) => d.length > 0);
    assert.ok(diagnostics.map(where).includes('32:22-32:25 schema/type'));
    assert.ok(diagnostics.map(where).includes('37:11-37:24 schema/unknown-field'));
    const typo = diagnostics.find((d) => d.code === 'schema/unknown-field') as Diagnostic;
    assert.equal(typo.source, 'kgov');
    assert.match(typo.codeDescription?.href ?? '', /docs\/rules\/schema\/unknown-field\.md$/);
    assert.deepEqual((typo.data as { ruleId: string }).ruleId, 'schema/unknown-field');
  });

  it('re-lints after incremental edits', async () => {
    const target = uri(file('web/deployment.yaml'));
    // Quote the "yes" on line 32 (zero-based 31): the schema/type finding goes.
    client.change(target, 2, [{ range: { start: { line: 31, character: 21 }, end: { line: 31, character: 24 } }, text: '"yes"' }]);
    const after2 = await client.waitForDiagnostics(target, (_d, version) => version === 2);
    assert.ok(!after2.some((d) => d.code === 'schema/type'));
    assert.ok(after2.some((d) => d.code === 'schema/unknown-field'));
  });

  it('re-checks other files when an edit changes what they refer to', async () => {
    const service = uri(file('web/service.yaml'));
    client.open(service, readFileSync(file('web/service.yaml'), 'utf8'));
    const before = await client.waitForDiagnostics(service, (d) => d.some((x) => x.code === 'service-selects-pods'));
    assert.ok(before.map(where).includes('10:3-10:11 service-selects-pods'), before.map(where).join('\n'));
    // Opening publishes the file's own findings first, then those that depend on other files.
    const [own, full] = client.published.filter((p) => p.uri === service);
    assert.ok(own && full && own.diagnostics.length > 0 && !own.diagnostics.some((d) => d.code === 'service-selects-pods'), 'the first publish holds no cross-resource finding');
    assert.deepEqual(full.diagnostics, before);
    // In the unsaved Deployment, give the pods the label the Service selects: its finding goes.
    const deployment = uri(file('web/deployment.yaml'));
    client.change(deployment, 3, [{ range: { start: { line: 17, character: 32 }, end: { line: 17, character: 35 } }, text: 'web-frontend' }]);
    const after3 = await client.waitForDiagnostics(service, (d) => !d.some((x) => x.code === 'service-selects-pods'));
    assert.ok(!after3.some((d) => d.code === 'service-selects-pods'));
    // And back: the Service's finding returns.
    client.change(deployment, 4, [{ range: { start: { line: 17, character: 32 }, end: { line: 17, character: 44 } }, text: 'web' }]);
    await client.waitForDiagnostics(service, (d) => d.some((x) => x.code === 'service-selects-pods'));
  });

  it('offers the code-action family and resolves the fix to a text edit', async () => {
    const target = uri(file('web/deployment.yaml'));
    const diagnostics = client.diagnostics.get(target)?.diagnostics ?? [];
    const typo = diagnostics.find((d) => d.code === 'schema/unknown-field') as Diagnostic;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: target }, range: typo.range, context: { diagnostics: [typo] } });
    assert.deepEqual(actions.map((a) => a.title), [
      'Fix: Rename "livenessprobe" to "livenessProbe"', 'Ignore schema/unknown-field for this object',
      'Ignore schema/unknown-field for this line', 'Show documentation for schema/unknown-field']);
    assert.equal(actions[0]?.isPreferred, true);
    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', actions[0]);
    const text = readFileSync(file('web/deployment.yaml'), 'utf8').replace('value: yes', 'value: "yes"');
    const fixed = applyLsp(text, resolved.edit?.changes?.[target] ?? []);
    assert.equal(fixed, text.replace('livenessprobe:', 'livenessProbe:'));
    const ignore = await client.connection.sendRequest<CodeAction>('codeAction/resolve', actions[1]);
    assert.match(applyLsp(text, ignore.edit?.changes?.[target] ?? []), /  name: web\n  namespace: shop\n  labels:\n(.*\n){2}  annotations:\n    kgov.io\/ignore: schema\/unknown-field\n/);
    const line = await client.connection.sendRequest<CodeAction>('codeAction/resolve', actions[2]);
    assert.match(applyLsp(text, line.edit?.changes?.[target] ?? []), /\n {10}# kgov-disable-next-line schema\/unknown-field -- TODO: why\n {10}livenessprobe:/);
    assert.deepEqual(actions[3]?.command, { title: 'Show documentation for schema/unknown-field', command: 'kgov.showRuleDocumentation', arguments: ['schema/unknown-field'] });
  });

  it('fixes everything on save through source.fixAll.kgov', async () => {
    const target = uri(file('worker/cronjob.yaml'));
    const text = readFileSync(file('worker/cronjob.yaml'), 'utf8');
    client.open(target, text);
    await client.waitForDiagnostics(target, (d) => d.some((x) => x.code === 'no-privileged-container'));
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: target }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.kgov']);
    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', actions[0]);
    const fixed = applyLsp(text, resolved.edit?.changes?.[target] ?? []);
    assert.doesNotMatch(fixed, /hostNetwork: true|privileged: true/);
    assert.match(fixed, /^ {2}name: order-export$/m, 'the rest of the file is unchanged');
  });

  it('explains fields on hover, from the schema of the selected version', async () => {
    const target = uri(file('web/deployment.yaml'));
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: target }, position: { line: 10, character: 4 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^\*\*replicas\*\* `integer`/);
    assert.match(value, /Deployment · spec\.replicas · Kubernetes 1\.34/);
    assert.match(value, /Number of desired pods/);
    const onFinding = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: target }, position: { line: 36, character: 12 } });
    assert.match((onFinding.contents as { value: string }).value, /\*\*kgov schema\/unknown-field\*\* — The field does not exist/);
  });

  it('completes keys not yet present, and enum values', async () => {
    const path = join(workspace, 'new.yaml');
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: i\n          \n          imagePullPolicy: \n\n';
    client.open(uri(path), text);
    const keys = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position: { line: 10, character: 10 } });
    const labels = keys.map((k) => k.label);
    assert.ok(labels.includes('livenessProbe') && labels.includes('resources'));
    assert.ok(!labels.includes('name') && !labels.includes('image'), 'keys already present are not offered');
    const values = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position: { line: 11, character: 27 } });
    assert.deepEqual(values.map((v) => v.label).sort(), ['Always', 'IfNotPresent', 'Never']);
    const top = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position: { line: 12, character: 0 } });
    assert.deepEqual(top.map((k) => k.label), ['status']);
    client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(path) } });
  });

  it('lists resources and their containers as document symbols', async () => {
    const target = uri(file('worker/cronjob.yaml'));
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: target } });
    assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [['CronJob order-export', ['export']]]);
    // As VS Code requires (it rejects the whole answer otherwise): selection inside range, children inside parents.
    const inside = (inner: Range, outer: Range) => !isBefore(inner.start, outer.start) && !isBefore(outer.end, inner.end);
    const isBefore = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
    for (const symbol of symbols) {
      assert.ok(inside(symbol.selectionRange, symbol.range), `${symbol.name}: selection inside range`);
      for (const child of symbol.children ?? []) {
        assert.ok(inside(child.selectionRange, child.range), `${child.name}: selection inside range`);
        assert.ok(inside(child.range, symbol.range), `${child.name}: inside ${symbol.name}`);
      }
    }
    const container = symbols[0]?.children?.[0];
    assert.deepEqual([container?.range.start.line, container?.range.end.line, container?.selectionRange.start], [24, 34, { line: 24, character: 20 }]);
  });

  it('leaves YAML that is not Kubernetes alone', async () => {
    const target = uri(join(workspace, 'notes.yaml'));
    client.open(target, readFileSync(join(workspace, 'notes.yaml'), 'utf8'));
    assert.deepEqual(await client.waitForDiagnostics(target), []);
  });

  it('validates .kgov.yaml as configuration', async () => {
    const target = uri(join(workspace, '.kgov.yaml'));
    client.open(target, 'extends: strickt\nrules:\n  no-such-rule: off\n');
    const diagnostics = await client.waitForDiagnostics(target, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map(where).sort(), ['1:10-1:17 config/invalid', '3:3-3:15 config/invalid']);
  });

  it('answers the rollout checklist per workload with a score', async () => {
    const result = await client.connection.sendRequest<ChecklistResult>('kgov/checklist', {});
    const names = result.workloads.map((w) => `${w.kind}/${w.name}`).sort();
    assert.deepEqual(names, ['CronJob/order-export', 'Deployment/web', 'StatefulSet/db']);
    const cron = result.workloads.find((w) => w.name === 'order-export');
    const security = cron?.groups.find((g) => g.group === 'security');
    assert.ok(security?.items.some((i) => i.ruleId === 'no-privileged-container' && i.status === 'fail'));
    assert.ok((cron?.score ?? 100) < 100);
    const uris = result.workloads.flatMap((w) => [w.uri, ...w.groups.flatMap((g) => g.items.map((i) => i.uri))]);
    assert.deepEqual(uris.filter((u) => !u.startsWith('file:///')), [], 'workloads and items point at file URIs');
    assert.ok(result.score >= 0 && result.score <= 100);
    // The rollout & rollback group, and the workspace's upgrade readiness (the next two versions after the target).
    assert.ok(result.workloads.find((w) => w.name === 'web')?.groups.some((g) => g.group === 'rollout & rollback'));
    assert.deepEqual(result.upgrade?.map((u) => [u.target, u.next.map((n) => n.version)]), [['1.34', ['1.35', '1.36']]]);
  });

  it('one file\'s checklist scores its workloads as the workspace checklist does (budgets of other files included)', async () => {
    const workspaceChecklist = await client.connection.sendRequest<ChecklistResult>('kgov/checklist', {});
    const fileChecklist = await client.connection.sendRequest<ChecklistResult>('kgov/checklist', { uri: uri(file('web/deployment.yaml')) });
    const web = (r: ChecklistResult) => r.workloads.find((w) => w.kind === 'Deployment' && w.name === 'web');
    const budgetItems = (r: ChecklistResult) => web(r)?.groups.flatMap((g) => g.items).filter((i) => i.ruleId === 'pdb-allows-disruption').map((i) => i.uri);
    assert.ok(web(fileChecklist), 'the file\'s Deployment');
    // The PodDisruptionBudget lives in web/pdb.yaml.
    assert.deepEqual(budgetItems(fileChecklist), budgetItems(workspaceChecklist));
    assert.ok((budgetItems(fileChecklist) ?? []).some((u) => u.endsWith('/web/pdb.yaml')));
    assert.equal(web(fileChecklist)?.score, web(workspaceChecklist)?.score);
  });

  it('audits the whole workspace', async () => {
    const result = await client.connection.sendRequest<AuditWorkspaceResult>('kgov/auditWorkspace', {});
    assert.equal(result.summary.files, 11);
    assert.ok(result.summary.error > 0);
    assert.ok(result.files.every((f) => f.uri.startsWith('file://')));
  });
});

describe('language server on the bench corpus', { skip: !corpusAvailable() && 'needs ../shared/bench-corpus' }, () => {
  it('indexes it and audits every file', async () => {
    const client = await startClient({ folder: CORPUS_DIR });
    try {
      const status = await client.waitForStatus('ready', 120_000);
      assert.equal(status.files, 400);
      const result = await client.connection.sendRequest<AuditWorkspaceResult>('kgov/auditWorkspace', {});
      assert.equal(result.summary.files, 400);
    } finally {
      await client.stop();
    }
  });
});
