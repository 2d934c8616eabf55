/** Selectors, labels and ports: labels as written, how close labels come to a selector (and the hint), port names. */
import { matches, overlap, type Selector } from '../../k8s/selectors';
import { isJsonObject, type JsonValue } from '../../types';
import type { WorkspaceResource, WorkspaceView } from '../../workspace';

/** The string-valued entries of a labels mapping ({} when it is not a mapping). */
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

/** "app=web,tier=api" for messages ("none" when there are no labels). */
export function describeLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(',') : 'none';
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
