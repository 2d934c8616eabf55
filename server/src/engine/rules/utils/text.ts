/** Wording shared by rule messages: lists in prose, counts, quoted names and `Kind "name"`. */

/** A list in prose: "a", "a and b", "a, b and c" (or "a, b or c"). */
export function prose(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] as string}`;
}

/** `1 pod`, `3 pods`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `"a", "b"` */
export function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** `container "a"` / `containers "a", "b"` (for messages about several containers at once). */
export function containersPhrase(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
}

/** `Deployment "web"`, `RoleBinding "x"`, for messages. */
export function describe(resource: { kind?: string; name?: string }): string {
  return `${resource.kind ?? 'resource'} "${resource.name ?? ''}"`;
}
