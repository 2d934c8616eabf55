/**
 * Helpers shared by the Pod Security Standards baseline / host-access rules (not a rule: files starting with `_`
 * are not in the rule index). Semantics follow pod-security-admission `policy/check_*.go`.
 */
import { joinPointer, parsePointer, valueAt } from '../util/pointer';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import { containersOf } from '../lint/walk';
import type { ContainerKind } from '../rule';

/** A container of a pod spec, with its pointer relative to the pod spec (`/initContainers/0`). */
export interface PodContainer {
  kind: ContainerKind;
  pointer: string;
  container: JsonObject;
  name: string;
}

/** Every container of a pod spec (containers, initContainers, ephemeralContainers), through the engine's walker. */
export function podContainers(podSpec: JsonObject): PodContainer[] {
  return containersOf({ pointer: '', spec: podSpec, labels: {} }).map((c) => ({
    kind: c.kind, pointer: c.pointer, container: c.container, name: nameOf(c.container),
  }));
}

export function nameOf(value: JsonObject): string {
  return typeof value.name === 'string' ? value.name : '';
}

/** The mapping at `pointer` below `root`, or undefined when it is absent or not a mapping. */
export function objectAt(root: unknown, pointer: string): JsonObject | undefined {
  const value = valueAt(root, pointer);
  return isJsonObject(value) ? value : undefined;
}

/** The list at `pointer` below `root` ([] when absent or not a list). */
export function listAt(root: unknown, pointer: string): JsonValue[] {
  const value = valueAt(root, pointer);
  return Array.isArray(value) ? value : [];
}

/**
 * The path to remove so that the entry at `pointer` (relative to `root`) disappears without leaving an empty
 * `add: []` or `securityContext: {}` behind: while the entry is the only one of its parent collection, the parent
 * goes instead. It climbs no higher than `floor` segments (1 = at most the target's own `securityContext`).
 */
export function removalPath(root: JsonObject, pointer: string, floor = 1): string {
  let segments = parsePointer(pointer);
  while (segments.length > floor) {
    const parent = valueAt(root, segments.slice(0, -1));
    const size = Array.isArray(parent) ? parent.length : isJsonObject(parent) ? Object.keys(parent).length : 0;
    if (size !== 1) break;
    segments = segments.slice(0, -1);
  }
  return joinPointer('', ...segments);
}

/** The minor version of a "1.34" / "v1.34.2" target version (a large number when it does not parse: newest rules). */
export function minorOf(version: string): number {
  const match = /^v?1\.(\d+)/.exec(version);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

/** Where a pod template's metadata is, relative to the resource ('' for a Pod, '/spec/template' for a Deployment). */
export function podMetadataPointer(podSpecPointer: string, resourcePointer: string): string {
  const spec = podSpecPointer.slice(resourcePointer.length);
  return `${spec.endsWith('/spec') ? spec.slice(0, -'/spec'.length) : spec}/metadata`;
}
