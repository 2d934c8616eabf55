/**
 * Shared reading helpers of the reliability rules (probes, replicas, selectors, ports). Not a rule: files
 * starting with `_` are not indexed.
 */
import { parseSelector } from '../k8s/selectors';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';

export const JOB_KINDS: readonly string[] = ['Job', 'CronJob'];

/** Workload kinds whose pods run until replaced (every workload kind but Job and CronJob). */
export const LONG_RUNNING_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

/** Workload kinds with `spec.replicas` (unset means 1). */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

export function object(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function list(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/** `spec.replicas` of a replicated workload: 1 when unset, undefined when it is not a number (a template). */
export function replicasOf(resource: JsonObject): number | undefined {
  const replicas = object(resource.spec)?.replicas;
  if (replicas === undefined || replicas === null) return 1;
  return typeof replicas === 'number' ? replicas : undefined;
}

export interface DeclaredPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

/** The container's `ports`, with the protocol defaulted to TCP. */
export function declaredPorts(container: JsonObject): DeclaredPort[] {
  const out: DeclaredPort[] = [];
  for (const item of list(container.ports)) {
    if (!isJsonObject(item) || typeof item.containerPort !== 'number') continue;
    const port: DeclaredPort = { containerPort: item.containerPort, protocol: typeof item.protocol === 'string' ? item.protocol : 'TCP' };
    if (typeof item.name === 'string' && item.name !== '') port.name = item.name;
    out.push(port);
  }
  return out;
}

/**
 * The workload's own pod selector as labels for a generated term: the selector's matchLabels when the pod
 * labels carry them all, else the pod labels themselves; undefined when there is nothing to select on.
 */
export function ownLabels(resource: JsonObject, podLabels: Record<string, string>): Record<string, string> | undefined {
  const selector = parseSelector(object(resource.spec)?.selector);
  const fromSelector = selector?.matchLabels ?? {};
  const keys = Object.keys(fromSelector);
  if (keys.length > 0 && keys.every((k) => podLabels[k] === fromSelector[k])) return { ...fromSelector };
  return Object.keys(podLabels).length > 0 ? { ...podLabels } : undefined;
}

/** "app=web, tier=api" for messages. */
export function describeLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(',') : 'none';
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
