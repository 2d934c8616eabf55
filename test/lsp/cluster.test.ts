/**
 * Cluster features through the language server protocol, against the fake API server: the status item's
 * context and state, the cluster's version and CRDs in validation, "Validate Against Cluster" diagnostics at
 * exact ranges, live checklist items, the failure messages, and that nothing is contacted (or printed) when
 * it must not be.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ChecklistResult, ClusterContextsResult, StatusParams, ValidateAgainstClusterResult } from '../../server/src/shared/protocol';
import { startFakeApiServer, type FakeApiServer } from '../cluster/fake-apiserver';
import { secretsOf, testKubeconfig, type TestKubeconfig } from '../cluster/helpers';
import { startClient, uri, type TestClient } from './client';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests:
              cpu: 0.1
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels:
    app: web
data:
  mode: prod
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: shop
spec:
  size: big
`;

const LIVE_DEPLOYMENT = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, generation: 4 },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26', resources: { requests: { cpu: '100m' } } }] } },
  },
  status: {
    observedGeneration: 4, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1,
    conditions: [
      { type: 'Progressing', status: 'True', lastUpdateTime: '2024-09-01T10:00:00Z', lastTransitionTime: '2024-09-01T09:58:00Z', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-7d4b9c8f6d" has successfully progressed.' },
      { type: 'Available', status: 'False', lastUpdateTime: '2024-09-01T10:05:00Z', lastTransitionTime: '2024-09-01T10:05:00Z', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    ],
  },
};

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } } } } }],
  },
};

const at = (d: Diagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${String(d.code)}`;

describe('language server: cluster features', () => {
  let fake: FakeApiServer;
  let config: TestKubeconfig;
  let workspace: string;
  const clients: TestClient[] = [];
  const start = async (settings: Record<string, unknown>, trusted = true) => {
    const client = await startClient({ folder: workspace, settings, trusted });
    clients.push(client);
    await client.waitForStatus('ready');
    return client;
  };
  const file = (name: string) => join(workspace, name);

  before(async () => {
    fake = await startFakeApiServer({ version: 'v1.30.4' });
    fake.addCrd(WIDGET_CRD);
    fake.addObject(LIVE_DEPLOYMENT);
    fake.hang('/apis/apps/v1/namespaces/slow');
    fake.denyDryRun((o) => o?.kind === 'Deployment' && o?.spec?.replicas === 0, {
      code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: 0: must be greater than or equal to 1',
      details: { name: 'web', group: 'apps', kind: 'Deployment', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1', field: 'spec.replicas' }] },
    });
    fake.denyDryRun((o) => o?.kind === 'ConfigMap' && o?.metadata?.labels?.team === undefined, {
      code: 400, message: 'admission webhook "require-team.policies.example.com" denied the request: metadata.labels.team is required',
    });
    config = testKubeconfig(fake);
    // The server is a child process: it reads the kubeconfig the test points it at.
    process.env.KUBECONFIG = config.path;
    workspace = mkdtempSync(join(tmpdir(), 'kgov-lsp-cluster-'));
    writeFileSync(file('deploy.yaml'), DEPLOYMENT);
    writeFileSync(file('configmap.yaml'), CONFIGMAP);
    writeFileSync(file('widget.yaml'), WIDGET);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await fake.stop();
    config.cleanup();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('contacts nothing when kgov.cluster.enable is off, or in an untrusted workspace', async () => {
    const before = fake.requests.length;
    const off = await start({});
    const untrusted = await start({ cluster: { enable: true, context: 'fake' } }, false);
    for (const client of [off, untrusted]) {
      const status = await client.connection.sendRequest<StatusParams>('kgov/status');
      assert.deepEqual(status.cluster, { state: 'off' });
    }
    const contexts = await untrusted.connection.sendRequest<ClusterContextsResult>('kgov/clusterContexts');
    assert.equal(contexts.error, 'Cluster features need a trusted workspace.');
    const result = await off.connection.sendRequest<ValidateAgainstClusterResult>('kgov/validateAgainstCluster', { uri: uri(file('deploy.yaml')) });
    assert.equal(result.error, 'Cluster features are off: turn on the setting kgov.cluster.enable.');
    const widget = uri(file('widget.yaml'));
    off.open(widget, WIDGET);
    const diagnostics = await off.waitForDiagnostics(widget);
    assert.deepEqual(diagnostics.map((d) => d.code), ['api/unknown-kind'], 'without the cluster, Widget is unknown');
    assert.equal(fake.requests.length, before, 'not a single request reached the API server');
  });

  describe('connected to context "fake"', () => {
    let client: TestClient;
    before(async () => {
      client = await start({ cluster: { enable: true, context: 'fake' } });
    });

    it('shows the context and the cluster\'s version in the status, and validates against that version', async () => {
      const status = await client.waitForStatusWhere((s) => s.cluster?.state === 'connected');
      assert.equal(status.cluster?.context, 'fake');
      assert.equal(status.cluster?.server, fake.url);
      assert.equal(status.cluster?.serverVersion, 'v1.30.4');
      assert.equal(status.cluster?.message, 'Kubernetes v1.30.4; 1 CustomResourceDefinition');
      const now = await client.connection.sendRequest<StatusParams>('kgov/status');
      assert.equal(now.kubernetesVersion, '1.30', 'the cluster\'s version, as no version is set');
      assert.ok(client.log.some((l) => /cluster: context "fake" \(https:\/\/127\.0\.0\.1:\d+\): Kubernetes v1\.30\.4; 1 CustomResourceDefinition \(\d+ ms\)/.test(l)), client.log.join('\n'));
    });

    it('validates custom resources with the cluster\'s CRDs', async () => {
      await client.waitForStatusWhere((s) => s.cluster?.state === 'connected');
      const widget = uri(file('widget.yaml'));
      client.open(widget, WIDGET);
      const diagnostics = await client.waitForDiagnostics(widget, (d) => d.length > 0);
      assert.deepEqual(diagnostics.map(at), ['7:9-7:12 schema/type']);
    });

    it('lists the kubeconfig\'s contexts for the quick pick', async () => {
      const result = await client.connection.sendRequest<ClusterContextsResult>('kgov/clusterContexts');
      assert.equal(result.selected, 'fake');
      assert.deepEqual(result.contexts.map((c) => c.name), ['fake', 'fake-badtoken', 'fake-badca', 'fake-unreachable', 'fake-exec', 'fake-exec-fails', 'fake-cert']);
      assert.equal(result.contexts.find((c) => c.name === 'fake')?.current, true);
    });

    it('"Validate Against Cluster": Status causes and webhook denials become diagnostics at the keys they name', async () => {
      await client.waitForStatusWhere((s) => s.cluster?.state === 'connected');
      const deploy = uri(file('deploy.yaml'));
      client.open(deploy, DEPLOYMENT);
      await client.waitForDiagnostics(deploy);
      const started = performance.now();
      const result = await client.connection.sendRequest<ValidateAgainstClusterResult>('kgov/validateAgainstCluster', { uri: deploy });
      const ms = performance.now() - started;
      assert.equal(result.error, undefined);
      assert.equal(result.context, 'fake');
      assert.deepEqual(result.documents, [{
        docIndex: 0, apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', outcome: 'rejected',
        message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: 0: must be greater than or equal to 1',
      }]);
      const diagnostics = await client.waitForDiagnostics(deploy, (d) => d.some((x) => x.code === 'cluster/dry-run'));
      const dry = diagnostics.filter((d) => d.code === 'cluster/dry-run');
      assert.deepEqual(dry.map(at), ['9:13-9:14 cluster/dry-run'], 'the value of replicas');
      assert.equal(dry[0]?.message, 'The cluster rejects it (context "fake"): spec.replicas: Invalid value: 0: must be greater than or equal to 1');
      assert.match(dry[0]?.codeDescription?.href ?? '', /docs\/rules\/cluster\/dry-run\.md$/);
      const patch = fake.requests.filter((r) => r.method === 'PATCH').at(-1);
      assert.deepEqual(patch?.query, { dryRun: 'All', fieldManager: 'kgov', force: 'true', fieldValidation: 'Strict' });
      assert.equal(patch?.contentType, 'application/apply-patch+yaml');
      console.log(`# dry run of one document through the language server: ${ms.toFixed(0)} ms`);

      const configmap = uri(file('configmap.yaml'));
      client.open(configmap, CONFIGMAP);
      const denied = await client.connection.sendRequest<ValidateAgainstClusterResult>('kgov/validateAgainstCluster', { uri: configmap });
      assert.equal(denied.documents[0]?.outcome, 'rejected');
      const cm = await client.waitForDiagnostics(configmap, (d) => d.some((x) => x.code === 'cluster/dry-run'));
      assert.deepEqual(cm.filter((d) => d.code === 'cluster/dry-run').map(at), ['6:3-6:9 cluster/dry-run'], 'metadata.labels.team is missing: the labels key');

      // The findings belong to the text they were computed for: an edit drops them.
      client.change(deploy, 2, [{ range: { start: { line: 8, character: 12 }, end: { line: 8, character: 13 } }, text: '2' }]);
      const edited = await client.waitForDiagnostics(deploy, (_d, version) => version === 2);
      assert.ok(!edited.some((d) => d.code === 'cluster/dry-run'));
      const accepted = await client.connection.sendRequest<ValidateAgainstClusterResult>('kgov/validateAgainstCluster', { uri: deploy });
      assert.equal(accepted.documents[0]?.outcome, 'accepted');
      assert.equal(accepted.findings, 0);
    });

    it('adds live items to the rollout checklist (image, replicas, rollout, drift), marked live and outside the score', async () => {
      await client.waitForStatusWhere((s) => s.cluster?.state === 'connected');
      const deploy = uri(file('deploy.yaml'));
      const result = await client.connection.sendRequest<ChecklistResult>('kgov/checklist', { uri: deploy });
      const web = result.workloads.find((w) => w.name === 'web');
      assert.ok(web);
      const live = web.groups.flatMap((g) => g.items.filter((i) => i.live).map((i) => ({ group: g.group, ...i })));
      assert.deepEqual(live.map((i) => [i.group, i.ruleId, i.status, i.message, `${i.range.start.line + 1}:${i.range.start.character + 1}`]), [
        ['availability', 'cluster/live-replicas', 'fail', '2 of 3 replicas ready in the cluster (context "fake") (2 available, 3 up to date).', '9:13'],
        ['availability', 'cluster/live-rollout', 'fail', 'Latest rollout condition: Available=False (MinimumReplicasUnavailable): Deployment does not have minimum availability in the cluster (context "fake").', '4:9'],
        ['availability', 'cluster/live-drift', 'fail', 'The live object drifted from the file in the cluster (context "fake"): spec.replicas (file 2, cluster 3).', '9:13'],
        ['images', 'cluster/live-image', 'fail', 'Deployed image differs in the cluster (context "fake"): container "web" runs nginx:1.26, the file says nginx:1.27.', '20:18'],
      ]);
      // The score (docs/checklist.md: weights error 3, warning 2, info 1) counts the file's items only, each once
      // (an item the rollout group repeats from another group names that group: primaryGroup).
      const weight = { error: 3, warning: 2, info: 1 } as const;
      const counted = web.groups.flatMap((g) => g.items).filter((i) => i.status !== 'notApplicable' && !i.live && !i.primaryGroup);
      const total = counted.reduce((n, i) => n + weight[i.severity], 0);
      const met = counted.filter((i) => i.status !== 'fail').reduce((n, i) => n + weight[i.severity], 0);
      assert.equal(web.score, Math.round((100 * met) / total));
      assert.ok(met < total || live.some((i) => i.status === 'fail'), 'the live failures would have lowered it');
    });
  });

  it('a slow API server: the checklist answers within the 5 s deadline, the status says why, and the cluster is not asked again at once', async () => {
    const client = await start({ cluster: { enable: true, context: 'fake' } });
    await client.waitForStatusWhere((s) => s.cluster?.state === 'connected');
    const slow = file('slow.yaml');
    writeFileSync(slow, DEPLOYMENT.replace('namespace: shop', 'namespace: slow'));
    const started = performance.now();
    const first = await client.connection.sendRequest<ChecklistResult>('kgov/checklist', { uri: uri(slow) });
    const ms = performance.now() - started;
    assert.ok(ms >= 4900 && ms < 8000, `answered after ${ms.toFixed(0)} ms`);
    assert.ok(first.workloads[0]?.groups.every((g) => g.items.every((i) => !i.live)), 'no live items');
    const status = await client.waitForStatusWhere((s) => s.cluster?.state === 'error');
    assert.match(status.cluster?.message ?? '', /^The cluster of context "fake" \(https:\/\/127\.0\.0\.1:\d+\) did not answer GET \/apis\/apps\/v1\/namespaces\/slow\/deployments within 5 s; the API server is slow or unreachable\.$/);
    const count = fake.requests.length;
    for (let i = 0; i < 5; i++) await client.connection.sendRequest<ChecklistResult>('kgov/checklist', { uri: uri(slow) });
    const dry = await client.connection.sendRequest<ValidateAgainstClusterResult>('kgov/validateAgainstCluster', { uri: uri(file('deploy.yaml')) });
    assert.match(dry.error ?? '', /did not answer GET \/apis\/apps\/v1\/namespaces\/slow\/deployments within 5 s/, 'the failure in force, without a request');
    assert.equal(fake.requests.length, count, 'no retry storm: 6 requests to the server, none to the cluster');
    console.log(`# slow API server: checklist answered after ${ms.toFixed(0)} ms (deadline 5 s)`);
  });

  it('failure modes reach the status item with a clear message, fast, and without secrets in the log', async () => {
    const cases: Array<[string, RegExp]> = [
      ['fake-unreachable', /^Cannot reach the cluster of context "fake-unreachable" \(https:\/\/127\.0\.0\.1:\d+\): connection refused \(ECONNREFUSED\)/],
      ['fake-badtoken', /^The cluster of context "fake-badtoken" rejected the credentials \(401 Unauthorized\)/],
      ['fake-badca', /^TLS error with the cluster of context "fake-badca"/],
      ['fake-exec-fails', /^The credentials of context "fake-exec-fails" could not be obtained: login failed for secret <redacted>$/],
      ['staging', /^No context named "staging" in /],
    ];
    const logs: string[] = [];
    for (const [context, expected] of cases) {
      const client = await start({ cluster: { enable: true, context } });
      const status = await client.waitForStatusWhere((s) => s.cluster?.state === 'error');
      assert.match(status.cluster?.message ?? '', expected, context);
      assert.equal(status.state, 'ready', 'the server keeps serving');
      const timing = client.log.find((l) => l.startsWith('[kgov] cluster: '));
      assert.ok(timing, client.log.join('\n'));
      if (context === 'fake-unreachable') console.log(`# unreachable cluster detected by the language server: ${/after (\d+) ms/.exec(timing)?.[1]} ms`);
      logs.push(...client.log, JSON.stringify(status));
      await client.stop();
      clients.splice(clients.indexOf(client), 1);
    }
    for (const client of clients) logs.push(...client.log);
    for (const secret of secretsOf(fake, config)) for (const line of logs) assert.ok(!line.includes(secret), `secret in: ${line}`);
  });
});
