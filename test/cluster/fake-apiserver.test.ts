/**
 * Proves that the fake API server speaks the real protocol: every check goes through the real
 * @kubernetes/client-node 2.x client (kubeconfig loading, TLS with the kubeconfig CA, bearer
 * token, discovery, typed APIs, KubernetesObjectApi server-side apply dry runs, errors, timeouts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver';

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

function kubeConfig(fake: FakeApiServer, context = 'fake'): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(fake.kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

/**
 * Per-call options that abort the request after `ms` (client-node has no timeout option of its own).
 * Per-call middleware of the typed (ObjectParam) APIs is the *Observable* flavour
 * (k8s.ObservableMiddleware, what setHeaderOptions builds), not k8s.Middleware (the Promise flavour).
 */
function timeoutOptions(ms: number): k8s.ConfigurationOptions {
  const middleware: k8s.ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(AbortSignal.timeout(ms));
      return new k8s.Observable(Promise.resolve(ctx));
    },
    post: (rsp) => new k8s.Observable(Promise.resolve(rsp)),
  };
  // 'append' keeps the client's own middleware (User-Agent); the default strategy is 'replace'.
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** ApiException.body is the raw response text (a JSON string) for non-2xx answers. */
function statusOf(err: unknown): { code: number; status: any } {
  assert.ok(err instanceof k8s.ApiException, `expected ApiException, got ${String(err)}`);
  const body = (err as k8s.ApiException<unknown>).body;
  return { code: (err as k8s.ApiException<unknown>).code, status: typeof body === 'string' ? JSON.parse(body) : body };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
  status: {
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 1,
    conditions: [
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: '2024-09-01T10:00:00Z',
        lastTransitionTime: '2024-09-01T09:58:00Z',
        reason: 'NewReplicaSetAvailable',
        message: 'ReplicaSet "web-7d4b9c8f6d" has successfully progressed.',
      },
      {
        type: 'Available',
        status: 'False',
        lastUpdateTime: '2024-09-01T10:00:00Z',
        lastTransitionTime: '2024-09-01T10:00:00Z',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      },
    ],
  },
};

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: false,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } },
          },
        },
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

describe('fake API server, driven by @kubernetes/client-node', () => {
  let fake: FakeApiServer;
  let kc: k8s.KubeConfig;

  before(async () => {
    fake = await startFakeApiServer({ version: 'v1.30.4', openapiVersion: '1.34' });
    fake.addCrd(widgetCrd);
    fake.addObject(deployment);
    fake.addObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'prod' } });
    fake.addObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'shop' }, spec: { size: 2 } });
    fake.forbid('/api/v1/namespaces/shop/secrets');
    fake.forbid('/apis/apps/v1/namespaces/locked');
    fake.hang('/apis/apps/v1/namespaces/slow');
    fake.denyDryRun((o) => o?.kind === 'Deployment' && o?.spec?.replicas === 0, {
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: 0: must be greater than or equal to 1 (kgov test)',
      details: {
        name: 'web',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1 (kgov test)', field: 'spec.replicas' }],
      },
    });
    fake.denyDryRun((o) => o?.metadata?.labels?.team === undefined && o?.kind === 'ConfigMap', {
      code: 400,
      message: 'admission webhook "require-team.policies.example.com" denied the request: metadata.labels.team is required',
    });
    kc = kubeConfig(fake);
  });

  after(async () => {
    await fake?.stop();
    if (process.env.KGOV_DEBUG_HANDLES) {
      setImmediate(() => console.error((process as any)._getActiveHandles().map((h: any) => h.constructor?.name + ' ' + (h.remotePort ?? h.localPort ?? ''))));
    }
  });

  test('kubeconfig: contexts, server URL and CA data as written by the double', () => {
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['fake', 'fake-badca', 'fake-badtoken', 'fake-unreachable']);
    assert.equal(kc.getCurrentCluster()?.server, fake.url);
    assert.match(fake.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.equal(kc.getCurrentUser()?.token, fake.token);
  });

  test('GET /version through VersionApi, and setVersion (managed-cluster style "+")', async () => {
    const api = kc.makeApiClient(k8s.VersionApi);
    const v = await api.getCode();
    assert.equal(v.gitVersion, 'v1.30.4');
    assert.equal(v.major, '1');
    assert.equal(v.minor, '30');
    assert.equal(v.platform, 'linux/amd64');
    fake.setVersion('v1.31.2-eks-7f9249a');
    try {
      const v2 = await api.getCode();
      assert.equal(v2.gitVersion, 'v1.31.2-eks-7f9249a');
      assert.equal(v2.minor, '31+');
    } finally {
      fake.setVersion('v1.30.4');
    }
    const last = fake.requests.at(-1);
    assert.equal(last?.method, 'GET');
    assert.equal(last?.path, '/version');
  });

  test('discovery: /api, /api/v1, /apis (with the CRD group), /apis/apps/v1, /apis/example.com/v1', async () => {
    const versions = await kc.makeApiClient(k8s.CoreApi).getAPIVersions();
    assert.deepEqual(versions.versions, ['v1']);

    const core = await kc.makeApiClient(k8s.CoreV1Api).getAPIResources();
    assert.equal(core.groupVersion, 'v1');
    for (const name of ['pods', 'services', 'configmaps', 'secrets', 'namespaces', 'serviceaccounts']) {
      assert.ok(core.resources.some((r) => r.name === name), `core resource ${name}`);
    }
    const ns = core.resources.find((r) => r.name === 'namespaces');
    assert.equal(ns?.namespaced, false);
    assert.equal(ns?.kind, 'Namespace');

    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    for (const g of ['apps', 'batch', 'apiextensions.k8s.io', 'example.com']) assert.ok(names.includes(g), `group ${g}`);
    const example = groups.groups.find((g) => g.name === 'example.com');
    assert.equal(example?.preferredVersion?.groupVersion, 'example.com/v1', 'GA is preferred over alpha');
    assert.deepEqual(example?.versions.map((v) => v.version), ['v1', 'v1alpha1']);

    const apps = await kc.makeApiClient(k8s.AppsV1Api).getAPIResources();
    assert.equal(apps.groupVersion, 'apps/v1');
    const deployments = apps.resources.find((r) => r.name === 'deployments');
    assert.deepEqual(
      { kind: deployments?.kind, namespaced: deployments?.namespaced, hasPatch: deployments?.verbs.includes('patch') },
      { kind: 'Deployment', namespaced: true, hasPatch: true },
    );

    const appsGroup = await kc.makeApiClient(k8s.AppsApi).getAPIGroup();
    assert.equal(appsGroup.preferredVersion?.groupVersion, 'apps/v1');

    // CRD group/version discovery through the generic object client
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    const widget = await objApi.read({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'shop' } });
    assert.equal((widget as any).spec.size, 2);
    assert.ok(fake.requests.some((r) => r.path === '/apis/example.com/v1'), 'client discovered the CRD group version');
  });

  test('GET /openapi/v2 serves the real swagger document as JSON', async () => {
    // No generated API for /openapi/v2: a raw request with the client's TLS + auth settings
    // (KubeConfig.applyToHTTPSOptions sets an https.Agent with the kubeconfig CA and the bearer header).
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const body = await new Promise<{ status: number; type: string; json: any }>((resolve, reject) => {
      const req = https.request(`${fake.url}/openapi/v2`, opts, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type']), json: JSON.parse(Buffer.concat(chunks).toString()) }));
        r.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body.status, 200);
    assert.equal(body.type, 'application/json');
    assert.equal(body.json.swagger, '2.0');
    assert.ok(body.json.definitions['io.k8s.api.apps.v1.Deployment']);
    const onDisk = JSON.parse(readFileSync(path.resolve(__dirname, '../../../shared/k8s-openapi/v1.34/swagger.json'), 'utf8'));
    assert.deepEqual(Object.keys(body.json.definitions).length, Object.keys(onDisk.definitions).length);
  });

  test('CRDs: list and read through ApiextensionsV1Api', async () => {
    const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const list = await api.listCustomResourceDefinition();
    assert.equal(list.kind, 'CustomResourceDefinitionList');
    assert.deepEqual(list.items.map((c) => c.metadata?.name), ['widgets.example.com']);
    assert.equal(list.items[0]?.spec.names.kind, 'Widget');
    const crd = await api.readCustomResourceDefinition({ name: 'widgets.example.com' });
    assert.equal(crd.spec.group, 'example.com');
    assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
    const missing = statusOf(await rejection(api.readCustomResourceDefinition({ name: 'gadgets.example.com' })));
    assert.equal(missing.code, 404);
    assert.equal(missing.status.reason, 'NotFound');
  });

  test('Deployment read with status (AppsV1Api.readNamespacedDeployment)', async () => {
    const api = kc.makeApiClient(k8s.AppsV1Api);
    const d = await api.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    assert.equal(d.metadata?.name, 'web');
    assert.equal(d.spec?.replicas, 3);
    assert.equal(d.status?.readyReplicas, 2);
    assert.equal(d.status?.updatedReplicas, 3);
    assert.equal(d.status?.availableReplicas, 2);
    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    assert.equal(available?.status, 'False');
    assert.equal(available?.reason, 'MinimumReplicasUnavailable');
    // quirk: the typed client turns date-time fields into Date objects
    assert.ok(available?.lastTransitionTime instanceof Date);
    assert.ok(d.metadata?.creationTimestamp instanceof Date);
  });

  test('core object read and 404 NotFound Status (CoreV1Api)', async () => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const cm = await api.readNamespacedConfigMap({ name: 'settings', namespace: 'shop' });
    assert.equal(cm.data?.mode, 'prod');
    const err = await rejection(api.readNamespacedConfigMap({ name: 'nope', namespace: 'shop' }));
    const { code, status } = statusOf(err);
    assert.equal(code, 404);
    assert.equal(typeof (err as k8s.ApiException<unknown>).body, 'string', 'quirk: body is the raw JSON text');
    assert.deepEqual(status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
  });

  test('server-side apply dry run succeeds (KubernetesObjectApi.patch, ServerSideApply)', async () => {
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    const before = fake.requests.length;
    const manifest = structuredClone(deployment) as any;
    delete manifest.status;
    manifest.spec.replicas = 4;
    const out = await objApi.patch<k8s.V1Deployment>(manifest, undefined, 'All', 'kgov', true, k8s.PatchStrategy.ServerSideApply);
    assert.ok(out instanceof k8s.V1Deployment, 'the response is deserialized into the model class (from apiVersion/kind)');
    assert.equal(out.spec?.replicas, 4);
    assert.equal(out.status?.readyReplicas, 2, 'existing status is kept by the merge');
    const mf = out.metadata?.managedFields ?? [];
    assert.ok(mf.some((m) => m.manager === 'kgov' && m.operation === 'Apply'), JSON.stringify(mf));

    const patch = fake.requests.slice(before).find((r) => r.method === 'PATCH');
    assert.ok(patch, 'a PATCH reached the server');
    assert.equal(patch.path, '/apis/apps/v1/namespaces/shop/deployments/web');
    assert.deepEqual(patch.query, { dryRun: 'All', fieldManager: 'kgov', force: 'true' });
    assert.equal(patch.contentType, 'application/apply-patch+yaml');
    assert.equal((patch.body as any).spec.replicas, 4, 'client sends JSON, which the double parses as YAML');

    // new object -> 201 path; the client resolves just the same
    const created = await objApi.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'shop', labels: { team: 'a' } }, data: { a: '1' } },
      undefined,
      'All',
      'kgov',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    assert.equal((created as any).data.a, '1');
  });

  test('server-side apply dry run via the typed API needs the Content-Type set by middleware', async () => {
    const api = kc.makeApiClient(k8s.AppsV1Api);
    const manifest = structuredClone(deployment) as any;
    delete manifest.status;
    const out = await api.patchNamespacedDeployment(
      { name: 'web', namespace: 'shop', body: manifest, dryRun: 'All', fieldManager: 'kgov', force: true },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal(out.metadata?.name, 'web');
    const last = fake.requests.at(-1);
    assert.equal(last?.contentType, 'application/apply-patch+yaml');
  });

  test('server-side apply dry run answered with a 422 Invalid Status with causes', async () => {
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    const manifest = structuredClone(deployment) as any;
    delete manifest.status;
    manifest.spec.replicas = 0;
    const err = await rejection(objApi.patch(manifest, undefined, 'All', 'kgov', true, k8s.PatchStrategy.ServerSideApply));
    const { code, status } = statusOf(err);
    assert.equal(code, 422);
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Invalid');
    assert.deepEqual(status.details.causes, [
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be greater than or equal to 1 (kgov test)', field: 'spec.replicas' },
    ]);
    assert.match((err as Error).message, /HTTP-Code: 422/);
  });

  test('server-side apply dry run denied by an admission webhook (400)', async () => {
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    const err = await rejection(
      objApi.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'dev' } },
        undefined,
        'All',
        'kgov',
        true,
        k8s.PatchStrategy.ServerSideApply,
      ),
    );
    const { code, status } = statusOf(err);
    assert.equal(code, 400);
    assert.match(status.message, /^admission webhook "require-team\.policies\.example\.com" denied the request: /);
  });

  test('apply without fieldManager, and a non-dry-run apply, are refused with Status objects', async () => {
    const objApi = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop', labels: { team: 'a' } } };
    const noManager = statusOf(await rejection(objApi.patch(cm, undefined, 'All', undefined, undefined, k8s.PatchStrategy.ServerSideApply)));
    assert.equal(noManager.code, 422);
    assert.equal(noManager.status.details.causes[0].field, 'fieldManager');
    const noDryRun = statusOf(await rejection(objApi.patch(cm, undefined, undefined, 'kgov', undefined, k8s.PatchStrategy.ServerSideApply)));
    assert.equal(noDryRun.code, 400);
    assert.equal(noDryRun.status.reason, 'BadRequest');
    const merge = statusOf(await rejection(objApi.patch(cm, undefined, 'All', 'kgov', undefined, k8s.PatchStrategy.MergePatch)));
    assert.equal(merge.code, 415);
  });

  test('401 Unauthorized with the bad-token context', async () => {
    const bad = kubeConfig(fake, 'fake-badtoken');
    const err = await rejection(bad.makeApiClient(k8s.VersionApi).getCode());
    assert.ok(err instanceof k8s.ApiException);
    assert.equal(err.code, 401);
    // quirk: generated typed APIs throw ApiException(401, "Unauthorized", body=undefined) without reading the body
    assert.equal(err.body, undefined);
    // ...whereas KubernetesObjectApi hands over the Status text
    const objErr = statusOf(
      await rejection(
        k8s.KubernetesObjectApi.makeApiClient(bad).read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } }),
      ),
    );
    assert.equal(objErr.code, 401);
    assert.deepEqual(objErr.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const last = fake.requests.at(-1);
    assert.equal(last?.path, '/api/v1');
  });

  test('403 Forbidden Status on a forbidden path', async () => {
    const err = await rejection(kc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ name: 'db', namespace: 'shop' }));
    const { code, status } = statusOf(err);
    assert.equal(code, 403);
    assert.equal(status.reason, 'Forbidden');
    assert.equal(
      status.message,
      'secrets "db" is forbidden: User "system:serviceaccount:kgov:kgov-reader" cannot get resource "secrets" in API group "" in the namespace "shop"',
    );
    const patchErr = statusOf(
      await rejection(
        k8s.KubernetesObjectApi.makeApiClient(kc).patch(
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'locked' } },
          undefined,
          'All',
          'kgov',
          true,
          k8s.PatchStrategy.ServerSideApply,
        ),
      ),
    );
    assert.equal(patchErr.code, 403);
    assert.match(patchErr.status.message, /cannot patch resource "deployments" in API group "apps" in the namespace "locked"$/);
  });

  test('TLS failure with the bad-CA context', async () => {
    const err = await rejection(kubeConfig(fake, 'fake-badca').makeApiClient(k8s.VersionApi).getCode());
    assert.ok(!(err instanceof k8s.ApiException));
    assert.equal((err as Error).message, 'fetch failed');
    const cause = (err as Error & { cause?: { code?: string } }).cause;
    assert.ok(
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT'].includes(
        String(cause?.code),
      ),
      `unexpected TLS error cause: ${String(cause?.code)}`,
    );
  });

  test('connection refused with the unreachable context', async () => {
    const err = await rejection(kubeConfig(fake, 'fake-unreachable').makeApiClient(k8s.VersionApi).getCode());
    assert.equal((err as Error).message, 'fetch failed');
    assert.equal((err as Error & { cause?: { code?: string } }).cause?.code, 'ECONNREFUSED');
  });

  test('a hanging endpoint is aborted by a client-side timeout (AbortSignal via middleware)', async () => {
    const api = kc.makeApiClient(k8s.AppsV1Api);
    const started = Date.now();
    const err = await rejection(api.readNamespacedDeployment({ name: 'web', namespace: 'slow' }, timeoutOptions(300)));
    const elapsed = Date.now() - started;
    assert.equal((err as Error).name, 'TimeoutError', String(err));
    assert.ok(elapsed >= 250 && elapsed < 5000, `aborted after ${elapsed}ms`);
    assert.ok(fake.requests.some((r) => r.path === '/apis/apps/v1/namespaces/slow/deployments/web'), 'the request did reach the double');

    // KubernetesObjectApi ignores per-call middleware: the timeout must live in its Configuration.
    const cluster = kc.getCurrentCluster()!;
    const timeout: k8s.Middleware = {
      pre: async (ctx) => {
        ctx.setSignal(AbortSignal.timeout(300));
        return ctx;
      },
      post: async (rsp) => rsp,
    };
    const objApi = new k8s.KubernetesObjectApi(
      k8s.createConfiguration({
        baseServer: new k8s.ServerConfiguration(cluster.server, {}),
        authMethods: { default: kc },
        promiseMiddleware: [timeout],
      }),
    );
    const objErr = await rejection(
      objApi.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'slow' } }, undefined, 'All', 'kgov', true, k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal((objErr as Error).name, 'TimeoutError', String(objErr));
  });
});
