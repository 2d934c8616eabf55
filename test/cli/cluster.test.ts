/** `kgov audit --context NAME` (the bundled CLI in a child process) against the fake API server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeApiServer, type FakeApiServer } from '../cluster/fake-apiserver';
import { secretsOf, testKubeconfig, type TestKubeconfig } from '../cluster/helpers';

const cli = resolve(__dirname, '../../server/out/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Asynchronous on purpose: the fake API server lives in this process and must keep answering. */
function kgov(args: string[], cwd: string, kubeconfig: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolveRun) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolveRun({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const DEPLOYMENT = `apiVersion: apps/v1
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
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: shop
spec:
  size: big
`;

/** The same kind as the cluster's CRD, but `size` is a string here: the input set's CRD wins. */
const LOCAL_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: string } } }
`;

interface Report {
  kubernetesVersion: string;
  files: Array<{ path: string; findings: Array<{ ruleId: string; message: string; range: { start: { line: number; character: number } } }> }>;
}

/** Schema, API and cluster findings (the recommended rules' findings on these small files are not the subject). */
const where = (report: Report) => report.files.flatMap((f) => f.findings.filter((x) => x.ruleId.includes('/'))
  .map((x) => `${f.path}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.ruleId}`));

describe('kgov audit --context', () => {
  let fake: FakeApiServer;
  let config: TestKubeconfig;
  let dir: string;

  before(async () => {
    fake = await startFakeApiServer({ version: 'v1.30.4' });
    fake.addCrd({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    });
    fake.denyDryRun((o) => o?.kind === 'Deployment' && o?.spec?.replicas === 0, {
      code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: 0: must be greater than or equal to 1',
      details: { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1', field: 'spec.replicas' }] },
    });
    fake.forbid('/apis/example.com/v1/namespaces/shop/widgets/w1');
    config = testKubeconfig(fake);
    dir = mkdtempSync(join(tmpdir(), 'kgov-cli-cluster-'));
    writeFileSync(join(dir, 'deploy.yaml'), DEPLOYMENT);
    writeFileSync(join(dir, 'widget.yaml'), WIDGET);
    writeFileSync(join(dir, 'crd.yaml'), LOCAL_CRD);
  });
  after(async () => {
    await fake.stop();
    config.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the cluster\'s version and CRDs, and reports dry-run rejections as cluster/dry-run findings', async () => {
    const before = fake.requests.length;
    const run = await kgov(['audit', 'deploy.yaml', 'widget.yaml', '--context', 'fake', '--format', 'json'], dir, config.path);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.kubernetesVersion, '1.30');
    assert.deepEqual(where(report), ['deploy.yaml:7:13 cluster/dry-run', 'widget.yaml:7:9 schema/type']);
    assert.equal(report.files[0]?.findings[0]?.message, 'The cluster rejects it (context "fake"): spec.replicas: Invalid value: 0: must be greater than or equal to 1');
    assert.deepEqual(run.stderr.split('\n').filter(Boolean), [
      `kgov: cluster context "fake" (${fake.url}): Kubernetes v1.30.4; 1 CustomResourceDefinition`,
      'kgov: widget.yaml: Widget w1 (document 1) not dry-run: 403 Forbidden: widgets.example.com "w1" is forbidden: User "system:serviceaccount:kgov:kgov-reader" cannot patch resource "widgets" in API group "example.com" in the namespace "shop"',
      'kgov: server-side dry run: 0 accepted, 1 rejected, 1 skipped',
    ]);
    assert.ok(fake.requests.slice(before).some((r) => r.method === 'PATCH' && r.query.dryRun === 'All'));
    console.log(`# kgov audit --context fake, 2 files: ${run.ms.toFixed(0)} ms`);
  });

  it('CRDs in the input set win over the cluster\'s, and --kubernetes-version over the cluster\'s version', async () => {
    const run = await kgov(['audit', 'crd.yaml', 'widget.yaml', '--context', 'fake', '--kubernetes-version', '1.33', '--format', 'json'], dir, config.path);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.kubernetesVersion, '1.33');
    assert.deepEqual(where(report).filter((w) => !w.endsWith('cluster/dry-run')), [], 'size: big is a valid string for the local CRD');
  });

  it('an unusable cluster stops the audit with exit code 2 and the reason, without secrets', async () => {
    const cases: Array<[string, RegExp]> = [
      ['fake-unreachable', /^kgov: --context: Cannot reach the cluster of context "fake-unreachable" \(https:\/\/127\.0\.0\.1:\d+\): connection refused \(ECONNREFUSED\)/],
      ['fake-badtoken', /^kgov: --context: The cluster of context "fake-badtoken" rejected the credentials \(401 Unauthorized\)/],
      ['fake-badca', /^kgov: --context: TLS error with the cluster of context "fake-badca"/],
      ['fake-exec-fails', /^kgov: --context: The credentials of context "fake-exec-fails" could not be obtained: login failed for secret <redacted>\n/],
      ['staging', /^kgov: --context: No context named "staging" in /],
    ];
    const secrets = secretsOf(fake, config);
    for (const [context, expected] of cases) {
      const run = await kgov(['audit', 'deploy.yaml', '--context', context], dir, config.path);
      assert.equal(run.code, 2, context);
      assert.match(run.stderr, expected);
      assert.match(run.stderr, /No report was written\.\n$/);
      assert.equal(run.stdout, '');
      for (const secret of secrets) assert.ok(!run.stderr.includes(secret), `secret in: ${run.stderr}`);
      if (context === 'fake-unreachable') console.log(`# kgov audit --context (unreachable): exit 2 after ${run.ms.toFixed(0)} ms`);
    }
  });

  it('the exec credential plugin of a context runs for the CLI (the user\'s own checkout)', async () => {
    const run = await kgov(['audit', 'deploy.yaml', '--context', 'fake-exec', '--format', 'json'], dir, config.path);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(where(JSON.parse(run.stdout) as Report), ['deploy.yaml:7:13 cluster/dry-run']);
  });

  it('without --context, nothing is contacted even with a kubeconfig around', async () => {
    const before = fake.requests.length;
    const run = await kgov(['audit', 'deploy.yaml', 'widget.yaml', '--format', 'json'], dir, config.path);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.kubernetesVersion, '1.34');
    assert.deepEqual(where(report), ['widget.yaml:2:7 api/unknown-kind']);
    assert.equal(run.stderr, '');
    assert.equal(fake.requests.length, before);
  });
});
