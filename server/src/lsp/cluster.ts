/**
 * Cluster features in the language server: off unless `kgov.cluster.enable` is on in a trusted workspace
 * (then, and only then, the cluster module and @kubernetes/client-node are loaded and a cluster contacted).
 * Owns the session for the selected context, its status for the status item, the facts that change
 * validation (version, CRDs), dry runs, and the live items of the checklist. Every message it shows or logs
 * passes through the context's redactor.
 */
import type * as ClusterModule from '../cluster';
import type { DryRunResult, ValidationFacts } from '../cluster';
import { loadCluster } from '../cluster/load';
import { type AnalyzedFile, CHECKLIST_GROUPS, type ChecklistGroup, type ChecklistItem, isJsonObject, isWorkload, LineIndex, type Severity, spanOf, type WorkloadChecklist } from '../engine';
import type { ClusterContextsResult, ClusterStatus } from '../shared/protocol';
import type { KgovSettings } from '../shared/settings';

type Cluster = typeof ClusterModule;
type Session = InstanceType<Cluster['ClusterSession']>;

export interface ClusterFeatureOptions {
  log: (message: string) => void;
  /** The facts changed (connected, refreshed, turned off): engines and diagnostics must follow. */
  onFacts: (facts: ValidationFacts | undefined) => void;
  onStatus: () => void;
  bundledVersions: readonly string[];
  /** For tests: shorter deadlines and back-offs. */
  sessionOptions?: ClusterModule.SessionOptions;
}

export class ClusterFeature {
  private module: Cluster | undefined;
  private session: Session | undefined;
  private facts: ValidationFacts | undefined;
  private current: ClusterStatus = { state: 'off' };
  /** The status of the last successful connection, restored when the cluster answers again after a failure. */
  private connected: ClusterStatus | undefined;
  private wanted: { enable: boolean; context: string; trusted: boolean } = { enable: false, context: '', trusted: false };
  /** Bumped by every (re)configuration: answers of an older connection attempt are dropped. */
  private attempt = 0;
  private connecting: Promise<ClusterStatus> | undefined;

  constructor(private readonly options: ClusterFeatureOptions) {}

  get status(): ClusterStatus {
    return this.current;
  }

  get validationFacts(): ValidationFacts | undefined {
    return this.facts;
  }

  /** Applies the settings: connects, switches context, or turns everything off. Idempotent. */
  configure(settings: KgovSettings): void {
    const next = { enable: settings.cluster.enable && settings.trusted, context: settings.cluster.context, trusted: settings.trusted };
    const same = next.enable === this.wanted.enable && next.context === this.wanted.context && next.trusted === this.wanted.trusted;
    this.wanted = next;
    if (same) return;
    if (!next.enable) {
      this.turnOff();
      return;
    }
    void this.connect();
  }

  private turnOff(): void {
    this.attempt++;
    this.session = undefined;
    this.connected = undefined;
    this.connecting = undefined;
    this.current = { state: 'off' };
    if (this.facts) {
      this.facts = undefined;
      this.options.onFacts(undefined);
    }
    this.options.onStatus();
  }

  /** "kgov: Refresh Cluster Data": re-reads the kubeconfig (credentials may have been renewed) and asks again. */
  refresh(): Promise<ClusterStatus> {
    if (!this.wanted.enable) return Promise.resolve(this.current);
    return this.connect();
  }

  private connect(): Promise<ClusterStatus> {
    const attempt = ++this.attempt;
    const run = async (): Promise<ClusterStatus> => {
      const stale = () => attempt !== this.attempt;
      this.connected = undefined;
      this.current = { state: 'connecting', ...(this.wanted.context ? { context: this.wanted.context } : {}) };
      this.options.onStatus();
      let session: Session | undefined;
      const started = performance.now();
      try {
        const cluster = await this.load();
        const selected = cluster.selectContext(cluster.loadKubeconfig(), this.wanted.context || undefined, this.wanted.trusted);
        session = new cluster.ClusterSession(selected, this.options.sessionOptions);
        if (stale()) return this.current;
        this.session = session;
        this.current = { state: 'connecting', context: session.context, server: session.server };
        this.options.onStatus();
        const facts = await session.facts();
        if (stale()) return this.current;
        const validation = cluster.validationFacts(facts, this.options.bundledVersions);
        const parts = [`Kubernetes ${facts.gitVersion}${validation.version.note ? ` (${validation.version.note})` : ''}`,
          `${validation.crds} CustomResourceDefinition${validation.crds === 1 ? '' : 's'}`];
        if (facts.crdProblem) parts.push(facts.crdProblem);
        const message = session.redact(parts.join('; '));
        this.current = { state: 'connected', context: session.context, server: session.server, serverVersion: facts.gitVersion, message };
        this.connected = this.current;
        this.options.log(`cluster: context "${session.context}" (${session.server}): ${message} (${Math.round(performance.now() - started)} ms)`);
        this.facts = validation;
        this.options.onFacts(validation);
      } catch (error) {
        if (stale()) return this.current;
        const message = this.describe(error, session);
        this.current = { state: 'error', ...(session ? { context: session.context, server: session.server } : this.wanted.context ? { context: this.wanted.context } : {}), message };
        this.options.log(`cluster: ${message} (after ${Math.round(performance.now() - started)} ms)`);
        if (this.facts) {
          this.facts = undefined;
          this.options.onFacts(undefined);
        }
      } finally {
        if (!stale()) this.connecting = undefined;
      }
      this.options.onStatus();
      return this.current;
    };
    this.connecting = run();
    return this.connecting;
  }

  private async load(): Promise<Cluster> {
    this.module ??= await loadCluster();
    return this.module;
  }

  private describe(error: unknown, session?: Session): string {
    const text = error instanceof Error ? error.message : String(error);
    const known = this.module && error instanceof this.module.ClusterError;
    const message = known ? text : `Unexpected error: ${text}`;
    return session ? session.redact(message) : this.module ? this.module.redactPatterns(message) : message;
  }

  /** A request failed because the cluster became unusable: the status item says so. */
  private lost(error: unknown): void {
    if (!this.module || !(error instanceof this.module.ClusterError) || !error.isConnectionFailure || !this.session) return;
    const message = this.describe(error, this.session);
    if (this.current.state === 'error' && this.current.message === message) return;
    this.current = { state: 'error', context: this.session.context, server: this.session.server, message };
    this.options.log(`cluster: ${message}`);
    this.options.onStatus();
  }

  /** A request succeeded after a connection failure: the status item says connected again. */
  private recovered(): void {
    if (this.current.state !== 'error' || !this.connected) return;
    this.current = this.connected;
    this.options.log(`cluster: context "${this.connected.context ?? ''}" answers again`);
    this.options.onStatus();
  }

  /** The kubeconfig's contexts, for "kgov: Select Cluster Context" (a local read: no cluster is contacted). */
  async contexts(): Promise<ClusterContextsResult> {
    if (!this.wanted.trusted) return { contexts: [], error: 'Cluster features need a trusted workspace.' };
    try {
      const cluster = await this.load();
      const config = cluster.loadKubeconfig();
      const contexts = cluster.listContexts(config).map(({ name, cluster: c, server, namespace, current }) => ({ name, cluster: c, server, namespace, current }));
      const selected = this.wanted.context || config.currentContext;
      return { contexts, ...(selected ? { selected } : {}) };
    } catch (error) {
      return { contexts: [], error: this.describe(error) };
    }
  }

  /** The session to use now (waiting for a connection in progress), or why there is none. */
  private async ready(): Promise<Session | string> {
    if (!this.wanted.enable) {
      return this.wanted.trusted ? 'Cluster features are off: turn on the setting kgov.cluster.enable.' : 'Cluster features need a trusted workspace.';
    }
    if (this.connecting) await this.connecting;
    return this.session ?? this.current.message ?? 'Not connected to a cluster.';
  }

  /** "kgov: Validate Against Cluster" on one file. */
  async dryRun(file: AnalyzedFile, severityOf: (id: string) => Severity | 'off', signal: AbortSignal): Promise<DryRunResult | { error: string }> {
    const session = await this.ready();
    if (typeof session === 'string') return { error: session };
    const cluster = await this.load();
    try {
      const result = await cluster.dryRunFile(session, file, { signal, severityOf, spanOf });
      this.recovered();
      for (const f of result.findings) f.message = session.redact(f.message);
      for (const d of result.documents) d.message = session.redact(d.message);
      this.options.log(`cluster: dry run of ${file.uri} on "${session.context}": ${result.documents.filter((d) => d.outcome === 'rejected').length} rejected, ${result.documents.filter((d) => d.outcome === 'accepted').length} accepted, ${result.documents.filter((d) => d.outcome === 'skipped').length} skipped (${result.durationMs} ms)`);
      return result;
    } catch (error) {
      this.lost(error);
      return { error: this.describe(error, session) };
    }
  }

  /**
   * Adds live items to the checklists of one file's workloads (those the cluster has). Quietly adds nothing
   * when not connected; a cluster that stops answering shows in the status item.
   */
  async addLiveItems(workloads: WorkloadChecklist[], file: AnalyzedFile, namespaceOf: (ns: string | undefined) => string, signal: AbortSignal): Promise<void> {
    // After a connection failure the session's back-off decides when the cluster is asked again (not every refresh).
    if (!this.session || !this.facts || workloads.length === 0) return;
    const session = this.session;
    const cluster = await this.load();
    // fileChecklist lists the file's workloads in this order: the two lists line up.
    const resources = file.resources.filter((r) => r.apiVersion && r.kind && isWorkload(r.apiVersion, r.kind));
    if (resources.length !== workloads.length) return;
    const lines = new LineIndex(file.text);
    await Promise.all(resources.map(async (resource, i) => {
      const workload = workloads[i] as WorkloadChecklist;
      let live;
      try {
        const objects = await session.list(resource.apiVersion as string, resource.kind as string, namespaceOf(resource.namespace), signal);
        live = objects.find((o) => isJsonObject(o.metadata) && o.metadata.name === resource.name);
        // A cached answer proves nothing; a cleared failure means a request went through since.
        if (!session.lastFailure) this.recovered();
      } catch (error) {
        this.lost(error);
        return;
      }
      if (!live || !isJsonObject(live)) return;
      const items = cluster.liveItems({
        kind: resource.kind as string, value: resource.value, live, context: session.context, uri: file.uri,
        rangeOf: (pointer, anchor) => {
          const span = spanOf(resource.doc, resource.pointer + pointer, anchor);
          return lines.rangeOf({ start: span.start + resource.doc.base, end: span.end + resource.doc.base });
        },
      });
      for (const { group, item } of items) addItem(workload, group, { ...item, message: session.redact(item.message) });
    }));
  }
}

function addItem(workload: WorkloadChecklist, group: ChecklistGroup, item: ChecklistItem): void {
  let entry = workload.groups.find((g) => g.group === group);
  if (!entry) {
    entry = { group, items: [] };
    workload.groups.push(entry);
    workload.groups.sort((a, b) => CHECKLIST_GROUPS.indexOf(a.group) - CHECKLIST_GROUPS.indexOf(b.group));
  }
  entry.items.push(item);
}
