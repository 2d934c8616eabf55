/** CPU, memory and ephemeral-storage requests and limits: reading, comparing and scaffolding them with a TODO. */
import { parseQuantity } from '../../k8s/quantity';
import { isJsonObject, type JsonValue, type PatchOp } from '../../types';
import type { ContainerKind, FixSpec, RuleContext } from '../../rule';
import { containerName, missingAt } from './container';

export type ResourceName = 'cpu' | 'memory' | 'ephemeral-storage';
export type ResourceField = 'requests' | 'limits';

/** Containers and init containers: ephemeral containers may not set resources. */
export const RESOURCE_CONTAINERS: readonly ContainerKind[] = ['containers', 'initContainers'];

/** How a resource reads in messages. */
export const RESOURCE_LABEL: Record<ResourceName, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral storage' };

// Structural view of a rule context: the rules' own option types do not matter here.
type Ctx = Pick<RuleContext<object>, 'get' | 'report' | 'value'>;

export function pathOf(field: ResourceField, resource: ResourceName): string {
  return `/resources/${field}/${resource}`;
}

/** The value as written (undefined when absent or empty). */
export function written(ctx: Pick<Ctx, 'get'>, field: ResourceField, resource: ResourceName): JsonValue | undefined {
  const value = ctx.get(pathOf(field, resource));
  return value === null ? undefined : value;
}

/** A value that is present and not zero (an unparsable quantity counts as set: the schema reports it). */
export function isSet(value: JsonValue | undefined): boolean {
  return value !== undefined && parseQuantity(value) !== 0;
}

export function isZero(value: JsonValue | undefined): boolean {
  return value !== undefined && parseQuantity(value) === 0;
}

/**
 * The effective request: the API server copies a limit into a missing request. Returns the written value and
 * where it came from.
 */
export function effectiveRequest(ctx: Pick<Ctx, 'get'>, resource: ResourceName): { value: JsonValue; from: ResourceField } | undefined {
  const request = written(ctx, 'requests', resource);
  if (request !== undefined) return { value: request, from: 'requests' };
  const limit = written(ctx, 'limits', resource);
  return limit !== undefined ? { value: limit, from: 'limits' } : undefined;
}

/** The larger of two quantities (as written), for placeholders that must not undercut an existing value. */
function atLeast(placeholder: string, floor: JsonValue | undefined): JsonValue {
  const a = parseQuantity(placeholder);
  const b = floor === undefined ? undefined : parseQuantity(floor);
  return a !== undefined && b !== undefined && b > a ? (floor as JsonValue) : placeholder;
}

/** The smaller of two quantities (as written), for placeholders that must not exceed an existing value. */
function atMost(placeholder: string, ceiling: JsonValue | undefined): JsonValue {
  const a = parseQuantity(placeholder);
  const b = ceiling === undefined ? undefined : parseQuantity(ceiling);
  return a !== undefined && b !== undefined && b > 0 && b < a ? (ceiling as JsonValue) : placeholder;
}

/**
 * Ops that add `value` at `path` (below `/resources`) with a comment. An empty flow mapping on the way
 * (`resources: {}`) is replaced by block style, because a comment cannot be written inside `{...}`.
 */
export function addWithComment(ctx: Pick<Ctx, 'get'>, path: string, value: JsonValue, comment: string): PatchOp[] {
  const segments = path.split('/').slice(1);
  // `{}`, or a mapping whose only entry leads on the path to `{}` (`resources:` / `requests: {}`).
  const emptyChain = (node: unknown, rest: string[]): boolean => {
    if (!isJsonObject(node)) return false;
    const keys = Object.keys(node);
    return keys.length === 0 || (keys.length === 1 && keys[0] === rest[0] && emptyChain(node[rest[0] as string], rest.slice(1)));
  };
  for (let depth = 1; depth < segments.length; depth++) {
    const prefix = `/${segments.slice(0, depth).join('/')}`;
    const existing = ctx.get(prefix);
    if (existing === undefined) break;
    if (emptyChain(existing, segments.slice(depth))) return [{ op: 'remove', path: prefix }, { op: 'add', path, value, comment }];
  }
  return [{ op: 'add', path, value, comment }];
}

function scaffold(ctx: Pick<Ctx, 'get'>, title: string, op: 'add' | 'replace', path: string, value: JsonValue, comment: string): FixSpec {
  return { title, patch: op === 'add' ? addWithComment(ctx, path, value, comment) : [{ op, path, value, comment }] };
}

/**
 * `<resource>-requests-set`: the container requests the resource (a set limit counts: the API server copies it
 * into the request). Reports `missing` or `zero` with a placeholder fix.
 */
export function checkRequest(ctx: Ctx, resource: ResourceName, placeholder: string, comment: string, explicit = false): void {
  const name = containerName(ctx);
  const path = pathOf('requests', resource);
  const request = written(ctx, 'requests', resource);
  const limit = written(ctx, 'limits', resource);
  // Unless `explicit`, a limit alone counts: the API server copies it into the unset request.
  if (isSet(request) || (!explicit && request === undefined && isSet(limit))) return;
  // A placeholder above an existing limit would make the container invalid (requests may not exceed limits).
  const value = atMost(placeholder, limit);
  const title = `Request ${String(value)} ${RESOURCE_LABEL[resource]} (placeholder to adjust)`;
  if (request !== undefined) {
    ctx.report({ messageId: 'zero', data: { name }, at: path, anchor: 'value', fix: scaffold(ctx, title, 'replace', path, value, comment) });
    return;
  }
  const at = missingAt(ctx.get('/resources'), path);
  ctx.report({ messageId: 'missing', data: { name }, ...(at ? { at } : {}), fix: scaffold(ctx, title, 'add', path, value, comment) });
}

/** `<resource>-limits-set`: the container limits the resource. Reports `missing` or `zero` with a placeholder fix. */
export function checkLimit(ctx: Ctx, resource: ResourceName, placeholder: string, comment: string): void {
  const name = containerName(ctx);
  const path = pathOf('limits', resource);
  const limit = written(ctx, 'limits', resource);
  if (isSet(limit)) return;
  // A placeholder below the request would make the container invalid (limits may not undercut requests).
  const value = atLeast(placeholder, written(ctx, 'requests', resource));
  const title = `Limit ${RESOURCE_LABEL[resource]} to ${String(value)} (placeholder to adjust)`;
  if (limit !== undefined) {
    ctx.report({ messageId: 'zero', data: { name }, at: path, anchor: 'value', fix: scaffold(ctx, title, 'replace', path, value, comment) });
    return;
  }
  const at = missingAt(ctx.get('/resources'), path);
  ctx.report({ messageId: 'missing', data: { name }, ...(at ? { at } : {}), fix: scaffold(ctx, title, 'add', path, value, comment) });
}

/** Two quantities denote the same amount ("500m" and "0.5"), within floating-point noise. */
export function sameQuantity(a: JsonValue, b: JsonValue): boolean | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}
