/**
 * server/src/cluster against the fake API server: kubeconfig loading and context selection, version and CRDs,
 * discovery, live lists, dry runs, and every failure mode (401, 403, TLS, unreachable, slow, cancelled,
 * credential plugins) with its message, the back-off that prevents retry storms, and that no secret is printed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { ClusterError } from '../../server/src/cluster/errors';
import { kubeconfigPaths, listContexts, loadKubeconfig, selectContext } from '../../server/src/cluster/kubeconfig';
import { ClusterSession, type SessionOptions } from '../../server/src/cluster/session';
import { MAX_TIMEOUT_MS } from '../../server/src/cluster/transport';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver';
import { secretsOf, testKubeconfig, type TestKubeconfig } from './helpers';

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
};

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ClusterError, `expected a ClusterError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('cluster session', () => {
  let fake: FakeApiServer;
  let config: TestKubeconfig;
  /** Every message the tests saw: none may contain a secret. */
  const messages: string[] = [];
  const session = (context: string, options: SessionOptions = {}, allowCommands = true) =>
    new ClusterSession(selectContext(loadKubeconfig([config.path]), context, allowCommands), options);
  const expectFailure = async (promise: Promise<unknown>) => {
    const error = await failure(promise);
    messages.push(error.message);
    return error;
  };

  before(async () => {
    fake = await startFakeApiServer({ version: 'v1.31.2-eks-7f9249a' });
    fake.addCrd(widgetCrd);
    fake.addObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } });
    fake.forbid('/apis/apps/v1/namespaces/locked');
    config = testKubeconfig(fake);
  });
  after(async () => {
    await fake.stop();
    config.cleanup();
  });

  it('reads KUBECONFIG like kubectl: several files, the first definition and current-context win', () => {
    const second = join(config.dir, 'second.yaml');
    writeFileSync(second, YAML.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'other',
      clusters: [{ name: 'fake', cluster: { server: 'https://192.0.2.1:6443' } }, { name: 'other', cluster: { server: 'https://192.0.2.2:6443' } }],
      users: [{ name: 'other-user', user: { token: 'other-token-value' } }],
      contexts: [{ name: 'other', context: { cluster: 'other', user: 'other-user' } }],
    }));
    const paths = kubeconfigPaths({ KUBECONFIG: [config.path, join(config.dir, 'missing.yaml'), second].join(process.platform === 'win32' ? ';' : ':') }, '/home/nobody');
    assert.equal(paths.length, 3);
    const loaded = loadKubeconfig(paths);
    assert.deepEqual(loaded.paths, [config.path, second], 'missing files are skipped');
    assert.equal(loaded.currentContext, 'fake');
    const contexts = listContexts(loaded);
    assert.equal(contexts.find((c) => c.name === 'fake')?.server, fake.url, 'the first file\'s cluster "fake" wins');
    assert.equal(contexts.find((c) => c.name === 'other')?.server, 'https://192.0.2.2:6443');
    assert.deepEqual(contexts.filter((c) => c.runsCommand).map((c) => c.name).sort(), ['fake-exec', 'fake-exec-fails']);
    assert.deepEqual(kubeconfigPaths({}, '/home/me'), ['/home/me/.kube/config']);
  });

  it('says what is wrong with the kubeconfig or the context, without contacting anything', () => {
    const none = assert.throws(() => loadKubeconfig([join(config.dir, 'nope.yaml')]), (e: unknown) => e instanceof ClusterError && e.kind === 'config' && /No kubeconfig at .*nope\.yaml/.test(e.message));
    void none;
    assert.throws(() => selectContext(loadKubeconfig([config.path]), 'staging', true), /No context named "staging" in .*\(contexts: fake, fake-badtoken/);
    const before = fake.requests.length;
    assert.equal(selectContext(loadKubeconfig([config.path]), undefined, true).info.name, 'fake', 'the current context by default');
    assert.equal(fake.requests.length, before);
  });

  it('fetches the version and the CRDs once, caches them, and asks again after refresh()', async () => {
    const s = session('fake');
    const before = fake.requests.length;
    const facts = await s.facts();
    assert.equal(facts.gitVersion, 'v1.31.2-eks-7f9249a');
    assert.equal(facts.version, '1.31');
    assert.deepEqual(facts.crds.map((c) => (c.metadata as { name: string }).name), ['widgets.example.com']);
    assert.equal(facts.crdProblem, undefined);
    assert.deepEqual(fake.requests.slice(before).map((r) => r.path), ['/version', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions']);
    const [a, b] = await Promise.all([s.facts(), s.facts()]);
    assert.equal(a, b);
    assert.equal(fake.requests.length, before + 2, 'cached: no new request');
    s.refresh();
    await s.facts();
    assert.equal(fake.requests.length, before + 4);
  });

  it('discovers resources and lists live objects (raw JSON, cached briefly)', async () => {
    const s = session('fake');
    assert.deepEqual(await s.resource('apps/v1', 'Deployment'), await s.resource('apps/v1', 'Deployment'));
    assert.equal((await s.resource('apps/v1', 'Deployment'))?.name, 'deployments');
    assert.equal(await s.resource('apps/v1beta1', 'Deployment'), undefined, 'not served (404 on discovery)');
    assert.equal(await s.resource('apps/v1', 'Gadget'), undefined, 'not served (kind not in the group)');
    const live = await s.list('apps/v1', 'Deployment', 'shop');
    assert.deepEqual(live.map((o) => o.metadata?.name), ['web']);
    assert.equal(typeof live[0]?.metadata?.creationTimestamp, 'string', 'raw JSON: timestamps stay strings');
    const count = fake.requests.length;
    await s.list('apps/v1', 'Deployment', 'shop');
    assert.equal(fake.requests.length, count);
  });

  it('expired or wrong credentials: a 401 message, then no request until the back-off passes or refresh()', async () => {
    let now = 1_000_000;
    const s = session('fake-badtoken', { now: () => now, retryAfterMs: 10_000 });
    const error = await expectFailure(s.facts());
    assert.equal(error.kind, 'unauthorized');
    assert.match(error.message, /^The cluster of context "fake-badtoken" rejected the credentials \(401 Unauthorized\): the token or client certificate is expired or invalid/);
    const count = fake.requests.length;
    for (let i = 0; i < 20; i++) assert.equal((await expectFailure(s.facts())).kind, 'unauthorized');
    await expectFailure(s.list('apps/v1', 'Deployment', 'shop'));
    await expectFailure(s.applyDryRun({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    assert.equal(fake.requests.length, count, 'no retry storm: 22 calls, 0 requests');
    now += 10_001;
    await expectFailure(s.facts());
    assert.equal(fake.requests.length, count + 1, 'one request after the back-off');
    now += 10_001;
    await expectFailure(s.facts());
    assert.equal(fake.requests.length, count + 1, 'the back-off doubled (20 s)');
    s.refresh();
    await expectFailure(s.facts());
    assert.equal(fake.requests.length, count + 2, 'refresh() retries at once');
  });

  it('RBAC: a forbidden list is a 403 message naming the verb and resource, and does not stop the session', async () => {
    const s = session('fake');
    const error = await expectFailure(s.list('apps/v1', 'Deployment', 'locked'));
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /^Forbidden by the cluster's RBAC \(403\) for context "fake": deployments\.apps is forbidden: User ".*" cannot list resource "deployments" in API group "apps" in the namespace "locked"$/);
    assert.equal(s.lastFailure, undefined);
    assert.equal((await s.list('apps/v1', 'Deployment', 'shop')).length, 1);
  });

  it('TLS: a server certificate the kubeconfig CA does not sign', async () => {
    const error = await expectFailure(session('fake-badca').facts());
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /^TLS error with the cluster of context "fake-badca" \(https:\/\/127\.0\.0\.1:\d+\): its certificate is not signed by the certificate authority of the kubeconfig \([A-Z_]+\)/);
  });

  it('unreachable: connection refused, detected at once', async () => {
    const started = performance.now();
    const error = await expectFailure(session('fake-unreachable').facts());
    const ms = performance.now() - started;
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /^Cannot reach the cluster of context "fake-unreachable" \(https:\/\/127\.0\.0\.1:\d+\): connection refused \(ECONNREFUSED\)\. Is the cluster running/);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });

  it('every request has a deadline of at most 5 s', () => {
    assert.equal(MAX_TIMEOUT_MS, 5000);
    assert.equal(session('fake').timeoutMs, 5000);
    assert.equal(session('fake', { timeoutMs: 60_000 }).timeoutMs, 5000);
  });

  describe('a slow API server', () => {
    let slow: FakeApiServer;
    let slowConfig: string;
    before(async () => {
      slow = await startFakeApiServer();
      slow.hang('/version');
      slow.hang('/apis/apps/v1/namespaces/slow');
      slowConfig = slow.kubeconfigPath;
    });
    after(() => slow.stop());
    const slowSession = (options: SessionOptions) => new ClusterSession(selectContext(loadKubeconfig([slowConfig]), 'fake', false), options);

    it('times out with a message naming the request and the limit', async () => {
      const started = performance.now();
      const error = await expectFailure(slowSession({ timeoutMs: 300 }).facts());
      const ms = performance.now() - started;
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /^The cluster of context "fake" \(https:\/\/127\.0\.0\.1:\d+\) did not answer GET \/version within 0\.3 s; the API server is slow or unreachable\.$/);
      assert.ok(ms >= 280 && ms < 1500, `took ${ms.toFixed(0)} ms`);
    });

    it('is cancellable: an aborted caller stops waiting at once', async () => {
      const s = slowSession({ timeoutMs: 5000 });
      const controller = new AbortController();
      const started = performance.now();
      const pending = s.facts(controller.signal);
      setTimeout(() => controller.abort(), 50);
      const error = await expectFailure(pending);
      assert.equal(error.kind, 'cancelled');
      assert.ok(performance.now() - started < 1000);
      const dry = s.applyDryRun({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'slow' } }, AbortSignal.timeout(100));
      assert.equal((await expectFailure(dry)).kind, 'cancelled');
      assert.equal(s.lastFailure, undefined, 'a cancelled request is not a connection failure');
    });
  });

  it('RBAC that forbids listing CRDs: the version is still used, and the facts say why the CRDs are missing', async () => {
    const locked = await startFakeApiServer({ version: 'v1.29.3' });
    try {
      locked.addCrd(widgetCrd);
      locked.forbid('/apis/apiextensions.k8s.io');
      const facts = await new ClusterSession(selectContext(loadKubeconfig([locked.kubeconfigPath]), 'fake', false)).facts();
      assert.equal(facts.version, '1.29');
      assert.deepEqual(facts.crds, []);
      assert.equal(facts.crdProblem, 'CustomResourceDefinitions not loaded: Forbidden by the cluster\'s RBAC (403) for context "fake": customresourcedefinitions.apiextensions.k8s.io is forbidden: User "system:serviceaccount:kgov:kgov-reader" cannot list resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope');
    } finally {
      await locked.stop();
    }
  });

  describe('credential plugins', () => {
    it('are not run for an untrusted workspace', () => {
      const error = (() => {
        try {
          selectContext(loadKubeconfig([config.path]), 'fake-exec', false);
        } catch (e) {
          return e as ClusterError;
        }
        assert.fail('expected an error');
      })();
      assert.equal(error.kind, 'untrusted-exec');
      assert.equal(error.message, `Context "fake-exec" authenticates by running "${process.execPath}" (an exec credential plugin); kgov runs it only in a trusted workspace.`);
      assert.equal(existsSync(config.execMarker), false, 'the plugin never ran');
    });

    it('run in a trusted workspace and authenticate', async () => {
      const facts = await session('fake-exec').facts();
      assert.equal(facts.version, '1.31');
      assert.ok(existsSync(config.execMarker));
    });

    it('a failing plugin is a credentials error, with the secrets it printed masked', async () => {
      const error = await expectFailure(session('fake-exec-fails').facts());
      assert.equal(error.kind, 'credentials');
      assert.match(error.message, /^The credentials of context "fake-exec-fails" could not be obtained: login failed for secret <redacted>$/);
    });

    it('legacy auth providers that shell out synchronously are refused', () => {
      const path = join(config.dir, 'gcp.yaml');
      writeFileSync(path, YAML.stringify({
        'current-context': 'gke', clusters: [{ name: 'c', cluster: { server: 'https://192.0.2.9' } }],
        users: [{ name: 'u', user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud', 'access-token': 'ya29.secret-access-token' } } } }],
        contexts: [{ name: 'gke', context: { cluster: 'c', user: 'u' } }],
      }));
      assert.throws(() => selectContext(loadKubeconfig([path]), undefined, true), /legacy "gcp" auth provider with cmd-path, which kgov does not run/);
    });
  });

  it('client certificates work, and no message printed in these tests contains a secret', async () => {
    const s = session('fake-cert');
    assert.equal((await s.facts()).version, '1.31');
    assert.ok(messages.length >= 25, `${messages.length} messages checked`);
    const secrets = secretsOf(fake, config);
    for (const message of messages) for (const secret of secrets) assert.ok(!message.includes(secret), `a secret leaked into: ${message}`);
    assert.ok(readFileSync(config.path, 'utf8').includes(Buffer.from(config.clientKey).toString('base64')), 'the key is in the kubeconfig');
  });
});
