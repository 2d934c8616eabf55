/** The containers of a pod spec: iterating over them, their names, and where to report a field one of them lacks. */
import type { JsonObject, JsonValue } from '../../types';
import { containersOf } from '../../lint/walk';
import type { ContainerKind, RuleContext } from '../../rule';

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

/** A container's name ('' when it is not a string). */
export function nameOf(value: JsonObject): string {
  return typeof value.name === 'string' ? value.name : '';
}

/** The name of the container a container-scope rule checks, as written (a non-string name is shown as it reads). */
export function containerName(ctx: Pick<RuleContext<object>, 'value'>): string {
  return String(ctx.value.name ?? '');
}

/**
 * Where to report a field missing from a container: on `path` (the engine anchors it on the deepest part that is
 * written: `securityContext:`, `capabilities:`, `resources:` ...) when the container has the section the path
 * starts in (`section`, as the caller reads it), otherwise on the container's name (undefined = the engine's
 * default for container targets), as the other container rules do.
 */
export function missingAt(section: JsonValue | undefined, path: string): string | undefined {
  return section === undefined ? undefined : path;
}
