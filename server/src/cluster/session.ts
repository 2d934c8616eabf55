/**
 * A connection to one kubeconfig context: what kgov asks the cluster (its version and CRDs, API discovery,
 * live objects, server-side apply dry runs), with the answers cached for a while and concurrent askers
 * sharing one request. When the cluster cannot be used (unreachable, TLS, expired credentials, too slow),
 * further calls fail at once with the same error until a back-off passes (10 s, doubling up to 5 min) or
 * refresh() is called: editors ask on every keystroke, and a dead cluster must not be hammered.
 */
import { ClusterError, httpError } from './errors';
import type { SelectedContext } from './kubeconfig';
import { Transport, type RawResponse, type RequestSpec } from './transport';
import { minorVersion } from './version';

export interface SessionOptions {
  timeoutMs?: number;
  /** How long the version, CRDs and discovery stay cached. Default 5 min. */
  factsTtlMs?: number;
  /** How long live objects stay cached. Default 15 s. */
  liveTtlMs?: number;
  /** First back-off after a connection failure. Default 10 s. */
  retryAfterMs?: number;
  now?: () => number;
}

export type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

export interface ClusterFacts {
  context: string;
  server: string;
  /** As reported, e.g. "v1.30.4-eks-a737599". */
  gitVersion: string;
  /** "1.30". */
  version: string;
  /** CustomResourceDefinition objects as the cluster serves them. */
  crds: KubeObject[];
  /** Why the CRDs are missing (e.g. RBAC forbids listing them); the version is still usable. */
  crdProblem?: string;
}

export interface ApiResourceInfo {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export type DryRunAnswer =
  | { kind: 'notServed' }
  | { kind: 'answered'; namespace?: string; response: RawResponse };

const MAX_BACKOFF_MS = 5 * 60 * 1000;

interface Entry<T> {
  at: number;
  value: T;
}

export class ClusterSession {
  readonly context: string;
  readonly server: string;
  /** The context's namespace: where namespaced objects without one are applied (as kubectl does). */
  readonly namespace: string;
  private readonly transport: Transport;
  private readonly redactor: SelectedContext['redactor'];
  private readonly factsTtl: number;
  private readonly liveTtl: number;
  private readonly retryAfter: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, Entry<unknown>>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private failure: { error: ClusterError; retryAt: number; backoff: number } | undefined;
  /** Network requests sent (for the back-off tests and the output channel's figures). */
  requests = 0;

  constructor(selected: SelectedContext, options: SessionOptions = {}) {
    this.context = selected.info.name;
    this.server = selected.info.server;
    this.namespace = selected.info.namespace;
    this.redactor = selected.redactor;
    this.transport = new Transport(selected.kubeConfig, this.context, this.server, selected.redactor, options.timeoutMs);
    this.factsTtl = options.factsTtlMs ?? 5 * 60 * 1000;
    this.liveTtl = options.liveTtlMs ?? 15 * 1000;
    this.retryAfter = options.retryAfterMs ?? 10 * 1000;
    this.now = options.now ?? Date.now;
  }

  get timeoutMs(): number {
    return this.transport.timeoutMs;
  }

  /** Masks this context's credentials (and anything that looks like one) in a text about to be shown or logged. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** The connection failure in force, if any. */
  get lastFailure(): ClusterError | undefined {
    return this.failure?.error;
  }

  /** Forgets every cached answer and the back-off: the next call asks the cluster again. */
  refresh(): void {
    this.cache.clear();
    this.inFlight.clear();
    this.failure = undefined;
  }

  /** The version and CRDs (cached). Connection failures throw; a forbidden CRD list is reported in `crdProblem`. */
  facts(signal?: AbortSignal): Promise<ClusterFacts> {
    return this.cached('facts', this.factsTtl, signal, async () => {
      const version = await this.json<{ gitVersion?: string; major?: string; minor?: string }>({ method: 'GET', path: '/version' });
      const minor = minorVersion(version);
      if (!minor) throw new ClusterError('http', `The cluster of context "${this.context}" reports no usable version (${JSON.stringify(version.gitVersion ?? null)}).`);
      const facts: ClusterFacts = { context: this.context, server: this.server, gitVersion: String(version.gitVersion ?? minor), version: minor, crds: [] };
      try {
        const list = await this.json<{ items?: KubeObject[] }>({ method: 'GET', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions' });
        facts.crds = Array.isArray(list.items) ? list.items : [];
      } catch (error) {
        if (!(error instanceof ClusterError) || error.isConnectionFailure || error.kind === 'cancelled') throw error;
        facts.crdProblem = `CustomResourceDefinitions not loaded: ${error.message}`;
      }
      return facts;
    });
  }

  /** Discovery: the resource serving `kind` in `apiVersion`, or undefined when the cluster does not serve it. */
  resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ApiResourceInfo | undefined> {
    return this.discover(apiVersion, signal).then((list) => list?.find((r) => r.kind === kind && !r.name.includes('/')));
  }

  private discover(apiVersion: string, signal?: AbortSignal): Promise<ApiResourceInfo[] | null> {
    return this.cached(`discovery ${apiVersion}`, this.factsTtl, signal, async () => {
      const response = await this.send({ method: 'GET', path: apiPath(apiVersion) });
      if (response.status === 404) return null;
      const list = this.parse<{ resources?: ApiResourceInfo[] }>(response, `GET ${apiPath(apiVersion)}`);
      return Array.isArray(list.resources) ? list.resources : [];
    });
  }

  /** Live objects of a kind in a namespace (cached briefly). Empty when the cluster does not serve the kind. */
  list(apiVersion: string, kind: string, namespace: string, signal?: AbortSignal): Promise<KubeObject[]> {
    return this.cached(`list ${apiVersion} ${kind} ${namespace}`, this.liveTtl, signal, async () => {
      const resource = await this.resource(apiVersion, kind);
      if (!resource) return [];
      const path = `${apiPath(apiVersion)}${resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource.name}`;
      const list = await this.json<{ items?: KubeObject[] }>({ method: 'GET', path });
      return Array.isArray(list.items) ? list.items : [];
    });
  }

  /**
   * A server-side apply dry run (`dryRun=All`, field manager "kgov", strict field validation). Nothing is
   * stored. The answer is returned whatever its status: callers turn Status failures into findings.
   */
  async applyDryRun(object: KubeObject, signal?: AbortSignal): Promise<DryRunAnswer> {
    const apiVersion = String(object.apiVersion ?? '');
    const resource = await this.resource(apiVersion, String(object.kind ?? ''), signal);
    if (!resource) return { kind: 'notServed' };
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const namespace = resource.namespaced ? String(metadata.namespace ?? this.namespace) : undefined;
    const path = `${apiPath(apiVersion)}${namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource.name}/${encodeURIComponent(String(metadata.name ?? ''))}`;
    const response = await this.send({
      method: 'PATCH', path, signal, body: JSON.stringify(object), contentType: 'application/apply-patch+yaml',
      query: { dryRun: 'All', fieldManager: 'kgov', force: 'true', fieldValidation: 'Strict' },
    });
    return { kind: 'answered', ...(namespace !== undefined ? { namespace } : {}), response };
  }

  private async json<T>(spec: RequestSpec): Promise<T> {
    return this.parse<T>(await this.send(spec), `${spec.method} ${spec.path}`);
  }

  private parse<T>(response: RawResponse, request: string): T {
    if (response.status < 200 || response.status > 299) throw httpError(response.status, response.body, this.where(request));
    try {
      return JSON.parse(response.body) as T;
    } catch {
      throw new ClusterError('http', `${request}: the answer is not JSON.`);
    }
  }

  /** Every request goes through here: the back-off gate, and recording connection failures (401 included). */
  private async send(spec: RequestSpec): Promise<RawResponse> {
    const failure = this.failure;
    if (failure && this.now() < failure.retryAt) throw failure.error;
    this.requests++;
    let response: RawResponse;
    try {
      response = await this.transport.send(spec);
    } catch (error) {
      if (error instanceof ClusterError && error.isConnectionFailure) this.fail(error);
      throw error;
    }
    if (response.status === 401) {
      const error = httpError(401, response.body, this.where(`${spec.method} ${spec.path}`));
      this.fail(error);
      throw error;
    }
    this.failure = undefined;
    return response;
  }

  private fail(error: ClusterError): void {
    const backoff = this.failure ? Math.min(this.failure.backoff * 2, MAX_BACKOFF_MS) : this.retryAfter;
    this.failure = { error, retryAt: this.now() + backoff, backoff };
  }

  private where(request: string) {
    return { context: this.context, server: this.server, request, timeoutMs: this.timeoutMs };
  }

  /**
   * A cached answer, or one shared request. The request runs under its own deadline, not the caller's signal
   * (another caller may still want it); a cancelled caller stops waiting at once.
   */
  private cached<T>(key: string, ttl: number, signal: AbortSignal | undefined, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < ttl) return Promise.resolve(hit.value as T);
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      const started = load().then((value) => {
        if (this.inFlight.get(key) === started) this.cache.set(key, { at: this.now(), value });
        return value;
      }).finally(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
      pending = started;
      this.inFlight.set(key, pending);
    }
    return signal ? abortable(pending, signal) : pending;
  }
}

/** "/api/v1" or "/apis/apps/v1". */
export function apiPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ClusterError('cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ClusterError('cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
