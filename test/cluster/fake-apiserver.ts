/**
 * A test double of the Kubernetes API server, for kgov's opt-in cluster features.
 *
 * It is kept small, but faithful to the shapes a real kube-apiserver puts on the wire, so that
 * a client that works against it (in particular the real @kubernetes/client-node) works against
 * a real cluster:
 *
 * - HTTPS only, with a throw-away CA and a server certificate for IP 127.0.0.1 generated with the
 *   `openssl` CLI at start (removed again by stop()); bearer-token authentication on every endpoint.
 * - Errors are `Status` objects (kind Status, apiVersion v1, status Failure, message, reason,
 *   details, code) with `Content-Type: application/json`, exactly like the real server:
 *   401 Unauthorized, 403 Forbidden (RBAC wording), 404 NotFound (details {name, group, kind=resource}),
 *   422 Invalid (details.causes), 400 BadRequest, 415 UnsupportedMediaType.
 * - Discovery documents: /version, /api (APIVersions), /api/v1 and /apis/<group>/<version>
 *   (APIResourceList), /apis (APIGroupList), /apis/<group> (APIGroup); CRD groups appear once a
 *   CRD is added. /openapi/v2 serves the real swagger document of the configured version.
 * - Reads of single objects and collections (lists are `<Kind>List` documents whose built-in
 *   items carry no apiVersion/kind, as on a real server).
 * - Warnings as the real server sends them: `Warning: 299 - "<text>"` headers on an accepted request.
 * - Server-side apply as a dry run only: PATCH <object> with `Content-Type: application/apply-patch+yaml`,
 *   `dryRun=All` and `fieldManager` (JSON or YAML body). It answers with a configured denial
 *   Status (validation error, admission webhook denial, conflict...) or echoes the merged object
 *   with metadata.managedFields for the field manager (200 if the object exists, 201 if not).
 *   The double never persists anything; a non-dry-run write is refused with 400.
 *
 * Not modelled (on purpose): watches, pagination, field/label selectors, protobuf, aggregated
 * discovery (v2), namespace existence, conflicts between field managers (configure them with
 * denyDryRun and a 409 Status if needed), other patch types, create/update/delete.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fsp, rmSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';

const execFileAsync = promisify(execFile);

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

export interface FakeApiServer {
  /** https://127.0.0.1:<port> */
  url: string;
  /**
   * Temp kubeconfig. current-context "fake". Contexts: "fake" (valid token), "fake-badtoken"
   * (wrong token), "fake-badca" (cluster trusting another CA -> TLS failure), "fake-unreachable"
   * (https://127.0.0.1:<closed port>). All contexts use namespace "default".
   */
  kubeconfigPath: string;
  /** The bearer token the server accepts. */
  token: string;
  /** Every request received (also the rejected ones), in arrival order. */
  requests: RecordedRequest[];
  /** e.g. "v1.30.4"; a suffix ("v1.30.4-eks-a737599") makes minor "30+", like managed clusters. */
  setVersion(gitVersion: string): void;
  /** A CustomResourceDefinition (apiextensions.k8s.io/v1): listed, and its group/versions discoverable. */
  addCrd(crd: object): void;
  /** Any object of a built-in kind or of an added CRD's kind; served as-is (keep the status you give it). */
  addObject(obj: object): void;
  /** RBAC: requests whose path starts with this prefix get a 403 Forbidden Status. */
  forbid(pathPrefix: string): void;
  /** Requests whose path starts with this prefix are accepted and never answered. */
  hang(pathPrefix: string): void;
  /** Server-side apply dry runs of objects matching `match` are answered with this Status. */
  denyDryRun(match: (obj: any) => boolean, status: object): void;
  /** Accepted dry runs of objects matching `match` carry this warning (`Warning: 299 - "..."`, as deprecations and PodSecurity send). */
  warnDryRun(match: (obj: any) => boolean, text: string): void;
  stop(): Promise<void>;
}

export interface FakeApiServerOptions {
  /** gitVersion reported by /version. Default "v1.30.4". */
  version?: string;
  /** Which /work/shared/k8s-openapi/v<X.Y>/swagger.json /openapi/v2 serves, e.g. "1.34". Default: major.minor of the version. */
  openapiVersion?: string;
}

// ---------------------------------------------------------------------------------------------
// The resource catalog (what discovery advertises and which paths exist)
// ---------------------------------------------------------------------------------------------

interface ResourceDef {
  name: string; // plural, e.g. "deployments"
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Has a /status subresource. */
  status?: boolean;
}

interface GroupVersionDef {
  group: string; // "" for the core group
  version: string;
  resources: ResourceDef[];
  /** Served by a CRD (items of lists keep apiVersion/kind, as unstructured objects do). */
  custom?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_DELETECOLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function rdef(
  name: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceDef> = {},
): ResourceDef {
  return { name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ALL_VERBS, ...extra };
}

const BUILTIN: GroupVersionDef[] = [
  {
    group: '',
    version: 'v1',
    resources: [
      rdef('configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
      rdef('endpoints', 'Endpoints', true, { shortNames: ['ep'], singularName: 'endpoints' }),
      rdef('events', 'Event', true, { shortNames: ['ev'] }),
      rdef('limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
      rdef('namespaces', 'Namespace', false, { shortNames: ['ns'], verbs: NO_DELETECOLLECTION, status: true }),
      rdef('nodes', 'Node', false, { shortNames: ['no'], status: true }),
      rdef('persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], status: true }),
      rdef('persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'], status: true }),
      rdef('pods', 'Pod', true, { shortNames: ['po'], categories: ['all'], status: true }),
      rdef('resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'], status: true }),
      rdef('secrets', 'Secret', true),
      rdef('serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
      rdef('services', 'Service', true, { shortNames: ['svc'], categories: ['all'], verbs: NO_DELETECOLLECTION, status: true }),
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    resources: [
      rdef('controllerrevisions', 'ControllerRevision', true),
      rdef('daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: ['all'], status: true }),
      rdef('deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ['all'], status: true }),
      rdef('replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ['all'], status: true }),
      rdef('statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ['all'], status: true }),
    ],
  },
  {
    group: 'batch',
    version: 'v1',
    resources: [
      rdef('cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'], status: true }),
      rdef('jobs', 'Job', true, { categories: ['all'], status: true }),
    ],
  },
  {
    group: 'autoscaling',
    version: 'v2',
    resources: [rdef('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, { shortNames: ['hpa'], categories: ['all'], status: true })],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    resources: [
      rdef('ingressclasses', 'IngressClass', false),
      rdef('ingresses', 'Ingress', true, { shortNames: ['ing'], status: true }),
      rdef('networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
    ],
  },
  {
    group: 'policy',
    version: 'v1',
    resources: [rdef('poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'], status: true })],
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resources: [
      rdef('clusterrolebindings', 'ClusterRoleBinding', false),
      rdef('clusterroles', 'ClusterRole', false),
      rdef('rolebindings', 'RoleBinding', true),
      rdef('roles', 'Role', true),
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resources: [rdef('customresourcedefinitions', 'CustomResourceDefinition', false, { shortNames: ['crd', 'crds'], categories: ['api-extensions'], status: true })],
  },
];

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first, then lexical. */
function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a.localeCompare(b);
  for (let i = 0; i < 3; i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Wire helpers
// ---------------------------------------------------------------------------------------------

interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

function statusFailure(code: number, reason: string | undefined, message: string, details?: Record<string, unknown>): StatusObject {
  const s: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  // Real servers put "code" last; keep the same key order for byte-level faithfulness.
  const { code: c, ...rest } = s;
  return { ...rest, code: c } as StatusObject;
}

/** `deployments.apps "web"` / `pods "web"` / `deployments.apps` as in real error messages. */
function qualifiedResource(resource: string, group: string, name?: string): string {
  const qr = group ? `${resource}.${group}` : resource;
  return name === undefined ? qr : `${qr} "${name}"`;
}

function resourceDetails(resource: string, group: string, name?: string): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (name !== undefined) d.name = name;
  if (group) d.group = group;
  d.kind = resource;
  return d;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge as server-side apply roughly does it: maps merge, lists and scalars are replaced. */
function applyMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = clone(base);
  for (const [k, v] of Object.entries(patch)) {
    out[k] = k in out ? applyMerge(out[k], v) : clone(v);
  }
  return out;
}

/** A fieldsV1 set for the applied configuration (f:<field>, k:{"name":..} for keyed list items). */
function fieldsV1(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) out[`f:${k}`] = fieldsV1(v);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (isPlainObject(item)) {
        const key = ['name', 'containerPort', 'port', 'mountPath', 'ip'].find((k) => k in item);
        if (key !== undefined) out[`k:${JSON.stringify({ [key]: item[key] })}`] = { '.': {}, ...fieldsV1(item) };
      } else if (typeof item === 'string' || typeof item === 'number') {
        out[`v:${JSON.stringify(item)}`] = {};
      }
    }
  }
  return out;
}

interface ParsedResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

function parseResourcePath(segments: string[]): ParsedResourcePath | undefined {
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (version === undefined || rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, resource, name, subresource] = rest;
    if (rest.length > 5 || namespace === undefined || resource === undefined) return undefined;
    return { group, version, namespace, resource, name, subresource };
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  if (resource === undefined) return undefined;
  return { group, version, resource, name, subresource };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`fake-apiserver: openssl ${args[0]} failed: ${err.stderr || err.message}`);
  }
}

async function makeCerts(dir: string): Promise<{ caPem: string; badCaPem: string; key: string; cert: string }> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  await Promise.all([
    openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kgov-fake-apiserver-ca', ...caExt]),
    openssl(dir, ['req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=kgov-some-other-ca', ...caExt]),
    openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver']),
    fsp.writeFile(
      path.join(dir, 'server.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    ),
  ]);
  await openssl(dir, [
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt',
  ]);
  const read = (f: string) => fsp.readFile(path.join(dir, f), 'utf8');
  const [caPem, badCaPem, key, cert] = await Promise.all([read('ca.crt'), read('other-ca.crt'), read('server.key'), read('server.crt')]);
  return { caPem, badCaPem, key, cert };
}

/** A port on 127.0.0.1 that was free a moment ago and on which nothing listens. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kgov-fake-apiserver-'));
  try {
    return await start(dir, options);
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function start(dir: string, options: FakeApiServerOptions): Promise<FakeApiServer> {
  const certs = await makeCerts(dir);
  const token = `kgov-fake-${randomBytes(24).toString('hex')}`;
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  let gitVersion = options.version ?? 'v1.30.4';
  const crdGroupVersions: GroupVersionDef[] = [];
  const objects = new Map<string, Record<string, any>>(); // key: group/version/resource/namespace/name
  const forbidden: string[] = [];
  const hanging: string[] = [];
  const denials: Array<{ match: (obj: any) => boolean; status: Record<string, unknown> }> = [];
  const warnings: Array<{ match: (obj: any) => boolean; text: string }> = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const openapiCache = new Map<string, Buffer>();
  let resourceVersion = 1000;
  const nextRv = () => String(++resourceVersion);

  const groupVersions = (): GroupVersionDef[] => [...BUILTIN, ...crdGroupVersions];
  const findGroupVersion = (group: string, version: string) =>
    groupVersions().find((gv) => gv.group === group && gv.version === version);
  const findKind = (apiVersion: string, kind: string): { gv: GroupVersionDef; def: ResourceDef } | undefined => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const gv = findGroupVersion(group ?? '', version ?? '');
    const def = gv?.resources.find((r) => r.kind === kind);
    return gv && def ? { gv, def } : undefined;
  };
  const objectKey = (group: string, version: string, resource: string, namespace: string | undefined, name: string) =>
    `${group}/${version}/${resource}/${namespace ?? ''}/${name}`;

  const versionInfo = () => {
    const m = /^v(\d+)\.(\d+)\.(\d+)(.*)$/.exec(gitVersion);
    return {
      major: m?.[1] ?? '',
      minor: m ? `${m[2]}${m[4] ? '+' : ''}` : '',
      gitVersion,
      gitCommit: 'b9b7c9aa7ac1f1fd1a3ac0e3fc1ba7ab6f0b1a23',
      gitTreeState: 'clean',
      buildDate: '2024-08-14T19:01:58Z',
      goVersion: 'go1.22.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  };
  const openapiVersion = () => {
    if (options.openapiVersion) return options.openapiVersion;
    const v = versionInfo();
    return `${v.major}.${v.minor.replace(/\+$/, '')}`;
  };

  const withServerMetadata = (obj: Record<string, any>, existing?: Record<string, any>) => {
    const meta = (obj.metadata ??= {});
    meta.uid ??= existing?.metadata?.uid ?? randomUUID();
    meta.resourceVersion = existing?.metadata?.resourceVersion ?? meta.resourceVersion ?? nextRv();
    meta.creationTimestamp ??= existing?.metadata?.creationTimestamp ?? startedAt;
    meta.generation ??= existing?.metadata?.generation ?? 1;
    return obj;
  };

  const addCrd = (crdIn: object): void => {
    const crd = clone(crdIn) as Record<string, any>;
    crd.apiVersion ??= 'apiextensions.k8s.io/v1';
    crd.kind ??= 'CustomResourceDefinition';
    const spec = crd.spec;
    if (!isPlainObject(spec) || typeof spec.group !== 'string' || !isPlainObject(spec.names) || !Array.isArray(spec.versions)) {
      throw new Error('fake-apiserver: addCrd needs spec.group, spec.names and spec.versions');
    }
    const names = spec.names as Record<string, any>;
    const plural = String(names.plural);
    crd.metadata ??= {};
    crd.metadata.name ??= `${plural}.${spec.group}`;
    crd.status ??= {
      conditions: [
        { type: 'NamesAccepted', status: 'True', lastTransitionTime: startedAt, reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', lastTransitionTime: startedAt, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      acceptedNames: clone(names),
      storedVersions: spec.versions.filter((v: any) => v.storage).map((v: any) => String(v.name)),
    };
    withServerMetadata(crd);
    objects.set(objectKey('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', undefined, crd.metadata.name), crd);
    for (const v of spec.versions as Array<Record<string, any>>) {
      if (v.served === false) continue;
      const def: ResourceDef = {
        name: plural,
        singularName: String(names.singular ?? String(names.kind).toLowerCase()),
        namespaced: spec.scope !== 'Cluster',
        kind: String(names.kind),
        verbs: ALL_VERBS,
        ...(Array.isArray(names.shortNames) ? { shortNames: names.shortNames.map(String) } : {}),
        ...(Array.isArray(names.categories) ? { categories: names.categories.map(String) } : {}),
        ...(isPlainObject(v.subresources) && 'status' in v.subresources ? { status: true } : {}),
      };
      let gv = crdGroupVersions.find((g) => g.group === spec.group && g.version === v.name);
      if (!gv) {
        gv = { group: spec.group, version: String(v.name), resources: [], custom: true };
        crdGroupVersions.push(gv);
      }
      gv.resources = gv.resources.filter((r) => r.name !== plural).concat(def);
    }
  };

  const addObject = (objIn: object): void => {
    const obj = clone(objIn) as Record<string, any>;
    const found = typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? findKind(obj.apiVersion, obj.kind) : undefined;
    if (!found) throw new Error(`fake-apiserver: unknown kind ${obj.apiVersion}/${obj.kind} (built-in kinds or addCrd first)`);
    if (obj.kind === 'CustomResourceDefinition') return addCrd(obj);
    const name = obj.metadata?.name;
    if (typeof name !== 'string') throw new Error('fake-apiserver: addObject needs metadata.name');
    if (found.def.namespaced) obj.metadata.namespace ??= 'default';
    withServerMetadata(obj);
    objects.set(objectKey(found.gv.group, found.gv.version, found.def.name, found.def.namespaced ? obj.metadata.namespace : undefined, name), obj);
  };

  // --- responses --------------------------------------------------------------------------------

  const send = (res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warningTexts: string[] = []) => {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    // One header line per warning, the text quoted with \ and " escaped (k8s.io/apiserver/pkg/warning).
    if (warningTexts.length > 0) res.setHeader('Warning', warningTexts.map((t) => `299 - "${t.replace(/[\\"]/g, '\\$&')}"`));
    res.writeHead(code, {
      'Audit-Id': randomUUID(),
      'Cache-Control': 'no-cache, private',
      'Content-Type': contentType,
      'X-Kubernetes-Pf-Flowschema-Uid': '6f0e2bd3-55d7-4a1e-9c1e-5b7f1e0d3b2a',
      'X-Kubernetes-Pf-Prioritylevel-Uid': '2d8b3b5e-7a1c-4f0e-8a3e-0c6a9f1b7e44',
      'Content-Length': payload.length,
    });
    res.end(payload);
  };
  const sendStatus = (res: ServerResponse, s: StatusObject | Record<string, unknown>) => send(res, Number(s.code) || 500, s);
  const notFoundResource = () => statusFailure(404, 'NotFound', 'the server could not find the requested resource', {});

  const resourceList = (gv: GroupVersionDef) => {
    const resources: unknown[] = [];
    for (const r of gv.resources) {
      const entry: Record<string, unknown> = { name: r.name, singularName: r.singularName, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
      if (r.shortNames) entry.shortNames = r.shortNames;
      if (r.categories) entry.categories = r.categories;
      entry.storageVersionHash = Buffer.from(`${gv.group}/${gv.version}/${r.name}`).toString('base64').slice(0, 11);
      resources.push(entry);
      if (r.status) {
        resources.push({ name: `${r.name}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
      }
    }
    const groupVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
    return gv.group
      ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }
      : { kind: 'APIResourceList', groupVersion, resources };
  };

  const apiGroup = (group: string) => {
    const versions = groupVersions()
      .filter((gv) => gv.group === group)
      .map((gv) => gv.version)
      .sort(compareKubeVersions)
      .map((version) => ({ groupVersion: `${group}/${version}`, version }));
    if (versions.length === 0) return undefined;
    return { name: group, versions, preferredVersion: versions[0] };
  };

  const apiGroupList = () => {
    const names: string[] = [];
    for (const gv of groupVersions()) if (gv.group && !names.includes(gv.group)) names.push(gv.group);
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((n) => apiGroup(n)) };
  };

  const forbiddenStatus = (method: string, p: string, rp: ParsedResourcePath | undefined) => {
    const user = 'system:serviceaccount:kgov:kgov-reader';
    if (!rp) {
      return statusFailure(403, 'Forbidden', `forbidden: User "${user}" cannot ${method.toLowerCase()} path "${p}"`, {});
    }
    const verb = method === 'GET' ? (rp.name === undefined ? 'list' : 'get') : method === 'PATCH' ? 'patch' : method.toLowerCase();
    const scope = rp.namespace !== undefined ? `in the namespace "${rp.namespace}"` : 'at the cluster scope';
    const resource = rp.subresource ? `${rp.resource}/${rp.subresource}` : rp.resource;
    const subject = qualifiedResource(rp.resource, rp.group, rp.name);
    return statusFailure(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${rp.group}" ${scope}`,
      resourceDetails(rp.resource, rp.group, rp.name),
    );
  };

  const readOpenApi = async (): Promise<Buffer | undefined> => {
    const v = openapiVersion();
    const cached = openapiCache.get(v);
    if (cached) return cached;
    const file = path.resolve(__dirname, '../../../shared/k8s-openapi', `v${v}`, 'swagger.json');
    try {
      const buf = await fsp.readFile(file);
      openapiCache.set(v, buf);
      return buf;
    } catch {
      return undefined;
    }
  };

  // --- server-side apply (dry run only) -----------------------------------------------------------

  const serverSideApply = (
    res: ServerResponse,
    rp: ParsedResourcePath,
    gv: GroupVersionDef,
    def: ResourceDef,
    query: Record<string, string>,
    contentType: string | undefined,
    rawBody: string,
  ) => {
    const mt = mediaType(contentType);
    if (mt !== 'application/apply-patch+yaml') {
      return sendStatus(
        res,
        statusFailure(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml (this fake API server only implements server-side apply)`,
        ),
      );
    }
    const fieldManager = query.fieldManager ?? '';
    if (fieldManager === '') {
      // What the real server answers (ValidatePatchOptions): 422 Invalid on PatchOptions.
      return sendStatus(
        res,
        statusFailure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
        }),
      );
    }
    if (query.dryRun !== undefined && query.dryRun !== 'All') {
      return sendStatus(
        res,
        statusFailure(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"${query.dryRun}"}: supported values: "All"`, {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: []string{"${query.dryRun}"}: supported values: "All"`, field: 'dryRun' }],
        }),
      );
    }
    if (query.dryRun !== 'All') {
      return sendStatus(res, statusFailure(400, 'BadRequest', 'this fake API server only accepts dry runs (dryRun=All); it never persists anything'));
    }
    let obj: unknown;
    try {
      obj = YAML.parse(rawBody);
    } catch (e) {
      return sendStatus(res, statusFailure(400, 'BadRequest', `error decoding YAML: ${(e as Error).message}`));
    }
    if (!isPlainObject(obj)) {
      return sendStatus(res, statusFailure(400, 'BadRequest', 'error decoding YAML: the body is not an object'));
    }
    const expectedApiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
    if (typeof obj.kind !== 'string' || obj.kind === '') {
      return sendStatus(res, statusFailure(400, 'BadRequest', `Object 'Kind' is missing in '${JSON.stringify(obj)}'`));
    }
    if (obj.apiVersion !== expectedApiVersion || obj.kind !== def.kind) {
      return sendStatus(
        res,
        statusFailure(400, 'BadRequest', `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedApiVersion})`),
      );
    }
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    if (meta.name !== undefined && meta.name !== rp.name) {
      return sendStatus(
        res,
        statusFailure(400, 'BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${rp.name})`),
      );
    }
    if (meta.namespace !== undefined && meta.namespace !== rp.namespace) {
      return sendStatus(res, statusFailure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    }
    for (const d of denials) {
      let hit = false;
      try {
        hit = d.match(clone(obj));
      } catch {
        hit = false;
      }
      if (hit) return sendStatus(res, d.status);
    }
    const existing = objects.get(objectKey(gv.group, gv.version, def.name, rp.namespace, rp.name!));
    const applied = clone(obj);
    const merged = (existing ? applyMerge(existing, applied) : applied) as Record<string, any>;
    merged.metadata ??= {};
    merged.metadata.name = rp.name;
    if (rp.namespace !== undefined) merged.metadata.namespace = rp.namespace;
    withServerMetadata(merged, existing);
    if (existing && JSON.stringify(existing.spec) !== JSON.stringify(merged.spec)) merged.metadata.generation = (existing.metadata?.generation ?? 1) + 1;
    const managed = (Array.isArray(existing?.metadata?.managedFields) ? clone(existing!.metadata.managedFields) : []) as Array<Record<string, unknown>>;
    // The applier owns what it sent, except the identity of the object and its status.
    const owned = fieldsV1(applied) as Record<string, any>;
    delete owned['f:apiVersion'];
    delete owned['f:kind'];
    delete owned['f:status'];
    if (isPlainObject(owned['f:metadata'])) {
      delete owned['f:metadata']['f:name'];
      delete owned['f:metadata']['f:namespace'];
      if (Object.keys(owned['f:metadata']).length === 0) delete owned['f:metadata'];
    }
    const entry = {
      manager: fieldManager,
      operation: 'Apply',
      apiVersion: expectedApiVersion,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      fieldsType: 'FieldsV1',
      fieldsV1: owned,
    };
    const idx = managed.findIndex((m) => m.manager === fieldManager && m.operation === 'Apply');
    if (idx >= 0) managed[idx] = entry;
    else managed.push(entry);
    merged.metadata.managedFields = managed;
    if (!existing && def.status) merged.status ??= {};
    const warned = warnings.filter((w) => {
      try {
        return w.match(clone(obj));
      } catch {
        return false;
      }
    }).map((w) => w.text);
    return send(res, existing ? 200 : 201, merged, 'application/json', warned);
  };

  // --- dispatch -----------------------------------------------------------------------------------

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const p = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const contentType = req.headers['content-type'];
    const raw = await readBody(req);
    const rawBody = raw.toString('utf8');
    const entry: RecordedRequest = { method, path: p, query };
    if (contentType !== undefined) entry.contentType = contentType;
    if (raw.length > 0) {
      try {
        entry.body = YAML.parse(rawBody);
      } catch {
        entry.body = rawBody;
      }
    }
    requests.push(entry);

    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendStatus(res, statusFailure(401, 'Unauthorized', 'Unauthorized'));
    }
    if (hanging.some((h) => p.startsWith(h))) {
      return; // accepted, never answered; stop() destroys the socket
    }
    const segments = p.split('/').filter(Boolean).map(decodeURIComponent);
    const rp = parseResourcePath(segments);
    if (forbidden.some((f) => p.startsWith(f))) {
      return sendStatus(res, forbiddenStatus(method, p, rp));
    }

    if (method === 'GET') {
      if (p === '/version') return send(res, 200, versionInfo());
      if (p === '/healthz' || p === '/livez' || p === '/readyz') return send(res, 200, 'ok', 'text/plain; charset=utf-8');
      if (p === '/api') {
        const addr = req.socket.localAddress ?? '127.0.0.1';
        const port = req.socket.localPort ?? 0;
        return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${addr}:${port}` }] });
      }
      if (p === '/apis') return send(res, 200, apiGroupList());
      if (p === '/openapi/v2') {
        const doc = await readOpenApi();
        if (!doc) return send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8');
        return send(res, 200, doc);
      }
      if ((segments[0] === 'api' && segments.length === 2) || (segments[0] === 'apis' && segments.length === 3)) {
        const gv = segments[0] === 'api' ? findGroupVersion('', segments[1]!) : findGroupVersion(segments[1]!, segments[2]!);
        return gv ? send(res, 200, resourceList(gv)) : sendStatus(res, notFoundResource());
      }
      if (segments[0] === 'apis' && segments.length === 2) {
        const g = apiGroup(segments[1]!);
        return g ? send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...g }) : sendStatus(res, notFoundResource());
      }
    }

    if (!rp) return send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8');
    const gv = findGroupVersion(rp.group, rp.version);
    const def = gv?.resources.find((r) => r.name === rp.resource);
    if (!gv || !def || (def.namespaced === false && rp.namespace !== undefined)) return sendStatus(res, notFoundResource());
    if (rp.subresource !== undefined && !(rp.subresource === 'status' && def.status)) return sendStatus(res, notFoundResource());
    const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;

    if (method === 'GET' && rp.name === undefined) {
      const prefix = `${gv.group}/${gv.version}/${def.name}/`;
      const items = [...objects.entries()]
        .filter(([k, o]) => k.startsWith(prefix) && (rp.namespace === undefined || o.metadata?.namespace === rp.namespace))
        .map(([, o]) => {
          const item = clone(o);
          if (!gv.custom) {
            delete item.apiVersion;
            delete item.kind;
          }
          return item;
        })
        .sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`));
      return send(res, 200, { kind: `${def.kind}List`, apiVersion, metadata: { resourceVersion: String(resourceVersion) }, items });
    }
    if (rp.name === undefined || (def.namespaced && rp.namespace === undefined)) {
      return send(res, 405, statusFailure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {}));
    }
    if (method === 'GET') {
      const obj = objects.get(objectKey(gv.group, gv.version, def.name, rp.namespace, rp.name));
      if (!obj) {
        return sendStatus(res, statusFailure(404, 'NotFound', `${qualifiedResource(def.name, gv.group, rp.name)} not found`, resourceDetails(def.name, gv.group, rp.name)));
      }
      return send(res, 200, obj);
    }
    if (method === 'PATCH' && rp.subresource === undefined) {
      return serverSideApply(res, rp, gv, def, query, contentType, rawBody);
    }
    return sendStatus(res, statusFailure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {}));
  };

  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendStatus(res, statusFailure(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    });
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Rejected handshakes (e.g. the "fake-badca" context) are expected; keep them quiet.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const deadPort = await closedPort();

  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': 'fake',
    clusters: [
      { name: 'fake', cluster: { server: url, 'certificate-authority-data': b64(certs.caPem) } },
      { name: 'fake-badca', cluster: { server: url, 'certificate-authority-data': b64(certs.badCaPem) } },
      { name: 'fake-unreachable', cluster: { server: `https://127.0.0.1:${deadPort}`, 'certificate-authority-data': b64(certs.caPem) } },
    ],
    users: [
      { name: 'fake-user', user: { token } },
      { name: 'fake-badtoken-user', user: { token: `kgov-wrong-${randomBytes(24).toString('hex')}` } },
    ],
    contexts: [
      { name: 'fake', context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } },
      { name: 'fake-badtoken', context: { cluster: 'fake', user: 'fake-badtoken-user', namespace: 'default' } },
      { name: 'fake-badca', context: { cluster: 'fake-badca', user: 'fake-user', namespace: 'default' } },
      { name: 'fake-unreachable', context: { cluster: 'fake-unreachable', user: 'fake-user', namespace: 'default' } },
    ],
  };
  const kubeconfigPath = path.join(dir, 'kubeconfig.yaml');
  await fsp.writeFile(kubeconfigPath, YAML.stringify(kubeconfig), { mode: 0o600 });

  // If the test process dies without calling stop(), still remove the keys and the kubeconfig.
  const cleanupOnExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanupOnExit);

  let stopping: Promise<void> | undefined;
  return {
    url,
    kubeconfigPath,
    token,
    requests,
    setVersion(v: string) {
      gitVersion = v;
    },
    addCrd,
    addObject,
    forbid(prefix: string) {
      forbidden.push(prefix);
    },
    hang(prefix: string) {
      hanging.push(prefix);
    },
    denyDryRun(match: (obj: any) => boolean, status: object) {
      const s = clone(status) as Record<string, unknown>;
      const code = typeof s.code === 'number' ? s.code : 500;
      denials.push({
        match,
        status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...s, code },
      });
    },
    warnDryRun(match: (obj: any) => boolean, text: string) {
      warnings.push({ match, text });
    },
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        await closed;
        process.off('exit', cleanupOnExit);
        await fsp.rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
