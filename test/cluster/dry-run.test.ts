/**
 * Dry runs against the fake API server, and where their answers land in the file: Status causes (validation
 * and structured-merge-diff paths), webhook denials with and without a path, kinds the cluster does not
 * serve, warnings, waivers, skipped resources. Plus the field-path parser on its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dryRunFile, type DryRunResult } from '../../server/src/cluster/dry-run';
import { parseFieldPath, resolveFieldPath } from '../../server/src/cluster/field-path';
import { loadKubeconfig, selectContext } from '../../server/src/cluster/kubeconfig';
import { ClusterSession } from '../../server/src/cluster/session';
import { createEngine, type Engine } from '../../server/src/engine/engine';
import type { Finding } from '../../server/src/engine/types';
import { spanOf } from '../../server/src/engine/yaml/locate';
import { schemasDir } from '../../server/src/host/paths';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver';

describe('field paths from API errors', () => {
  const value = {
    metadata: { annotations: { 'example.com/key': 'x' }, finalizers: ['a', 'b'] },
    spec: { template: { spec: { containers: [{ name: 'side', ports: [] }, { name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }] }] } } },
  };
  const pointer = (path: string) => {
    const segments = parseFieldPath(path);
    assert.ok(segments, path);
    return resolveFieldPath(value, segments);
  };

  it('validation paths: fields, indexes and map keys', () => {
    assert.deepEqual(pointer('spec.template.spec.containers[1].image'), { pointer: '/spec/template/spec/containers/1/image', complete: true, depth: 6 });
    assert.deepEqual(pointer('metadata.annotations[example.com/key]'), { pointer: '/metadata/annotations/example.com~1key', complete: true, depth: 3 });
  });

  it('structured-merge-diff paths: list items by key, set items by value', () => {
    assert.equal(pointer('.spec.template.spec.containers[name="web"].ports[containerPort=443,protocol="TCP"].hostPort').pointer, '/spec/template/spec/containers/1/ports/1');
    assert.equal(pointer('.metadata.finalizers[="b"]').pointer, '/metadata/finalizers/1');
  });

  it('a path that leaves the object stops at the deepest part that exists', () => {
    assert.deepEqual(pointer('metadata.labels.team'), { pointer: '/metadata', complete: false, depth: 1 });
    assert.deepEqual(pointer('spec.template.spec.containers[5].image'), { pointer: '/spec/template/spec/containers', complete: false, depth: 4 });
  });

  it('rejects what is not a path', () => {
    assert.equal(parseFieldPath('not a path!'), undefined);
    assert.equal(parseFieldPath('spec.containers[0'), undefined);
  });
});

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
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
          imagePullPolicyy: Always
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: policy
  namespace: shop
  labels:
    app: web
data:
  a: "1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: opaque
  namespace: shop
---
apiVersion: v1
kind: Pod
metadata:
  name: legacy
spec:
  containers:
    - name: app
      image: busybox
---
apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: old
---
apiVersion: v1
kind: ConfigMap
metadata:
  generateName: cm-
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: waived
  namespace: shop
  annotations:
    kgov.io/ignore: cluster/dry-run
    kgov.io/ignore-reason: the webhook is being rolled out
`;

describe('dry runs of a file', () => {
  let fake: FakeApiServer;
  let engine: Engine;
  let result: DryRunResult;
  const at = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.ruleId}`;

  before(async () => {
    fake = await startFakeApiServer({ version: 'v1.31.0' });
    fake.denyDryRun((o) => o?.kind === 'Deployment', {
      code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: 0: must be greater than or equal to 1, spec.template.spec.containers[0].imagePullPolicyy: unknown field]',
      details: {
        name: 'web', group: 'apps', kind: 'Deployment', causes: [
          { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1', field: 'spec.replicas' },
          { reason: 'FieldValueInvalid', message: 'field not declared in schema', field: '.spec.template.spec.containers[name="web"].imagePullPolicyy' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].resources.limits' },
        ],
      },
    });
    fake.denyDryRun((o) => o?.metadata?.name === 'policy' || o?.metadata?.name === 'waived', {
      code: 400, message: 'admission webhook "validate.kyverno.svc-fail" denied the request: resource ConfigMap/shop/policy was blocked: require-team: validation error: label team is required. rule check-team failed at path /metadata/labels/team/',
    });
    fake.denyDryRun((o) => o?.metadata?.name === 'opaque', { code: 500, reason: 'InternalError', message: 'Internal error occurred: failed calling webhook "quota.example.com": connection refused' });
    fake.warnDryRun((o) => o?.kind === 'Pod', 'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)');
    fake.warnDryRun((o) => o?.kind === 'Pod', 'a second "quoted" warning');
    engine = createEngine({ schemasDir: schemasDir() });
    const session = new ClusterSession(selectContext(loadKubeconfig([fake.kubeconfigPath]), 'fake', false));
    const started = performance.now();
    result = await dryRunFile(session, engine.analyze('/w/all.yaml', MANIFESTS), { severityOf: (id) => engine.severityOf(id), spanOf });
    console.log(`# dry run of ${result.documents.length} documents against the fake API server: ${(performance.now() - started).toFixed(0)} ms`);
  });
  after(() => fake.stop());

  it('reports every resource: rejected, accepted or skipped with the reason', () => {
    assert.deepEqual(result.documents.map((d) => [d.docIndex, d.resource.name ?? '', d.outcome]), [
      [0, 'web', 'rejected'], [1, 'policy', 'rejected'], [2, 'opaque', 'rejected'], [3, 'legacy', 'accepted'], [4, 'old', 'rejected'], [5, '', 'skipped'], [6, 'waived', 'rejected'],
    ]);
    assert.equal(result.documents[5]?.message, 'no metadata.name (server-side apply needs one)');
    assert.equal(result.documents[3]?.message, 'accepted with 2 warning(s)');
  });

  it('puts each finding at the key or value it is about', () => {
    assert.deepEqual(result.findings.map(at), [
      '7:13-7:14 cluster/dry-run', // spec.replicas: the value
      '17:11-17:15 cluster/dry-run', // resources.limits is missing: the container's first key
      '19:11-19:27 cluster/dry-run', // an unknown field: its key
      '26:3-26:9 cluster/dry-run', // Kyverno's path /metadata/labels/team: team is missing, the labels key
      '34:9-34:15 cluster/dry-run', // no path in the message: the name
      '40:9-40:15 cluster/dry-run-warning',
      '40:9-40:15 cluster/dry-run-warning',
      '47:7-47:17 cluster/dry-run', // not served: the kind
      '58:1-58:9 cluster/dry-run', // no labels at all: the metadata key (and waived)
    ]);
    const messages = result.findings.map((f) => f.message);
    assert.equal(messages[0], 'The cluster rejects it (context "fake"): spec.replicas: Invalid value: 0: must be greater than or equal to 1');
    assert.equal(messages[2], 'The cluster rejects it (context "fake"): spec.template.spec.containers[name="web"].imagePullPolicyy: field not declared in schema');
    assert.match(messages[3] ?? '', /^The cluster rejects it \(context "fake", 400\): admission webhook "validate\.kyverno\.svc-fail" denied the request: /);
    assert.equal(messages[4], 'The cluster rejects it (context "fake", 500 InternalError): Internal error occurred: failed calling webhook "quota.example.com": connection refused');
    assert.equal(messages[5], 'The cluster warns (context "fake"): would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)');
    assert.equal(messages[6], 'The cluster warns (context "fake"): a second "quoted" warning');
    assert.equal(messages[7], 'The cluster (context "fake") does not serve apps/v1beta1 Deployment: its API discovery lists no such kind.');
    assert.deepEqual(result.findings.map((f) => f.severity), ['error', 'error', 'error', 'error', 'error', 'warning', 'warning', 'error', 'error']);
  });

  it('honours kgov.io/ignore on the object', () => {
    const waived = result.findings.filter((f) => f.suppressed);
    assert.deepEqual(waived.map(at), ['58:1-58:9 cluster/dry-run']);
    assert.equal(waived[0]?.suppressed?.reason, 'the webhook is being rolled out');
  });

  it('sends server-side apply dry runs with kgov as the field manager, in the context namespace when none is set', () => {
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 5, 'not for the kind the cluster does not serve, nor for the object without a name');
    for (const p of patches) {
      assert.deepEqual(p.query, { dryRun: 'All', fieldManager: 'kgov', force: 'true', fieldValidation: 'Strict' });
      assert.equal(p.contentType, 'application/apply-patch+yaml');
    }
    assert.ok(patches.some((p) => p.path === '/api/v1/namespaces/default/pods/legacy'), 'the context\'s namespace');
  });
});
