/**
 * Every resource of the input set (the CLI's paths, the editor's workspace folders), for what one file cannot
 * know alone: CRDs that define custom kinds, kustomize patches, and the cross-resource rules.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { CrdRegistry, memoizedKindsOf, type CustomKind } from './schema/crd';
import { isJsonObject, type JsonObject } from './types';
import { isKind } from './k8s/kinds';

/** A resource as the workspace index keeps it: plain data (it crosses worker threads), no parse tree. */
export interface WorkspaceResource {
  uri: string;
  docIndex: number;
  /** '' or '/items/N' inside its document. */
  pointer: string;
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** As written; see Workspace.namespaceOf. */
  namespace?: string;
  value: JsonObject;
  /** Zero-based line of its metadata.name (or kind), for messages that say where it is. */
  line: number;
  kustomization?: boolean;
}

/** Resolves `relative` against the folder of `uri` (a file path or a file:// URI). */
export function resolveAgainst(uri: string, relative: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return new URL(relative, uri).href;
  return resolvePath(dirname(uri), relative);
}

/** What cross-resource rules may ask of the workspace (read-only). */
export interface WorkspaceView {
  readonly defaultNamespace: string;
  /** Resources of the given kind(s), or all: `Job` is the Kubernetes kind, `group/Kind` a custom one (see isKind). */
  resources(kinds?: string | readonly string[]): WorkspaceResource[];
  find(kind: string, namespace: string, name: string): WorkspaceResource | undefined;
  /** Does the input set hold any resource of this kind? (References to kinds it does not manage are not checked.) */
  manages(kind: string): boolean;
  namespaceOf(resource: { namespace?: string }): string;
  /** "deploy/web.yaml:14", for messages. */
  where(resource: WorkspaceResource): string;
  /** A value derived from the whole workspace, computed once per change of it (e.g. pods by namespace). */
  memo<T>(key: string, compute: () => T): T;
}

/** One counter for every workspace: a generation number identifies one state of one workspace (caches key on it). */
let generations = 0;

export class Workspace implements WorkspaceView {
  private readonly files = new Map<string, WorkspaceResource[]>();
  private crdRegistry: CrdRegistry | undefined;
  /** Custom kinds from outside the input set (a cluster's CRDs): consulted after the workspace's own, which win. */
  private externalKinds: readonly CustomKind[] = [];
  private patches: Set<string> | undefined;
  /** Changes on every change (unique across workspaces), so caches that depend on the workspace know when to drop what they hold. */
  generation = ++generations;
  private memos = new Map<string, { value: unknown; reads: ReadonlySet<string> }>();
  /** Per kind (as written, without group), the generation in which a resource of that kind last changed. */
  private readonly kindChanged = new Map<string, number>();
  /** The generation in which any resource last changed (for readers of every resource). */
  private anyChanged = this.generation;
  /** While a reader is tracked (see track): the kinds it has read so far ('*' for every resource). */
  private reads: Set<string> | undefined;

  private byKind: Map<string, WorkspaceResource[]> | undefined;
  private all: WorkspaceResource[] | undefined;
  /** Turns a URI into what messages show (the CLI: relative to the working directory). */
  displayPath: (uri: string) => string = (uri) => uri;

  constructor(public defaultNamespace = 'default') {}

  resources(kinds?: string | readonly string[]): WorkspaceResource[] {
    if (kinds === undefined) {
      this.reads?.add(EVERY_KIND);
      return [...this.allResources()];
    }
    if (!this.byKind) {
      this.byKind = new Map();
      for (const r of this.allResources()) {
        if (!r.kind) continue;
        const list = this.byKind.get(r.kind) ?? [];
        list.push(r);
        this.byKind.set(r.kind, list);
      }
    }
    const wanted = typeof kinds === 'string' ? [kinds] : kinds;
    if (this.reads) for (const name of wanted) this.reads.add(bareKind(name));
    return wanted.flatMap((name) => (this.byKind?.get(name.slice(name.lastIndexOf('/') + 1)) ?? []).filter((r) => isKind(name, r.apiVersion, r.kind)));
  }

  find(kind: string, namespace: string, name: string): WorkspaceResource | undefined {
    return this.resources(kind).find((r) => r.name === name && this.namespaceOf(r) === namespace);
  }

  /** A value derived from the whole workspace (an index of pod labels, say), computed once per generation. */
  memo<T>(key: string, compute: () => T): T {
    let memo = this.memos.get(key);
    if (!memo) {
      const { value, reads } = this.track(compute);
      this.memos.set(key, (memo = { value, reads }));
    }
    if (this.reads) for (const kind of memo.reads) this.reads.add(kind);
    return memo.value as T;
  }

  /** Runs `reader` and says which kinds of resources it read (memos included): see changedSince. */
  track<T>(reader: () => T): { value: T; reads: ReadonlySet<string> } {
    const outer = this.reads;
    const reads = new Set<string>();
    this.reads = reads;
    try {
      return { value: reader(), reads };
    } finally {
      this.reads = outer;
      if (outer) for (const kind of reads) outer.add(kind);
    }
  }

  /** Has a resource of one of these kinds (as track reports them) changed since `generation` of this workspace? */
  changedSince(reads: ReadonlySet<string>, generation: number): boolean {
    if (reads.has(EVERY_KIND)) return this.anyChanged > generation;
    for (const kind of reads) if ((this.kindChanged.get(kind) ?? 0) > generation) return true;
    return false;
  }

  /** A copy that can change without changing this one (fix-all tries its edits on it). */
  fork(): Workspace {
    const copy = new Workspace(this.defaultNamespace);
    for (const [uri, list] of this.files) copy.files.set(uri, list);
    copy.externalKinds = this.externalKinds;
    copy.displayPath = this.displayPath;
    return copy;
  }

  manages(kind: string): boolean {
    return this.resources(kind).length > 0;
  }

  where(resource: WorkspaceResource): string {
    return `${this.displayPath(resource.uri)}:${resource.line + 1}`;
  }

  /** Puts a file's resources in the index; returns the kinds of the resources that changed (none: nothing did). */
  setFile(uri: string, resources: WorkspaceResource[]): ReadonlySet<string> {
    const before = this.files.get(uri) ?? [];
    // An edit that leaves a file's CRDs and kustomizations as they were (the same parsed values, as unchanged
    // documents are) keeps the registry, so its kinds and validators survive typing elsewhere in the file.
    if (!sameValues(before.filter(isCrd), resources.filter(isCrd))) this.crdRegistry = undefined;
    if (!sameValues(before.filter(isKustomization), resources.filter(isKustomization))) this.patches = undefined;
    this.files.set(uri, resources);
    this.byKind = undefined;
    this.all = undefined;
    this.memos.clear();
    this.generation = ++generations;
    const changed = changedKinds(before, resources);
    for (const kind of changed) this.kindChanged.set(kind, this.generation);
    if (changed.size > 0) this.anyChanged = this.generation;
    return changed;
  }

  removeFile(uri: string): ReadonlySet<string> {
    const before = this.files.get(uri);
    if (!before) return new Set();
    const changed = this.setFile(uri, []);
    this.files.delete(uri);
    this.all = undefined;
    return changed;
  }

  get uris(): string[] {
    return [...this.files.keys()];
  }

  fileResources(uri: string): WorkspaceResource[] {
    return this.files.get(uri) ?? [];
  }

  /** In path order, so that results (the first of two same-named resources, say) do not depend on indexing order. */
  private allResources(): readonly WorkspaceResource[] {
    this.all ??= [...this.files.keys()].sort().flatMap((uri) => this.files.get(uri) ?? []);
    return this.all;
  }

  /** The namespace a resource lands in when applied without `-n`. */
  namespaceOf(resource: { namespace?: string }): string {
    return resource.namespace ?? this.defaultNamespace;
  }

  /** Sets the custom kinds defined outside the input set (cluster features); validation of every file may change. */
  setExternalKinds(kinds: readonly CustomKind[]): void {
    this.externalKinds = kinds;
    this.crdRegistry = undefined;
    this.memos.clear();
    this.generation = ++generations;
  }

  get crds(): CrdRegistry {
    if (this.crdRegistry) return this.crdRegistry;
    const registry = new CrdRegistry();
    for (const r of this.allResources()) {
      if (isCrd(r)) registry.add(memoizedKindsOf(r.value, { uri: r.uri, docIndex: r.docIndex }));
    }
    // The registry keeps the first definition of a kind: the workspace's CRDs win over the cluster's.
    registry.add([...this.externalKinds]);
    this.crdRegistry = registry;
    return registry;
  }

  /** Files a kustomization lists as patches: partial objects, validated without `required`. */
  isPatch(uri: string): boolean {
    if (!this.patches) {
      const patches = new Set<string>();
      for (const r of this.allResources()) {
        if (!r.kustomization) continue;
        const add = (entry: unknown) => {
          // Inline patches are YAML text, not file names.
          if (typeof entry === 'string' && !entry.includes('\n') && !entry.includes(': ')) patches.add(resolveAgainst(r.uri, entry));
        };
        const { patchesStrategicMerge, patches: patchList } = r.value;
        if (Array.isArray(patchesStrategicMerge)) patchesStrategicMerge.forEach(add);
        if (Array.isArray(patchList)) for (const p of patchList) if (isJsonObject(p)) add(p.path);
      }
      this.patches = patches;
    }
    return this.patches.has(uri);
  }
}

/** What track records for a reader of every resource. */
export const EVERY_KIND = '*';

/** `apps/Deployment` -> `Deployment`: reads are tracked per kind name, whatever the group (a safe superset). */
function bareKind(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * The kinds whose resources differ between two versions of a file's list: by identity of the parsed value (an
 * unchanged document keeps its value), and by the place messages name (a resource whose line moved).
 */
function changedKinds(before: readonly WorkspaceResource[], after: readonly WorkspaceResource[]): Set<string> {
  const kinds = new Set<string>();
  const key = (r: WorkspaceResource) => r.value;
  const previous = new Map(before.map((r) => [key(r), r]));
  for (const r of after) {
    const old = previous.get(key(r));
    previous.delete(key(r));
    if (!old || old.line !== r.line || old.docIndex !== r.docIndex || old.pointer !== r.pointer) kinds.add(r.kind ?? '');
  }
  for (const r of previous.values()) kinds.add(r.kind ?? '');
  return kinds;
}

function isCrd(r: WorkspaceResource): boolean {
  return r.kind === 'CustomResourceDefinition' && r.apiVersion?.startsWith('apiextensions.k8s.io/') === true;
}

function isKustomization(r: WorkspaceResource): boolean {
  return r.kustomization === true;
}

/** The same resources at the same places, with the same values (by identity: parsed values are cached per chunk). */
function sameValues(a: readonly WorkspaceResource[], b: readonly WorkspaceResource[]): boolean {
  return a.length === b.length && a.every((r, i) => r.value === b[i]?.value && r.docIndex === b[i]?.docIndex && r.pointer === b[i]?.pointer);
}
