/** Look-ups of other resources in the workspace: HPAs and PDBs of a workload, pod owners, Services, name hints. */
import { valueAt } from '../../util/pointer';
import { groupOf } from '../../k8s/kinds';
import { matches, parseSelector, type Selector } from '../../k8s/selectors';
import { closest } from '../../util/suggest';
import { isJsonObject, type JsonObject, type JsonValue } from '../../types';
import { isWorkload, WORKLOAD_KINDS } from '../../lint/walk';
import type { WorkspaceResource, WorkspaceView } from '../../workspace';
import { isInteger } from './json';
import { describe, plural, prose } from './text';
import { podLabelsOf, REPLICATED_KINDS, SCALABLE_GROUPS } from './workload';

/** The API group of a resource's apiVersion (groupOf), undefined when it has none: it then matches no group, not even the core one. */
export function apiGroupOf(apiVersion: string | undefined): string | undefined {
  return apiVersion === undefined ? undefined : groupOf(apiVersion);
}

export function isApi(resource: { apiVersion?: string }, ...apiVersions: string[]): boolean {
  return resource.apiVersion !== undefined && apiVersions.includes(resource.apiVersion);
}

export function isHpa(resource: { apiVersion?: string; kind?: string }): boolean {
  return resource.kind === 'HorizontalPodAutoscaler' && apiGroupOf(resource.apiVersion) === 'autoscaling';
}

export function isPdb(resource: { apiVersion?: string; kind?: string }): boolean {
  return resource.kind === 'PodDisruptionBudget' && apiGroupOf(resource.apiVersion) === 'policy';
}

// ---------------------------------------------------------------------------------------------------------------
// HorizontalPodAutoscalers and PodDisruptionBudgets, and the workloads they refer to
// ---------------------------------------------------------------------------------------------------------------

export interface TargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

/** An HPA's `spec.scaleTargetRef` (autoscaling/v1 and v2 spell it the same), when it names a kind and a name. */
export function scaleTargetOf(hpa: JsonObject): TargetRef | undefined {
  const ref = valueAt(hpa, '/spec/scaleTargetRef');
  if (!isJsonObject(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string' || ref.kind === '' || ref.name === '') return undefined;
  return { kind: ref.kind, name: ref.name, ...(typeof ref.apiVersion === 'string' ? { apiVersion: ref.apiVersion } : {}) };
}

/** `spec.minReplicas` with the API default (1); undefined when it is not an integer. */
export function hpaMinReplicas(hpa: JsonObject): number | undefined {
  const min = valueAt(hpa, '/spec/minReplicas');
  if (min === undefined) return 1;
  return isInteger(min) ? min : undefined;
}

export function hpaMaxReplicas(hpa: JsonObject): number | undefined {
  const max = valueAt(hpa, '/spec/maxReplicas');
  return isInteger(max) ? max : undefined;
}

/**
 * HPAs of the namespace whose scaleTargetRef names this workload (kind and name). The apiVersion is not compared:
 * the HPA means this workload either way, and hpa-target-exists reports a wrong or missing apiVersion.
 */
export function hpasTargeting(workspace: WorkspaceView, workload: { kind: string; name?: string; namespace: string }): WorkspaceResource[] {
  if (workload.name === undefined) return [];
  return workspace.resources('HorizontalPodAutoscaler').filter((hpa) => {
    if (!isHpa(hpa) || workspace.namespaceOf(hpa) !== workload.namespace) return false;
    const ref = scaleTargetOf(hpa.value);
    return ref !== undefined && ref.kind === workload.kind && ref.name === workload.name;
  });
}

/** A PDB's selector. In policy/v1 a missing selector selects no pod and an empty one selects every pod of the namespace. */
export function pdbSelectorOf(pdb: JsonObject): Selector | undefined {
  return parseSelector(valueAt(pdb, '/spec/selector') as JsonValue | undefined);
}

/** Scalable workloads of the namespace whose pods a PDB selector selects. */
export function workloadsSelectedBy(workspace: WorkspaceView, selector: Selector, namespace: string): WorkspaceResource[] {
  return workspace.resources(REPLICATED_KINDS).filter((w) => {
    if (workspace.namespaceOf(w) !== namespace || apiGroupOf(w.apiVersion) !== SCALABLE_GROUPS[w.kind as string]) return false;
    const labels = podLabelsOf(w);
    return labels !== undefined && matches(selector, labels);
  });
}

/** PDBs of the namespace that select pods with these labels. */
export function pdbsSelecting(workspace: WorkspaceView, namespace: string, labels: Record<string, string>): WorkspaceResource[] {
  return workspace.resources('PodDisruptionBudget').filter((pdb) => {
    if (!isPdb(pdb) || workspace.namespaceOf(pdb) !== namespace) return false;
    const selector = pdbSelectorOf(pdb.value);
    return selector !== undefined && matches(selector, labels);
  });
}

/** A PDB's budget, as the disruption controller reads it (percentages of the selected pods round up). */
export type IntOrPercent = { percent: false; value: number } | { percent: true; value: number };

/** An IntOrString budget (`1`, `"50%"`); undefined when it is neither. */
export function intOrPercent(value: unknown): IntOrPercent | undefined {
  if (isInteger(value)) return { percent: false, value };
  if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (match) return { percent: true, value: Number(match[1]) };
  }
  return undefined;
}

/** The number of pods a budget means for `total` pods: percentages round up, as the disruption controller does. */
export function scaledBudget(budget: IntOrPercent, total: number): number {
  return budget.percent ? Math.ceil((budget.value * total) / 100) : budget.value;
}

/** How a budget reads in messages: `2 pods`, or `50% of 3 pods (rounded up: 2)`. */
export function describeBudget(budget: IntOrPercent, total: number): string {
  return budget.percent ? `${budget.value}% of ${plural(total, 'pod')} (rounded up: ${scaledBudget(budget, total)})` : plural(budget.value, 'pod');
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads, Services and NetworkPolicies of the built-in API groups
// ---------------------------------------------------------------------------------------------------------------

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

/** Every workload of the workspace with its pod (template) labels (computed once per workspace state). */
export function podOwners(workspace: WorkspaceView): readonly PodOwner[] {
  return workspace.memo('network/podOwners', () => collectPodOwners(workspace));
}

function collectPodOwners(workspace: WorkspaceView): PodOwner[] {
  const out: PodOwner[] = [];
  for (const r of workspace.resources(WORKLOAD_KINDS)) {
    if (r.kustomization || !r.apiVersion || !r.kind || !isWorkload(r.apiVersion, r.kind)) continue;
    const labels = podLabelsOf({ kind: r.kind, value: r.value });
    if (!labels) continue;
    out.push({ resource: r, kind: r.kind, name: r.name ?? '', namespace: workspace.namespaceOf(r), labels });
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
  return prose(kinds.length > 0 ? kinds : DISPLAY_ORDER, 'or');
}

/** Services of the core API (a Knative `Service` is not one). */
export function services(workspace: WorkspaceView): WorkspaceResource[] {
  return workspace.resources('Service').filter((r) => !r.kustomization && isApi(r, 'v1'));
}

export function networkPolicies(workspace: WorkspaceView): WorkspaceResource[] {
  return workspace.resources('NetworkPolicy').filter((r) => !r.kustomization && isApi(r, 'networking.k8s.io/v1'));
}

// ---------------------------------------------------------------------------------------------------------------
// Names that do not resolve
// ---------------------------------------------------------------------------------------------------------------

/**
 * " (closest: ...)" for a name that did not resolve, or "": the same name in another namespace, the same name as
 * another of `alsoKinds` in the namespace, or the most similar name of the kind in the namespace.
 */
export function nameHint(workspace: WorkspaceView, kind: string, namespace: string, name: string, alsoKinds: readonly string[] = []): string {
  const sameName = workspace.resources(kind).find((r) => r.name === name);
  if (sameName) return ` (closest: ${describe(sameName)} in namespace "${workspace.namespaceOf(sameName)}", ${workspace.where(sameName)})`;
  const otherKind = workspace.resources(alsoKinds.filter((k) => k !== kind)).find((r) => r.name === name && workspace.namespaceOf(r) === namespace);
  if (otherKind) return ` (closest: ${describe(otherKind)} in ${workspace.where(otherKind)})`;
  const candidates = workspace.resources(kind).filter((r) => workspace.namespaceOf(r) === namespace && r.name !== undefined);
  const best = closest(name, candidates.map((r) => r.name as string));
  // A renamed object often keeps the old name as a prefix ("web" -> "web-v2").
  const found = best === undefined
    ? candidates.filter((r) => (r.name as string).startsWith(name) || name.startsWith(r.name as string)).sort((a, b) => (a.name as string).length - (b.name as string).length)[0]
    : candidates.find((r) => r.name === best);
  return found ? ` (closest: "${found.name as string}" in ${workspace.where(found)})` : '';
}

/** " (closest: "x")" for a key that is not there, or "". */
export function keyHint(key: string, keys: readonly string[]): string {
  const best = closest(key, keys);
  return best === undefined ? '' : ` (closest: "${best}")`;
}
