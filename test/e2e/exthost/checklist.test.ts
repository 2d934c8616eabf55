/** The Rollout Checklist: kgov.showChecklist and the API return the workspace's workloads with their items. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChecklistResult } from '../../../server/src/shared/protocol';
import { eventually, findings, findingsWhen, kgov, open, rangeOf, revert, wsUri } from './util';

const GROUPS = ['health probes', 'resources', 'availability', 'security', 'images', 'networking', 'scaling', 'rollout & rollback'];

suite('rollout checklist', () => {
  suiteSetup(() => kgov());

  test('kgov.showChecklist returns every workload of the workspace, grouped, with a score', async () => {
    const result = await vscode.commands.executeCommand<ChecklistResult | undefined>('kgov.showChecklist');
    assert.ok(result, 'kgov.showChecklist returned nothing');
    const names = result.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`).sort();
    assert.deepEqual(names, ['shop/CronJob/order-export', 'shop/Deployment/web', 'shop/StatefulSet/db']);
    assert.ok(result.score >= 0 && result.score <= 100, `workspace score ${result.score}`);
    for (const w of result.workloads) {
      assert.ok(w.groups.length > 0, `${w.name} has no groups`);
      for (const g of w.groups) {
        assert.ok(GROUPS.includes(g.group), `unknown group ${g.group}`);
        assert.ok(g.items.length > 0, `${w.name}/${g.group} is empty`);
      }
      assert.ok(w.score >= 0 && w.score <= 100);
    }
  });

  test('failed items are the findings in the editor, at the same ranges', async () => {
    const api = await kgov();
    const result = (await api.checklist()) as ChecklistResult;
    const deployment = result.workloads.find((w) => w.kind === 'Deployment' && w.name === 'web');
    assert.ok(deployment);
    assert.equal(deployment.uri, wsUri('shop/web/deployment.yaml').toString());
    const { document: doc } = await open('shop/web/deployment.yaml');
    const editor = await findingsWhen(doc.uri, (f) => assert.ok(f.length > 0));
    // (Items of other files, such as the PodDisruptionBudgets the rollout group lists, are that file's findings.)
    const failed = deployment.groups.flatMap((g) => g.items).filter((i) => i.status === 'fail' && i.uri === deployment.uri);
    assert.ok(failed.length > 0, 'the web Deployment has problems: some items must fail');
    for (const item of failed) {
      const match = editor.find((f) => f.rule === item.ruleId && f.range.join() === rangeOf(new vscode.Range(
        item.range.start.line, item.range.start.character, item.range.end.line, item.range.end.character)).join());
      assert.ok(match, `failed item ${item.ruleId} at ${JSON.stringify(item.range)} is not a diagnostic in the editor: ${JSON.stringify(findings(doc.uri).map((f) => [f.rule, f.range]))}`);
    }
    // run-as-non-root fails for web; the CronJob's privileged container fails under security
    assert.ok(failed.some((i) => i.ruleId === 'run-as-non-root'));
    const cron = result.workloads.find((w) => w.name === 'order-export');
    assert.equal(cron?.groups.find((g) => g.group === 'security')?.items.find((i) => i.ruleId === 'no-privileged-container')?.status, 'fail');
  });

  test('the checklist follows edits in the editor', async () => {
    const api = await kgov();
    const { document: doc } = await open('shop/web/deployment.yaml');
    const before = (await api.checklist()) as ChecklistResult;
    const status = (r: ChecklistResult) => r.workloads.find((w) => w.name === 'web')?.groups.flatMap((g) => g.items).find((i) => i.ruleId === 'run-as-non-root')?.status;
    assert.equal(status(before), 'fail');
    const edit = new vscode.WorkspaceEdit();
    const line = doc.getText().split('\n').findIndex((l) => l === '            allowPrivilegeEscalation: false');
    assert.ok(line > 0);
    edit.insert(doc.uri, new vscode.Position(line + 1, 0), '            runAsNonRoot: true\n');
    try {
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      await findingsWhen(doc.uri, (f) => assert.ok(!f.some((x) => x.rule === 'run-as-non-root')));
      const after = await eventually(async () => {
        const r = (await api.checklist()) as ChecklistResult;
        assert.equal(status(r), 'pass');
        return r;
      });
      const score = (r: ChecklistResult) => r.workloads.find((w) => w.name === 'web')?.score ?? -1;
      assert.ok(score(after) > score(before), `score ${score(before)} -> ${score(after)}`);
    } finally {
      await revert('shop/web/deployment.yaml');
    }
  });
});
