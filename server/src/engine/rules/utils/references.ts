/**
 * Shared by the replica, disruption-budget, autoscaling and reference rules: which HorizontalPodAutoscaler scales a
 * workload, which workloads a PodDisruptionBudget selects, int-or-percent arithmetic as the disruption controller
 * does it, and the "closest" hints of cross-resource messages. Not a rule (the `_` prefix keeps it out of the index).
 */
import { valueAt } from '../util/pointer';
import { matches, parseSelector, type Selector } from '../k8s/selectors';
import { closest } from '../util/suggest';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import { podSpecOf } from '../lint/walk';
import type { WorkspaceResource, WorkspaceView } from '../workspace';

/** Built-in kinds with a `scale` subresource: what an HPA can scale and what a PDB's percentages count. */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** The API group of each scalable kind ('' is the core group). */
export const SCALABLE_GROUPS: Readonly<Record<string, string>> = { Deployment: 'apps', StatefulSet: 'apps', ReplicaSet: 'apps', ReplicationController: '' };

/** Built-in pod-owning kinds without a `scale` subresource: an HPA that targets one of them cannot work. */
export const UNSCALABLE_KINDS: readonly string[] = ['DaemonSet', 'Job', 'CronJob', 'Pod'];

/** "apps/v1" -> "apps", "v1" -> "" (the core group); undefined stays undefined. */
export function groupOf(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `Deployment "web"`, for messages. */
export function describe(resource: { kind?: string; name?: string }): string {
  return `${resource.kind ?? 'resource'} "${resource.name ?? ''}"`;
}

/** A list in prose: "a", "a and b", "a, b and c". */
export function prose(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** `spec.replicas` with the API default (1); undefined when it is not an integer (a schema error elsewhere). */
export function replicasOf(resource: JsonObject): number | undefined {
  const replicas = valueAt(resource, '/spec/replicas');
  if (replicas === undefined) return 1;
  return isInteger(replicas) ? replicas : undefined;
}

export function isHpa(resource: { apiVersion?: string; kind?: string }): boolean {
  return resource.kind === 'HorizontalPodAutoscaler' && groupOf(resource.apiVersion) === 'autoscaling';
}

export function isPdb(resource: { apiVersion?: string; kind?: string }): boolean {
  return resource.kind === 'PodDisruptionBudget' && groupOf(resource.apiVersion) === 'policy';
}

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

/** Labels of a workload's pods (the pod template's, or a Pod's own). */
export function podLabelsOf(resource: { kind?: string; value: JsonObject }): Record<string, string> | undefined {
  return resource.kind === undefined ? undefined : podSpecOf(resource.kind, resource.value)?.labels;
}

/** A PDB's selector. In policy/v1 a missing selector selects no pod and an empty one selects every pod of the namespace. */
export function pdbSelectorOf(pdb: JsonObject): Selector | undefined {
  return parseSelector(valueAt(pdb, '/spec/selector') as JsonValue | undefined);
}

/** Scalable workloads of the namespace whose pods a PDB selector selects. */
export function workloadsSelectedBy(workspace: WorkspaceView, selector: Selector, namespace: string): WorkspaceResource[] {
  return workspace.resources(SCALABLE_KINDS).filter((w) => {
    if (workspace.namespaceOf(w) !== namespace || groupOf(w.apiVersion) !== SCALABLE_GROUPS[w.kind as string]) return false;
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
