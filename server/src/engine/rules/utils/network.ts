/**
 * Shared by the networking rules: which workloads, Services and NetworkPolicies the workspace holds (built-in
 * API groups only), label matching per namespace, and the "what was considered" wording of cross-resource
 * messages. Not a rule (the `_` prefix keeps it out of the rule index).
 */
import { matches, overlap, type Selector } from '../k8s/selectors';
import { isJsonObject, type JsonValue } from '../types';
import { isWorkload, podSpecOf, WORKLOAD_KINDS } from '../lint/walk';
import type { WorkspaceResource, WorkspaceView } from '../workspace';

/** Workload kinds in the order messages name them (controllers first, bare Pods last). */
const DISPLAY_ORDER: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'];

/** A workload of the workspace and the labels of its pods. */
export interface PodOwner {
  resource: WorkspaceResource;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export function isApi(resource: { apiVersion?: string }, ...apiVersions: string[]): boolean {
  return resource.apiVersion !== undefined && apiVersions.includes(resource.apiVersion);
}

/** Every workload of the workspace with its pod (template) labels (computed once per workspace state). */
export function podOwners(workspace: WorkspaceView): readonly PodOwner[] {
  return workspace.memo('network/podOwners', () => collectPodOwners(workspace));
}

function collectPodOwners(workspace: WorkspaceView): PodOwner[] {
  const out: PodOwner[] = [];
  for (const r of workspace.resources(WORKLOAD_KINDS)) {
    if (r.kustomization || !r.apiVersion || !r.kind || !isWorkload(r.apiVersion, r.kind)) continue;
    const pod = podSpecOf(r.kind, r.value);
    if (!pod) continue;
    out.push({ resource: r, kind: r.kind, name: r.name ?? '', namespace: workspace.namespaceOf(r), labels: pod.labels });
  }
  return inFileOrder(out);
}

/** Sorted by file and position, so that messages list things in a stable, readable order. */
export function inFileOrder<T extends { resource: WorkspaceResource }>(items: T[]): T[] {
  return items.sort((a, b) => (a.resource.uri < b.resource.uri ? -1 : a.resource.uri > b.resource.uri ? 1 : a.resource.line - b.resource.line));
}

/** The workload kinds the workspace holds, in message order. */
export function managedWorkloadKinds(owners: readonly PodOwner[]): string[] {
  const kinds = new Set(owners.map((o) => o.kind));
  return DISPLAY_ORDER.filter((k) => kinds.has(k));
}

/** "Deployment, StatefulSet or Pod" (every workload kind when the workspace holds none). */
export function kindsText(kinds: readonly string[]): string {
  return orList(kinds.length > 0 ? kinds : DISPLAY_ORDER);
}

/** "a, b or c" (or "a, b and c"). */
export function orList(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) as string}`;
}

/** Services of the core API (a Knative `Service` is not one). */
export function services(workspace: WorkspaceView): WorkspaceResource[] {
  return workspace.resources('Service').filter((r) => !r.kustomization && isApi(r, 'v1'));
}

export function networkPolicies(workspace: WorkspaceView): WorkspaceResource[] {
  return workspace.resources('NetworkPolicy').filter((r) => !r.kustomization && isApi(r, 'networking.k8s.io/v1'));
}

export function stringLabels(value: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Labels of a resource's own metadata. */
export function labelsOf(resource: WorkspaceResource): Record<string, string> {
  const metadata = resource.value.metadata;
  return stringLabels(isJsonObject(metadata) ? metadata.labels : undefined);
}

/** The label keys a selector reads. */
function selectorKeys(selector: Selector): string[] {
  return [...new Set([...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e) => e.key)])];
}

export interface Candidate {
  resource: WorkspaceResource;
  labels: Record<string, string>;
}

/** Length of the longest common substring, relative to the longer string (web / web-v2: 0.5). */
function similarity(a: string, b: string): number {
  let longest = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      longest = Math.max(longest, k);
    }
  }
  return longest / Math.max(a.length, b.length, 1);
}

/** Best first: how many of the selector's labels a candidate shares, then how alike the differing values are. */
function keep<C>(items: readonly C[], score: (c: C) => number): C[] {
  let best = -Infinity;
  let out: C[] = [];
  for (const c of items) {
    const s = score(c);
    if (s > best) {
      best = s;
      out = [c];
    } else if (s === best) out.push(c);
  }
  return out;
}

/** The candidates closest to matching the selector (none when no candidate has any of its keys). */
export function closest<C extends Candidate>(selector: Selector, candidates: readonly C[]): C[] {
  const sharing = candidates.filter((c) => overlap(selector, c.labels) > 0);
  const best = keep(sharing, (c) => overlap(selector, c.labels));
  return keep(best, (c) => Object.entries(selector.matchLabels)
    .reduce((sum, [k, v]) => sum + (Object.hasOwn(c.labels, k) && c.labels[k] !== v ? similarity(v, c.labels[k] as string) : 0), 0));
}

/** What a candidate has for the selector's keys: "app=web-v2". */
export function labelsFor(selector: Selector, labels: Record<string, string>): string {
  return selectorKeys(selector).filter((k) => Object.hasOwn(labels, k)).map((k) => `${k}=${labels[k] as string}`).join(',');
}

/**
 * The hint after "No X in namespace "n" has labels ...": the closest candidates in the namespace, or a match in
 * another namespace (a forgotten `namespace:` is a common cause). Empty when there is nothing useful to say.
 */
export function hint(workspace: WorkspaceView, selector: Selector, near: readonly Candidate[], elsewhere: readonly (Candidate & { namespace: string })[]): string {
  const other = elsewhere.find((c) => matches(selector, c.labels));
  if (other) return ` (${other.resource.kind ?? ''} "${other.resource.name ?? ''}" in namespace "${other.namespace}" matches: ${workspace.where(other.resource)})`;
  const best = closest(selector, near);
  if (best.length === 0) return '';
  const shown = best.slice(0, 3).map((c) => `${labelsFor(selector, c.labels)} in ${workspace.where(c.resource)}`);
  return ` (closest: ${shown.join('; ')}${best.length > 3 ? `; and ${best.length - 3} more` : ''})`;
}

/**
 * Why a port name is not an IANA_SVC_NAME (RFC 6335 §5.1, as the API server validates container port names and
 * Service targetPort strings), or undefined when it is one.
 */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 15) return `it is ${name.length} characters long, over the limit of 15`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'it may contain only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'it must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'it may not begin or end with "-"';
  if (name.includes('--')) return 'it may not contain "--"';
  return undefined;
}

/** The JSON Schema of the `requireDefined` option of the cross-resource rules. */
export const REQUIRE_DEFINED_OPTION = {
  type: 'boolean',
  description: 'Check even when the workspace holds none of the referenced kind (by default such references are not checked, because the objects may be managed elsewhere).',
};
