/** Security contexts and the Pod Security Standards: `securityContext`, seccomp, fix paths and the target version. */
import { joinPointer, parsePointer, valueAt } from '../../util/pointer';
import { isJsonObject, type JsonObject } from '../../types';
import type { PodContainer } from './container';

/**
 * The `securityContext` mapping of a pod spec or a container, or undefined. Semantics follow pod-security-admission
 * `policy/check_*.go`: a pod-level field applies to every container that does not set the same field, and a
 * container setting wins.
 */
export function securityContextOf(value: JsonObject | undefined): JsonObject | undefined {
  const sc = value?.securityContext;
  return isJsonObject(sc) ? sc : undefined;
}

/**
 * `spec.os.name: windows`. The API server rejects Linux-only securityContext fields (seccomp, capabilities,
 * allowPrivilegeEscalation, readOnlyRootFilesystem, SELinux, AppArmor, runAsUser/Group) on such pods, and
 * pod-security-admission exempts them from the restricted seccomp, capabilities and privilege-escalation checks
 * since v1.25.
 */
export function isWindowsPod(podSpec: JsonObject | undefined): boolean {
  return valueAt(podSpec, '/os/name') === 'windows';
}

/** Seccomp and AppArmor profile types that confine (the third, Unconfined, does not). */
export const CONFINING_PROFILES = new Set(['RuntimeDefault', 'Localhost']);

/** The seccomp profile type a pod spec or container writes (undefined when it writes none). */
export function seccompTypeOf(value: JsonObject | undefined): string | undefined {
  const type = valueAt(securityContextOf(value), '/seccompProfile/type');
  return typeof type === 'string' ? type : undefined;
}

/** Pointer of a container's securityContext field, relative to the pod spec. */
export function containerField(container: PodContainer, ...path: Array<string | number>): string {
  return joinPointer(container.pointer, 'securityContext', ...path);
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
