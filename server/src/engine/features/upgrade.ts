/**
 * Upgrade readiness: which resources the next two Kubernetes minor versions after the target stop serving, read from
 * the bundled specs (schemas/kubernetes/index.json, the same facts api/deprecated and api/removed come from). Each
 * resource is listed under the first of those versions that no longer serves its apiVersion/kind, with the
 * apiVersion that version serves instead, when there is one. Resources the target itself does not serve are the
 * api/removed findings of today, and custom resources have no bundled future: neither is in the outlook.
 */
import type { SchemaCatalog } from '../schema/catalog';
import type { Range } from '../types';

/** How many minor versions after the target the outlook covers. */
export const UPGRADE_HORIZON = 2;

/** A resource the upgrade readiness looks at. */
export interface UpgradeResource {
  uri: string;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  range?: Range;
}

/** What the next Kubernetes versions after the target stop serving. */
export interface UpgradeOutlook<R extends UpgradeResource = UpgradeResource> {
  target: string;
  /** The next UPGRADE_HORIZON minor versions, in order; `bundled: false` when kgov has no spec of one (nothing is known). */
  next: Array<{ version: string; bundled: boolean; removed: Array<R & { replacement?: string }> }>;
}

/** "1.34" -> ["1.35", "1.36"]. */
export function nextVersions(target: string, count = UPGRADE_HORIZON): string[] {
  const [major, minor] = target.split('.').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => `${major}.${minor + i + 1}`);
}

/**
 * The upgrade outlook of `resources` for `targetVersion` (a bundled version, "1.34"): per next version, the
 * resources it is the first to stop serving, in the order given.
 */
export function upgradeReadiness<R extends UpgradeResource>(catalog: SchemaCatalog, resources: Iterable<R>, targetVersion: string): UpgradeOutlook<R> {
  const target = catalog.resolveVersion(targetVersion) ?? targetVersion;
  const next = nextVersions(target).map((version) => ({ version, bundled: catalog.versions.includes(version), removed: [] as Array<R & { replacement?: string }> }));
  const bundled = next.filter((n) => n.bundled);
  if (bundled.length === 0) return { target, next };
  for (const resource of resources) {
    const entry = catalog.kind(resource.apiVersion, resource.kind);
    if (!entry?.served.includes(target)) continue;
    const first = bundled.find((n) => !entry.served.includes(n.version));
    if (!first) continue;
    const status = catalog.status(resource.apiVersion, resource.kind, first.version);
    const replacement = status.state === 'removed' ? status.replacement : undefined;
    first.removed.push(replacement ? { ...resource, replacement } : { ...resource });
  }
  return { target, next };
}

