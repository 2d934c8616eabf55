/** The governance scorecard (features/scorecard.ts) and its HTML rendering (features/report-html.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../server/src/engine/config/config';
import { configVocabulary } from '../../server/src/engine/config/load';
import { createEngine } from '../../server/src/engine/engine';
import { fileChecklist, ROLLOUT_CHECKLIST_GROUP, type ChecklistItem, type WorkloadChecklist } from '../../server/src/engine/features/checklist';
import { escapeHtml, scorecardHtml } from '../../server/src/engine/features/report-html';
import { DEFAULT_SCORECARD_TARGETS, dimensionsMet, ruleCategories, scorecard, type ScorecardInput } from '../../server/src/engine/features/scorecard';
import type { ChecklistGroup } from '../../server/src/engine/rule';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/host/paths';

const range = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 9 } });
const item = (ruleId: string, status: ChecklistItem['status'], line = 3): ChecklistItem => ({ ruleId, status, severity: 'warning', message: `${ruleId} ${status}`, uri: '/w/app.yaml', range: range(line) });

function workload(name: string, namespace: string, groups: Array<[ChecklistGroup, ChecklistItem[]]>, score = 80): WorkloadChecklist {
  return { uri: `/w/${name}.yaml`, kind: 'Deployment', name, namespace, range: range(3), groups: groups.map(([group, items]) => ({ group, items })), score };
}

const CATEGORIES: Record<string, string> = {
  'run-as-non-root': 'security', 'no-wildcard-rbac': 'rbac', 'readiness-probe-set': 'reliability', 'cpu-requests-set': 'efficiency',
  'image-tag-pinned': 'images', 'revision-history-limit': 'rollout', 'pdb-allows-disruption': 'reliability',
};
const base = (workloads: WorkloadChecklist[], extra: Partial<ScorecardInput> = {}): ScorecardInput => ({
  kubernetesVersion: '1.34', workloads, categoryOf: (id) => CATEGORIES[id], ...extra,
});

describe('scorecard', () => {
  it('measures each dimension as the share of workloads whose items of that dimension all pass, against its target', () => {
    const card = scorecard(base([
      workload('a', 'shop', [['security', [item('run-as-non-root', 'pass')]], ['images', [item('image-tag-pinned', 'fail')]]]),
      workload('b', 'shop', [['security', [item('run-as-non-root', 'fail')]], ['images', [item('image-tag-pinned', 'pass')]]]),
      workload('c', 'shop', [['security', [item('run-as-non-root', 'waived')]], ['images', [item('image-tag-pinned', 'pass')]]]),
    ]));
    const security = card.dimensions.find((d) => d.id === 'security');
    // a and c pass (a waived item is not failing): 2 of 3 = 66 %, floored so a share shown as 66 % has reached it.
    assert.deepEqual({ passed: security?.passed, total: security?.total, percent: security?.percent, met: security?.met, target: security?.target },
      { passed: 2, total: 3, percent: 66, met: false, target: DEFAULT_SCORECARD_TARGETS.security });
    const supply = card.dimensions.find((d) => d.id === 'supplyChain');
    assert.equal(supply?.passed, 2);
    // Nothing counted -> no verdict, with the reason.
    const efficiency = card.dimensions.find((d) => d.id === 'efficiency');
    assert.equal(efficiency?.met, undefined);
    assert.match(efficiency?.note ?? '', /no workload has efficiency items/);
    assert.deepEqual(card.dimensions.map((d) => d.id), ['security', 'reliability', 'rolloutSafety', 'efficiency', 'supplyChain', 'upgradeReadiness']);
  });

  it('takes targets from .kgov.yaml scorecard: (the rest keep their defaults) and decides met at exactly the target', () => {
    const workloads = [
      workload('a', 'shop', [['security', [item('run-as-non-root', 'pass')]]]),
      workload('b', 'shop', [['security', [item('run-as-non-root', 'pass')]]]),
      workload('c', 'shop', [['security', [item('run-as-non-root', 'fail')]]]),
    ];
    const catalog = new SchemaCatalog(schemasDir());
    const { config, problems } = parseConfig('scorecard:\n  security: 66.5\n  reliability: 50\n', '/w/.kgov.yaml', configVocabulary(catalog), schemasDir());
    assert.deepEqual(problems, []);
    assert.deepEqual(config.scorecard, { security: 66.5, reliability: 50 });
    const missed = scorecard(base(workloads, { targets: config.scorecard ?? {} }));
    assert.equal(missed.dimensions.find((d) => d.id === 'security')?.met, true, '2 of 3 is 66.67 %, above 66.5');
    assert.equal(scorecard(base(workloads, { targets: { security: 67 } })).dimensions.find((d) => d.id === 'security')?.met, false);
    assert.equal(missed.dimensions.find((d) => d.id === 'supplyChain')?.target, DEFAULT_SCORECARD_TARGETS.supplyChain);
  });

  it('counts the rollout & rollback group and rollout rules as rollout safety, and RBAC as security; ignores live and not-applicable items', () => {
    const card = scorecard(base([
      // A reliability rule listed in the rollout group (PDB) counts for rollout safety and for reliability.
      workload('a', 'shop', [[ROLLOUT_CHECKLIST_GROUP, [item('pdb-allows-disruption', 'fail')]]]),
      workload('b', 'shop', [['availability', [item('revision-history-limit', 'pass'), item('no-wildcard-rbac', 'fail')]]]),
      workload('c', 'shop', [['health probes', [{ ...item('readiness-probe-set', 'fail'), live: true }, item('cpu-requests-set', 'notApplicable')]]]),
    ]));
    const rollout = card.dimensions.find((d) => d.id === 'rolloutSafety');
    assert.deepEqual([rollout?.passed, rollout?.total], [1, 2]);
    const reliability = card.dimensions.find((d) => d.id === 'reliability');
    assert.deepEqual([reliability?.passed, reliability?.total], [0, 1]);
    assert.deepEqual([card.dimensions.find((d) => d.id === 'security')?.total], [1]);
    assert.deepEqual(card.workloads.find((w) => w.name === 'c')?.dimensions, {});
    assert.deepEqual(card.workloads.find((w) => w.name === 'c')?.failing, []);
  });

  it('sorts workloads by namespace, kind and name, and lists each failing item once in file order', () => {
    const dup = item('image-tag-pinned', 'fail', 9);
    const card = scorecard(base([
      workload('z', 'b-ns', [['images', [dup]], ['security', [dup, item('run-as-non-root', 'fail', 5)]]]),
      workload('y', 'a-ns', []),
      workload('x', 'b-ns', []),
    ]));
    assert.deepEqual(card.workloads.map((w) => `${w.namespace}/${w.name}`), ['a-ns/y', 'b-ns/x', 'b-ns/z']);
    assert.deepEqual(card.workloads[2]?.failing.map((i) => `${i.ruleId}:${i.range.start.line}`), ['run-as-non-root:5', 'image-tag-pinned:9']);
  });

  it('measures upgrade readiness as the built-in resources the target serves that no bundled next version removes (features/upgrade.ts)', () => {
    const catalog = new SchemaCatalog(schemasDir());
    const resource = (apiVersion: string, kind: string, name: string) => ({ uri: '/w/cluster.yaml', apiVersion, kind, name, range: range(1) });
    const resources = [
      resource('apps/v1', 'Deployment', 'web'),
      resource('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'fs'),
      resource('authentication.k8s.io/v1beta1', 'SelfSubjectReview', 'ssr'),
      // Out of scope: a custom resource, and one the target no longer serves (today's api/removed finding).
      resource('argoproj.io/v1alpha1', 'Rollout', 'custom'),
      resource('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', 'old'),
    ];
    const card = scorecard(base([], { kubernetesVersion: '1.31', upgrade: { catalog, resources } }));
    const upgrade = card.dimensions.find((d) => d.id === 'upgradeReadiness');
    assert.deepEqual([upgrade?.passed, upgrade?.total, upgrade?.percent, upgrade?.met, upgrade?.unit], [1, 3, 33, false, 'resources']);
    assert.deepEqual(card.upgrade?.next.map((n) => [n.version, n.removed.map((r) => r.name)]), [['1.32', ['fs']], ['1.33', ['ssr']]]);
    const last = catalog.versions.at(-1) as string;
    const none = scorecard(base([], { kubernetesVersion: last, upgrade: { catalog, resources } }));
    assert.equal(none.dimensions.find((d) => d.id === 'upgradeReadiness')?.met, undefined);
    assert.match(none.dimensions.find((d) => d.id === 'upgradeReadiness')?.note ?? '', new RegExp(`bundles no Kubernetes version after ${last.replace('.', '\\.')}`));
  });

  it('is computed from real checklists: a privileged Deployment fails security, categories come from rule meta', () => {
    const engine = createEngine({ schemasDir: schemasDir() });
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.0\n          securityContext: {privileged: true}\n';
    const result = engine.lintFile('/w/web.yaml', text, new Workspace(), undefined, { outcomes: true });
    const categories = ruleCategories([engine]);
    assert.equal(categories.get('no-privileged-container'), 'security');
    const card = scorecard(base(fileChecklist(engine, result, (ns) => ns ?? 'default'), { categoryOf: (id) => categories.get(id) }));
    assert.equal(card.workloads[0]?.dimensions.security, 'fail');
    assert.ok(card.workloads[0]?.failing.some((i) => i.ruleId === 'no-privileged-container' && i.range.start.line === 12));
    assert.deepEqual(dimensionsMet(card).measured >= 3, true);
  });
});

describe('readiness report HTML', () => {
  const card = scorecard(base([
    workload('web', 'shop', [['security', [{ ...item('run-as-non-root', 'fail', 7), message: 'Container "<script>alert(1)</script>" may run as root' }]]], 55),
    workload('api', 'pay', [['security', [item('run-as-non-root', 'pass')]]], 100),
  ]));

  it('is one self-contained document: CSP without scripts, inline SVG bars, escaped text, no external reference', () => {
    const { html, locations } = scorecardHtml(card, { displayPath: (uri) => uri.replace('/w/', '') });
    assert.deepEqual(locations, []);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">/);
    assert.doesNotMatch(html, /<script|\bsrc=|\bhref=|url\(|@import|<link/i);
    assert.equal((html.match(/<svg class="bar"/g) ?? []).length, 6);
    assert.ok(html.includes(escapeHtml('Container "<script>alert(1)</script>" may run as root')));
    assert.match(html, /<tr data-dimension="security"><td>Security.*50%.*1 of 2 workloads.*90%.*Not met/);
    assert.match(html, /Namespace pay · score 100[\s\S]*Namespace shop · score 55/);
    assert.match(html, /<code>app\.yaml:8<\/code>/);
  });

  it('in a webview: nonce CSP, and each location a link by index into the returned locations', () => {
    const { html, locations } = scorecardHtml(card, { displayPath: (uri) => uri, webview: { nonce: 'abc123' } });
    assert.match(html, /content="default-src &#39;none&#39;; style-src &#39;nonce-abc123&#39;; script-src &#39;nonce-abc123&#39;"/);
    assert.match(html, /<script nonce="abc123">/);
    assert.doesNotMatch(html, /\bstyle="/, 'style attributes would be blocked by the CSP');
    const links = [...html.matchAll(/data-location="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(links, locations.map((_, i) => i));
    assert.ok(locations.some((l) => l.uri === '/w/app.yaml' && l.range.start.line === 7));
  });
});
