/**
 * kgov's offline CRD catalog (schemas/crds/, made by scripts/generate-crd-catalog.ts): the CRDs of widely used
 * projects, so that their custom resources are validated without the CRD in the workspace. The index is read on
 * first use; an API group's file is decompressed (brotli) the first time one of its kinds is looked up, and only
 * that kind's CRD (with the shared subschemas it uses) is parsed. The workspace's and the cluster's CRDs come first
 * (schema/crd.ts keeps the precedence); `.kgov.yaml` can turn the catalog off, or off for some groups.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { groupOf } from '../k8s/kinds';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import { closest } from '../util/suggest';
import type { CrdRegistry, CustomKind } from './crd';

interface IndexEntry {
  file: string;
  kinds: Record<string, { versions: string[]; served: string[] }>;
  projects: string[];
}

/** A group's file: each CRD (by kind) and each shared subtree as a JSON text, parsed when first needed. */
interface CatalogFile {
  group: string;
  shared: string[];
  crds: Record<string, string>;
}

interface CatalogCrd {
  name: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  versions: Array<{ name: string; served: boolean; deprecated?: boolean; deprecationWarning?: string; status?: boolean; schema?: JsonObject }>;
  source: { project: string; release: string };
}

/** One API group of the catalog. */
export interface CatalogEntry {
  group: string;
  /** "cert-manager v1.16.2" */
  projects: string[];
  /** Each kind with its served versions. */
  kinds: Array<{ kind: string; versions: string[] }>;
}

/** Which groups the catalog may answer for (`.kgov.yaml` `crdCatalog`). */
export interface CatalogScope {
  enabled: boolean;
  /** API groups left to the workspace (and the cluster). */
  exclude: readonly string[];
}

/**
 * A group's CRDs, parsed one kind at a time. `{ "$kgovShared": n }` becomes the n-th shared subtree, parsed once
 * and then the same object wherever it occurs (in any kind of the group), so that conversions and validators
 * made for it are made once.
 */
class GroupFile {
  private readonly shared = new Map<number, JsonValue>();

  constructor(private readonly file: CatalogFile) {}

  crd(kind: string): CatalogCrd | undefined {
    const text = this.file.crds[kind];
    return text === undefined ? undefined : (this.resolve(JSON.parse(text) as JsonValue) as unknown as CatalogCrd);
  }

  private subtree(id: number): JsonValue {
    let done = this.shared.get(id);
    if (done === undefined) {
      done = this.resolve(JSON.parse(this.file.shared[id] as string) as JsonValue);
      this.shared.set(id, done);
    }
    return done;
  }

  /**
   * Puts the shared subtrees in place of their references, each parsed on first read: validation, defaulting,
   * hover and completion read a schema only along the paths of a resource, and most of a large CRD is subtrees
   * shared with other places (the parsed value is ours to change).
   */
  private resolve(value: JsonValue): JsonValue {
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, JsonValue>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (isJsonObject(child) && typeof child.$kgovShared === 'number') {
        const id = child.$kgovShared;
        Object.defineProperty(record, key, {
          enumerable: true, configurable: true,
          get: () => {
            const subtree = this.subtree(id);
            Object.defineProperty(record, key, { value: subtree, enumerable: true, writable: true, configurable: true });
            return subtree;
          },
        });
      } else this.resolve(child as JsonValue);
    }
    return value;
  }
}

export class CrdCatalog {
  private index: Record<string, IndexEntry> | undefined;
  private readonly files = new Map<string, GroupFile>();
  /** Custom kinds by `apiVersion/kind`, made on first lookup of their kind. */
  private readonly kinds = new Map<string, CustomKind>();

  constructor(private readonly dir: string) {}

  private entries(): Record<string, IndexEntry> {
    if (!this.index) {
      const path = join(this.dir, 'crds', 'index.json');
      this.index = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { groups: Record<string, IndexEntry> }).groups : {};
    }
    return this.index;
  }

  private fileOf(group: string, entry: IndexEntry): GroupFile {
    let file = this.files.get(group);
    if (!file) {
      file = new GroupFile(JSON.parse(brotliDecompressSync(readFileSync(join(this.dir, 'crds', entry.file))).toString('utf8')) as CatalogFile);
      this.files.set(group, file);
    }
    return file;
  }

  /** Makes the custom kinds of every version of one kind (decompressing its group's file on first use). */
  private load(group: string, entry: IndexEntry, kind: string): void {
    const crd = this.fileOf(group, entry).crd(kind);
    if (!crd) return;
    const origin = `${crd.source.project} ${crd.source.release} CRD from kgov's catalog`;
    for (const version of crd.versions) {
      const apiVersion = `${group}/${version.name}`;
      const custom: CustomKind = {
        apiVersion, kind, namespaced: crd.scope !== 'Cluster', served: version.served, crdName: crd.name,
        source: { uri: `kgov-catalog:${crd.source.project}`, docIndex: 0 }, origin,
      };
      if (version.schema) custom.schema = version.schema;
      if (version.status) custom.statusSubresource = true;
      if (version.deprecated) custom.deprecated = version.deprecationWarning ?? '';
      this.kinds.set(`${apiVersion}/${kind}`, custom);
    }
  }

  lookup(apiVersion: string, kind: string, scope: CatalogScope): CustomKind | undefined {
    const group = groupOf(apiVersion);
    if (!this.answers(group, scope)) return undefined;
    const entry = this.entries()[group];
    if (!entry?.kinds[kind]) return undefined;
    const key = `${apiVersion}/${kind}`;
    if (!this.kinds.has(key) && entry.kinds[kind].versions.includes(apiVersion.slice(group.length + 1))) this.load(group, entry, kind);
    return this.kinds.get(key);
  }

  /**
   * What the catalog knows of a kind it cannot validate at the written apiVersion (for the messages of
   * `api/removed` and `api/unknown-kind`): the apiVersions serving the kind, or a kind of the same group with a
   * close name, and the projects that define the group.
   */
  known(apiVersion: string, kind: string, scope: CatalogScope): { served: string[]; suggestion?: string; projects: string[] } | undefined {
    const group = groupOf(apiVersion);
    const entry = this.answers(group, scope) ? this.entries()[group] : undefined;
    if (!entry) return undefined;
    const versions = entry.kinds[kind];
    if (versions) return { served: versions.served.map((v) => `${group}/${v}`), projects: entry.projects };
    const suggestion = closest(kind, Object.keys(entry.kinds));
    return { served: [], ...(suggestion ? { suggestion } : {}), projects: entry.projects };
  }

  private answers(group: string, scope: CatalogScope): boolean {
    return scope.enabled && group.includes('.') && !scope.exclude.includes(group);
  }

  /** The catalog's contents: API groups, their projects and kinds (for `kgov rules --catalog` and the docs). */
  contents(): CatalogEntry[] {
    return Object.entries(this.entries()).map(([group, entry]) => ({
      group, projects: entry.projects, kinds: Object.entries(entry.kinds).map(([kind, v]) => ({ kind, versions: v.served })),
    }));
  }
}

/** A custom kind by precedence: the workspace's CRDs, then the cluster's (both in `crds`), then the catalog. */
export function resolveCustomKind(crds: CrdRegistry | undefined, catalog: CrdCatalog, scope: CatalogScope, apiVersion: string, kind: string): CustomKind | undefined {
  return crds?.lookup(apiVersion, kind) ?? catalog.lookup(apiVersion, kind, scope);
}
