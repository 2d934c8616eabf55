/**
 * Where things live in a workload: the engine walks to each rule's target so that rules never recurse by hand
 * (CronJob -> jobTemplate -> template -> spec -> containers[*] included).
 */
import { groupOf, isKind } from '../k8s/kinds';
import { joinPointer, valueAt } from '../util/pointer';
import type { ContainerKind, RuleTarget } from '../rule';
import { isJsonObject, type JsonObject } from '../types';

/** Path of the pod template, per workload kind. */
const POD_TEMPLATE: Record<string, readonly string[] | undefined> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const WORKLOAD_KINDS: readonly string[] = ['Pod', ...Object.keys(POD_TEMPLATE)];

const CORE_GROUPS = new Set(['', 'apps', 'batch', 'extensions']);

/** Built-in workload kinds only: a custom resource named "Deployment" in another group is not one. */
export function isWorkload(apiVersion: string, kind: string): boolean {
  return WORKLOAD_KINDS.includes(kind) && CORE_GROUPS.has(groupOf(apiVersion));
}

export interface PodSpecLocation {
  /** Pointer of the pod spec inside the resource. */
  pointer: string;
  spec: JsonObject;
  /** Labels of the pod (template) metadata. */
  labels: Record<string, string>;
}

/** Parsed values are immutable and shared (cached per chunk), so their pod specs can be remembered. */
const podSpecs = new WeakMap<JsonObject, PodSpecLocation | null>();

export function podSpecOf(kind: string, resource: JsonObject): PodSpecLocation | undefined {
  const known = podSpecs.get(resource);
  if (known !== undefined) return known ?? undefined;
  const template = kind === 'Pod' ? [] : POD_TEMPLATE[kind];
  let found: PodSpecLocation | null = null;
  if (template !== undefined) {
    const spec = valueAt(resource, [...template, 'spec']);
    if (isJsonObject(spec)) {
      const labels = valueAt(resource, [...template, 'metadata', 'labels']);
      const stringLabels: Record<string, string> = {};
      if (isJsonObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') stringLabels[k] = v;
      found = { pointer: template.map((s) => `/${s}`).join('') + '/spec', spec, labels: stringLabels };
    }
  }
  podSpecs.set(resource, found);
  return found ?? undefined;
}

export const CONTAINER_KINDS: readonly ContainerKind[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface ContainerLocation {
  kind: ContainerKind;
  index: number;
  pointer: string;
  container: JsonObject;
}

export function containersOf(pod: PodSpecLocation, kinds: readonly ContainerKind[] = CONTAINER_KINDS): ContainerLocation[] {
  const out: ContainerLocation[] = [];
  for (const kind of kinds) {
    const list = pod.spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (isJsonObject(container)) out.push({ kind, index, pointer: joinPointer(pod.pointer, kind, index), container });
    });
  }
  return out;
}

/** Does a rule's target kinds include this resource? */
export function targets(target: RuleTarget, apiVersion: string, kind: string): boolean {
  if (target.kinds === '*') return true;
  if (target.kinds === 'workloads') return isWorkload(apiVersion, kind);
  if (target.scope !== 'object' && !isWorkload(apiVersion, kind)) return false;
  return target.kinds.some((name) => isKind(name, apiVersion, kind));
}
