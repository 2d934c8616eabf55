/**
 * The cluster's /version -> the Kubernetes version kgov validates against. Managed clusters report
 * "v1.30.4-eks-a737599" (and minor "30+"); gitVersion is the reliable field. A cluster outside the bundled
 * range is validated against the nearest bundled version, and the note says so.
 */

export interface TargetVersion {
  /** "1.30" as the cluster reports it. */
  cluster: string;
  /** The bundled version used: equal to `cluster` when kgov bundles it. */
  bundled: string;
  /** Set when they differ. */
  note?: string;
}

/** "v1.30.4-eks-a737599" -> "1.30". */
export function minorVersion(info: { gitVersion?: unknown; major?: unknown; minor?: unknown }): string | undefined {
  const git = typeof info.gitVersion === 'string' ? /^v?(\d+)\.(\d+)/.exec(info.gitVersion) : null;
  if (git) return `${Number(git[1])}.${Number(git[2])}`;
  const major = typeof info.major === 'string' ? Number.parseInt(info.major, 10) : NaN;
  const minor = typeof info.minor === 'string' ? Number.parseInt(info.minor, 10) : NaN;
  return Number.isFinite(major) && Number.isFinite(minor) ? `${major}.${minor}` : undefined;
}

/** Picks the bundled version for a cluster version (`bundled`: the catalog's versions, any order). */
export function targetVersion(cluster: string, bundled: readonly string[]): TargetVersion {
  const minorOf = (v: string) => Number(v.split('.')[1]);
  const sorted = [...bundled].sort((a, b) => minorOf(a) - minorOf(b));
  if (sorted.includes(cluster) || sorted.length === 0) return { cluster, bundled: cluster };
  const oldest = sorted[0] as string;
  const newest = sorted[sorted.length - 1] as string;
  if (minorOf(cluster) < minorOf(oldest)) {
    return { cluster, bundled: oldest, note: `The cluster runs Kubernetes ${cluster}, older than the oldest version kgov bundles; validating against ${oldest}.` };
  }
  if (minorOf(cluster) > minorOf(newest)) {
    return { cluster, bundled: newest, note: `The cluster runs Kubernetes ${cluster}, newer than kgov's schemas; validating against ${newest}.` };
  }
  const below = sorted.filter((v) => minorOf(v) < minorOf(cluster)).pop() as string;
  return { cluster, bundled: below, note: `kgov does not bundle Kubernetes ${cluster}; validating against ${below}.` };
}
