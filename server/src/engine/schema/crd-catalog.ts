/**
 * kgov's offline CRD catalog (schemas/crds/, made by scripts/generate-crd-catalog.ts): the CRDs of widely used
 * projects, so that their custom resources are validated without the CRD in the workspace. The index is read on
 * first use; an API group's file is decompressed (brotli) and parsed the first time one of its kinds is looked up,
 * with its shared subschemas rebuilt as shared objects. The workspace's and the cluster's CRDs come first
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

interface CatalogFile {
  group: string;
  shared: JsonValue[];
  crds: JsonValue;
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

/** `{ "$kgovShared": n }` back to the n-th shared subtree: the same object wherever it occurs. */
function rebuild(value: JsonValue, shared: JsonValue[], built: Map<number, JsonValue>): JsonValue {
  if (Array.isArray(value)) return value.map((v) => rebuild(v, shared, built));
  if (!isJsonObject(value)) return value;
  if (typeof value.$kgovShared === 'number') {
    const id = value.$kgovShared;
    let done = built.get(id);
    if (done === undefined) {
      done = rebuild(shared[id] as JsonValue, shared, built);
      built.set(id, done);
    }
    return done;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = rebuild(v, shared, built);
  return out;
}

export class CrdCatalog {
  private index: Record<string, IndexEntry> | undefined;
  private readonly groups = new Map<string, Map<string, CustomKind>>();

  constructor(private readonly dir: string) {}

  private entries(): Record<string, IndexEntry> {
    if (!this.index) {
      const path = join(this.dir, 'crds', 'index.json');
      this.index = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { groups: Record<string, IndexEntry> }).groups : {};
    }
    return this.index;
  }

  /** The group's kinds, by `apiVersion/kind` (decompressed and parsed on first use). */
  private kindsOf(group: string): Map<string, CustomKind> | undefined {
    const known = this.groups.get(group);
    if (known) return known;
    const entry = this.entries()[group];
    if (!entry) return undefined;
    const file = JSON.parse(brotliDecompressSync(readFileSync(join(this.dir, 'crds', entry.file))).toString('utf8')) as CatalogFile;
    const crds = rebuild(file.crds, file.shared, new Map()) as unknown as CatalogCrd[];
    const kinds = new Map<string, CustomKind>();
    for (const crd of crds) {
      const origin = `${crd.source.project} ${crd.source.release} CRD from kgov's catalog`;
      for (const version of crd.versions) {
        const apiVersion = `${group}/${version.name}`;
        const custom: CustomKind = {
          apiVersion, kind: crd.kind, namespaced: crd.scope !== 'Cluster', served: version.served, crdName: crd.name,
          source: { uri: `kgov-catalog:${crd.source.project}`, docIndex: 0 }, origin,
        };
        if (version.schema) custom.schema = version.schema;
        if (version.status) custom.statusSubresource = true;
        if (version.deprecated) custom.deprecated = version.deprecationWarning ?? '';
        kinds.set(`${apiVersion}/${crd.kind}`, custom);
      }
    }
    this.groups.set(group, kinds);
    return kinds;
  }

  lookup(apiVersion: string, kind: string, scope: CatalogScope): CustomKind | undefined {
    const group = groupOf(apiVersion);
    if (!this.answers(group, scope)) return undefined;
    return this.entries()[group]?.kinds[kind] ? this.kindsOf(group)?.get(`${apiVersion}/${kind}`) : undefined;
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
