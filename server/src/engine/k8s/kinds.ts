/** API groups and kinds. */

/** The group of an apiVersion (`apps/v1` -> `apps`; `v1` -> the core group, ''). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * Does a resource have the kind that rules and workspace queries name? A plain name (`Job`) is the Kubernetes
 * kind: its group is the core group, a group without a dot or one ending in `.k8s.io`, which custom resources
 * cannot use, so a Volcano `batch.volcano.sh` Job is not a Job. A custom kind is named with its group:
 * `monitoring.coreos.com/ServiceMonitor`.
 */
export function isKind(name: string, apiVersion: string | undefined, kind: string | undefined): boolean {
  if (kind === undefined) return false;
  const slash = name.lastIndexOf('/');
  if (slash >= 0) return name.slice(slash + 1) === kind && groupOf(apiVersion ?? '') === name.slice(0, slash);
  if (name !== kind) return false;
  const group = groupOf(apiVersion ?? '');
  return !group.includes('.') || group.endsWith('.k8s.io');
}
