/** Workloads: kind lists, the pod template (labels, metadata, annotations), replicas, own selector, ports, probes. */
import { parseSelector } from '../../k8s/selectors';
import { isJsonObject, type JsonObject } from '../../types';
import { podSpecOf } from '../../lint/walk';
import { valueAt } from '../../util/pointer';
import type { RuleContext } from '../../rule';
import { asList, asObject, isInteger, objectAt } from './json';

export const JOB_KINDS: readonly string[] = ['Job', 'CronJob'];

/** Workload kinds whose pods run until replaced (every workload kind but Job and CronJob). */
export const LONG_RUNNING_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

/**
 * Workload kinds with `spec.replicas` (unset means 1), which are also the built-in kinds with a `scale` subresource:
 * what an HPA can scale and what a PDB's percentages count.
 */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** The API group of each replicated kind ('' is the core group). */
export const SCALABLE_GROUPS: Readonly<Record<string, string>> = { Deployment: 'apps', StatefulSet: 'apps', ReplicaSet: 'apps', ReplicationController: '' };

/** Built-in pod-owning kinds without a `scale` subresource: an HPA that targets one of them cannot work. */
export const UNSCALABLE_KINDS: readonly string[] = ['DaemonSet', 'Job', 'CronJob', 'Pod'];

/**
 * `spec.replicas` of a replicated workload: 1 when unset (the API default), undefined when it is not an integer
 * (a template placeholder, a string, or a number such as 2.5 that the API server rejects and schema/type reports):
 * not known, so the rules that count replicas stay quiet rather than count a value the cluster never runs.
 */
export function replicasOf(resource: JsonObject): number | undefined {
  const replicas = valueAt(resource, '/spec/replicas');
  if (replicas === undefined || replicas === null) return 1;
  return isInteger(replicas) ? replicas : undefined;
}

/**
 * Labels of a workload's pods (the pod template's, or a Pod's own). A controller whose template has no `spec` yet
 * (a schema error, reported as such) still says which pods it will run: its template labels, else its selector's.
 */
export function podLabelsOf(resource: { kind?: string; value: JsonObject }): Record<string, string> | undefined {
  if (resource.kind === undefined) return undefined;
  return podSpecOf(resource.kind, resource.value)?.labels ?? templateLabelsOf(resource.kind, resource.value);
}

function templateLabelsOf(kind: string, value: JsonObject): Record<string, string> | undefined {
  if (kind === 'Pod' || kind === 'CronJob') return undefined;
  // Without template labels, the selector's matchLabels are the labels its pods must have (the API server
  // requires the template to satisfy the selector).
  const selector = valueAt(value, '/spec/selector');
  const labels = valueAt(value, '/spec/template/metadata/labels') ?? (isJsonObject(selector) && kind === 'ReplicationController' ? selector : valueAt(value, '/spec/selector/matchLabels'));
  if (!isJsonObject(labels)) return undefined;
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Where a pod template's metadata is, relative to the resource ('' for a Pod, '/spec/template' for a Deployment). */
export function podMetadataPointer(podSpecPointer: string, resourcePointer: string): string {
  const spec = podSpecPointer.slice(resourcePointer.length);
  return `${spec.endsWith('/spec') ? spec.slice(0, -'/spec'.length) : spec}/metadata`;
}

/** The annotations of the pod (template) a rule target belongs to. */
export function podAnnotations(ctx: RuleContext<object>): JsonObject {
  if (ctx.podSpecPointer === undefined) return {};
  return objectAt(ctx.resource.value, `${podMetadataPointer(ctx.podSpecPointer, ctx.resource.pointer)}/annotations`) ?? {};
}

/**
 * The workload's own pod selector as labels for a generated term: the selector's matchLabels when the pod
 * labels carry them all, else the pod labels themselves; undefined when there is nothing to select on.
 */
export function ownLabels(resource: JsonObject, podLabels: Record<string, string>): Record<string, string> | undefined {
  const selector = parseSelector(asObject(resource.spec)?.selector);
  const fromSelector = selector?.matchLabels ?? {};
  const keys = Object.keys(fromSelector);
  if (keys.length > 0 && keys.every((k) => podLabels[k] === fromSelector[k])) return { ...fromSelector };
  return Object.keys(podLabels).length > 0 ? { ...podLabels } : undefined;
}

export interface DeclaredPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

/** The container's `ports`, with the protocol defaulted to TCP. */
export function declaredPorts(container: JsonObject): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  for (const item of asList(container.ports)) {
    if (!isJsonObject(item) || typeof item.containerPort !== 'number') continue;
    const port: DeclaredPort = { containerPort: item.containerPort, protocol: typeof item.protocol === 'string' ? item.protocol : 'TCP' };
    if (typeof item.name === 'string' && item.name !== '') port.name = item.name;
    out.push(port);
  }
  return out;
}

export interface ProbeScaffold {
  /** The probe to add. */
  value: JsonObject;
  /** The port it targets, as written in it (a name or a number). */
  port: string | number;
  handler: 'httpGet' | 'tcpSocket';
}

const HTTP_NUMBERS = new Set([80, 8080]);
const HTTPS_NUMBERS = new Set([443, 8443]);

/**
 * A starting point for a missing probe (the quick fix is a scaffold with a TODO, as Polaris' mutations are): an
 * `httpGet` on the container's first TCP port when its name or number says HTTP, else a `tcpSocket` on it.
 * Readiness and liveness get different paths and timing, so that adding both does not make them identical.
 * Undefined when the container declares no TCP port: there is nothing to point a probe at.
 */
export function probeScaffold(container: JsonObject, probe: 'readinessProbe' | 'livenessProbe'): ProbeScaffold | undefined {
  const first = declaredPorts(container).find((p) => p.protocol === 'TCP');
  if (!first) return undefined;
  const port: string | number = first.name ?? first.containerPort;
  const name = first.name?.toLowerCase() ?? '';
  const https = name.includes('https') || HTTPS_NUMBERS.has(first.containerPort);
  const http = https || name.includes('http') || HTTP_NUMBERS.has(first.containerPort);
  const timing: JsonObject = probe === 'readinessProbe' ? { periodSeconds: 5 } : { periodSeconds: 10, failureThreshold: 6 };
  if (!http) return { value: { tcpSocket: { port }, ...timing }, port, handler: 'tcpSocket' };
  const httpGet: JsonObject = { path: probe === 'readinessProbe' ? '/readyz' : '/livez', port };
  if (https) httpGet.scheme = 'HTTPS';
  return { value: { httpGet, ...timing }, port, handler: 'httpGet' };
}
