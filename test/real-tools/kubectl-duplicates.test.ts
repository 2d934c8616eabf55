/**
 * What the real kubectl 1.34 does with a mapping that defines a key twice: the facts behind the message of
 * yaml/duplicate-key. If a kubectl upgrade changes any of them, this fails and the message must be revisited.
 *
 * - `kubectl apply|create|replace -f` never refuses a duplicate on a current API server: it turns each YAML
 *   document into JSON with sigs.k8s.io/yaml's non-strict YAMLToJSON (the last value of a key wins, the earlier
 *   one is dropped whole), decodes a .json file with a non-strict JSON decoder (last wins too), and sends the
 *   object re-encoded as JSON, so the API server, with `fieldValidation=Strict`, never sees the duplicate.
 * - Only when the API server does not advertise `fieldValidation` (old servers) does kubectl validate client
 *   side, and its duplicate check (NoDoubleKeySchema) covers only metadata.labels and metadata.annotations of a
 *   JSON manifest (a YAML one was already collapsed).
 * - `kubectl kustomize` / `apply -k` (kyaml, yaml.v3) refuses the file.
 * - The strict decoder that the API server runs on a raw body (apimachinery's json serializer with Strict,
 *   which kubectl also uses for its kuberc file) rejects every duplicate, equal values and overrides of a
 *   `<<` merge key included.
 *
 * The API server here is a few lines of node:http on 127.0.0.1: discovery, an OpenAPI v3 document that does or
 * does not list the fieldValidation parameter, a minimal OpenAPI v2 protobuf, 404 for reads, and an echo for
 * writes, recording every request body.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { realTools, realToolsUnavailable } from '../helpers/real-tools';
import { skipWithout } from '../helpers/required';

interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: string;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The writes kubectl sent (POST, PUT, PATCH), in order. */
  sent: Sent[];
}

const CORE: Array<[string, string, boolean]> = [
  ['configmaps', 'ConfigMap', true],
  ['pods', 'Pod', true],
  ['namespaces', 'Namespace', false],
];
const APPS: Array<[string, string, boolean]> = [['deployments', 'Deployment', true]];

function resourceList(groupVersion: string, list: Array<[string, string, boolean]>): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: list.map(([name, kind, namespaced]) => ({
      name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    })),
  };
}

/** Per group-version, the PATCH operations kubectl's QueryParamVerifierV3 looks the fieldValidation parameter up in. */
function openApiV3(group: string, list: Array<[string, string, boolean]>, fieldValidation: boolean): object {
  const paths: Record<string, object> = {};
  for (const [name, kind, namespaced] of list) {
    const base = group ? `/apis/${group}/v1` : '/api/v1';
    paths[namespaced ? `${base}/namespaces/{namespace}/${name}/{name}` : `${base}/${name}/{name}`] = {
      patch: {
        operationId: `patch${kind}`,
        'x-kubernetes-group-version-kind': { group, version: 'v1', kind },
        parameters: [{ name: fieldValidation ? 'fieldValidation' : 'dryRun', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths };
}

/** An openapi_v2.Document holding only `swagger: "2.0"`: kubectl's client-side schema check then knows no kind. */
const OPENAPI_V2_PROTOBUF = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);

async function startRecorder(fieldValidation: boolean): Promise<{ url: string; sent: Sent[]; close(): Promise<void> }> {
  const sent: Sent[] = [];
  const json = (res: http.ServerResponse, code: number, body: unknown) => {
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
    res.end(payload);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = url.pathname;
      if (req.method !== 'GET') {
        sent.push({ method: req.method ?? '', path: p, query: url.searchParams, contentType: req.headers['content-type'], body });
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(body) as Record<string, unknown>;
        } catch {
          obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-json' } };
        }
        return json(res, req.method === 'POST' ? 201 : 200, obj);
      }
      switch (p) {
        case '/version': return json(res, 200, { major: '1', minor: '34', gitVersion: 'v1.34.5' });
        case '/api': return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
        case '/apis': return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
        case '/api/v1': return json(res, 200, resourceList('v1', CORE));
        case '/apis/apps/v1': return json(res, 200, resourceList('apps/v1', APPS));
        case '/openapi/v3': return json(res, 200, { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=1' }, 'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=2' } } });
        case '/openapi/v3/api/v1': return json(res, 200, openApiV3('', CORE, fieldValidation));
        case '/openapi/v3/apis/apps/v1': return json(res, 200, openApiV3('apps', APPS, fieldValidation));
        case '/openapi/v2':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': OPENAPI_V2_PROTOBUF.length });
          return res.end(OPENAPI_V2_PROTOBUF);
        default: return json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * Runs kubectl in a fresh directory holding `files`, with a fresh HOME (no kubeconfig, no kuberc) and, unless
 * `server` is false, against its own recorder. `{server}` in args is replaced by the recorder's URL.
 */
async function kubectl(args: string[], files: Record<string, string>, options: { server?: boolean; fieldValidation?: boolean } = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'kgov-kubectl-dup-'));
  const recorder = options.server === false ? undefined : await startRecorder(options.fieldValidation ?? true);
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const full = recorder ? ['--server', recorder.url, '--cache-dir', join(dir, '.cache'), '-n', 'default', ...args] : args;
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(realTools().kubectl, full, { cwd: dir, env, timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
    return { code, stdout, stderr, sent: recorder?.sent ?? [] };
  } finally {
    await recorder?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one write of a run, parsed: kubectl sends JSON even as the body of a server-side apply. */
function onlyWrite(run: Run): { sent: Sent; object: any } {
  assert.equal(run.code, 0, `kubectl failed: ${run.stderr}`);
  assert.equal(run.sent.length, 1, `expected one write, got ${run.sent.map((s) => `${s.method} ${s.path}`).join(', ')}`);
  const sent = run.sent[0]!;
  return { sent, object: JSON.parse(sent.body) };
}

const DEPLOYMENT_TWO_REQUESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests:
              cpu: 100m
            requests:
              memory: 64Mi
`;

const unavailable = skipWithout(realToolsUnavailable());

describe('kubectl 1.34 and duplicate keys', { skip: unavailable, concurrency: true }, () => {
  it('keeps the last of two nested mappings whole, drops the first, and sends JSON without the duplicate (create, apply, apply --server-side)', async () => {
    const files = { 'deploy.yaml': DEPLOYMENT_TWO_REQUESTS };
    const [create, apply, serverSide] = await Promise.all([
      kubectl(['create', '--dry-run=server', '-f', 'deploy.yaml'], files),
      kubectl(['apply', '--dry-run=server', '-f', 'deploy.yaml'], files),
      kubectl(['apply', '--server-side', '--dry-run=server', '-f', 'deploy.yaml'], files),
    ]);
    for (const [run, method, contentType] of [[create!, 'POST', 'application/json'], [apply!, 'POST', 'application/json'], [serverSide!, 'PATCH', 'application/apply-patch+yaml']] as const) {
      const { sent, object } = onlyWrite(run);
      assert.equal(sent.method, method);
      assert.equal(sent.contentType, contentType);
      // kubectl's default --validate=strict asks the server for strict field validation ...
      assert.equal(sent.query.get('fieldValidation'), 'Strict');
      // ... but the server gets the collapsed object: no cpu request at all, and no second "requests".
      assert.deepEqual(object.spec.template.spec.containers[0].resources, { requests: { memory: '64Mi' } });
      assert.doesNotMatch(sent.body, /100m/);
    }
  });

  it('the last value wins at the top level, in flow mappings, across quoting styles, in data, labels and annotations, and when it is empty', async () => {
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
metadata:
  name: second
  labels: {app: one, app: two}
  annotations:
    note: one
    "note": two
data:
  key: first
  other: x
  'key': second
  same: v
  same: v
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: emptied
  labels:
  labels: {app: web}
data:
  x: "1"
data:
`;
    const run = await kubectl(['create', '--dry-run=server', '-f', 'cm.yaml'], { 'cm.yaml': manifest });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'configmap/second created (server dry run)\nconfigmap/emptied created (server dry run)\n');
    const [one, two] = run.sent.map((s) => JSON.parse(s.body));
    assert.deepEqual(one, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'second', namespace: 'default', labels: { app: 'two' }, annotations: { note: 'two' } },
      data: { key: 'second', other: 'x', same: 'v' },
    });
    // A later empty value wins too: the first data is dropped, an earlier empty labels is replaced.
    assert.deepEqual(two, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'emptied', namespace: 'default', labels: { app: 'web' } }, data: null });
  });

  it('a JSON manifest: the last value wins too', async () => {
    const manifest = `{"apiVersion": "v1", "kind": "ConfigMap",
 "metadata": {"name": "first", "labels": {"app": "one"}}, "metadata": {"name": "second", "labels": {"app": "one", "app": "two"}},
 "data": {"k": "one", "k": "two"}}
`;
    const { object } = onlyWrite(await kubectl(['apply', '--dry-run=server', '-f', 'cm.json'], { 'cm.json': manifest }));
    assert.equal(object.metadata.name, 'second');
    assert.deepEqual(object.metadata.labels, { app: 'two' });
    assert.deepEqual(object.data, { k: 'two' });
  });

  it('merge keys: a key after << overrides the merged one without complaint, and << overwrites a key written before it', async () => {
    const manifest = (name: string, data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations: &base
    a: from-base
    b: from-base
data:
${data}`;
    const files = {
      'after.yaml': manifest('after', '  <<: *base\n  a: written\n'),
      'before.yaml': manifest('before', '  a: written\n  <<: *base\n'),
      'kz/before.yaml': manifest('before', '  a: written\n  <<: *base\n'),
      'kz/kustomization.yaml': 'resources:\n- before.yaml\n',
    };
    const [after, before, kustomized] = await Promise.all([
      kubectl(['create', '--dry-run=server', '-f', 'after.yaml'], files),
      kubectl(['create', '--dry-run=server', '-f', 'before.yaml'], files),
      kubectl(['kustomize', 'kz'], files, { server: false }),
    ]);
    assert.deepEqual(onlyWrite(after!).object.data, { a: 'written', b: 'from-base' });
    // go-yaml v2 applies << where it stands, so the merged value replaces the one written before it ...
    assert.deepEqual(onlyWrite(before!).object.data, { a: 'from-base', b: 'from-base' });
    // ... while kustomize (yaml.v3) keeps the written one, as YAML's merge key specifies.
    assert.equal(kustomized!.code, 0, kustomized!.stderr);
    assert.match(kustomized!.stdout, /^data:\n {2}a: written\n {2}b: from-base\n/m);
  });

  it('refuses only against a server without fieldValidation, and then only duplicate labels or annotations of a JSON manifest', async () => {
    const json = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j", "labels": {"app": "one", "app": "two"}, "annotations": {"n": "1", "n": "2"}}}\n';
    const jsonData = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d"}, "data": {"k": "one", "k": "two"}}\n';
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  labels:\n    app: one\n    app: two\n';
    const files = { 'labels.json': json, 'data.json': jsonData, 'labels.yaml': yaml };
    const old = { fieldValidation: false };
    const [refused, dataAccepted, yamlAccepted, current] = await Promise.all([
      kubectl(['apply', '--dry-run=server', '-f', 'labels.json'], files, old),
      kubectl(['apply', '--dry-run=server', '-f', 'data.json'], files, old),
      kubectl(['apply', '--dry-run=server', '-f', 'labels.yaml'], files, old),
      kubectl(['apply', '--dry-run=server', '-f', 'labels.json'], files),
    ]);
    assert.equal(refused!.code, 1);
    assert.equal(
      refused!.stderr,
      'error: error validating "labels.json": error validating data: [duplicate key: app, duplicate key: n]; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
    assert.equal(refused!.sent.length, 0);
    assert.deepEqual(onlyWrite(dataAccepted!).object.data, { k: 'two' });
    assert.deepEqual(onlyWrite(yamlAccepted!).object.metadata.labels, { app: 'two' });
    assert.deepEqual(onlyWrite(current!).object.metadata.labels, { app: 'two' });
  });

  it('kubectl kustomize refuses the file, equal values included', async () => {
    const files = {
      'a/deploy.yaml': DEPLOYMENT_TWO_REQUESTS,
      'a/kustomization.yaml': 'resources:\n- deploy.yaml\n',
      'b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: same\n  k: same\n',
      'b/kustomization.yaml': 'resources:\n- cm.yaml\n',
    };
    const [different, equal] = await Promise.all([
      kubectl(['kustomize', 'a'], files, { server: false }),
      kubectl(['kustomize', 'b'], files, { server: false }),
    ]);
    assert.equal(different!.code, 1);
    assert.match(different!.stderr, /^error: map\[string\]interface \{\}\(nil\): yaml: unmarshal errors:\n {2}line \d+: mapping key "requests" already defined at line \d+\n$/);
    assert.equal(equal!.code, 1);
    assert.match(equal!.stderr, /mapping key "k" already defined at line \d+/);
  });

  it("the API server's strict decoder (kubectl's kuberc decoder) rejects every duplicate: equal values and merge overrides too", async () => {
    const head = 'apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n';
    const files = {
      'equal.yaml': `${head}kind: Preference\n`,
      'merge.yaml': `${head}aliases:\n  - &a\n    name: one\n    command: get\n  - <<: *a\n    name: two\n`,
      'dup.json': '{"apiVersion": "kubectl.config.k8s.io/v1beta1", "kind": "Preference", "kind": "Preference", "aliases": [{"name": "a", "name": "b", "command": "get"}]}\n',
    };
    const runs = await Promise.all(['equal.yaml', 'merge.yaml', 'dup.json'].map((f) => kubectl(['version', '--client', '--kuberc', f], files, { server: false })));
    const [equal, merge, json] = runs.map((r) => r.stderr);
    assert.equal(equal, 'kuberc: ignoring strict decoding error in equal.yaml: strict decoding error: yaml: unmarshal errors:\n  line 3: key "kind" already set in map');
    assert.equal(merge, 'kuberc: ignoring strict decoding error in merge.yaml: strict decoding error: yaml: unmarshal errors:\n  line 8: key "name" already set in map');
    assert.equal(json, 'kuberc: ignoring strict decoding error in dup.json: strict decoding error: duplicate field "kind", duplicate field "aliases[0].name"');
  });
});
