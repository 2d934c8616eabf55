import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject, type JsonValue } from '../types';
import { writtenKeys } from '../yaml/location';
import { defineRule } from '../rule';

interface Options {
  recursive: boolean;
}

interface Unsorted {
  pointer: string;
  key: string;
  previous: string;
}

/** The first key of each mapping that sorts before the key written above it (byte order, like kube-linter). */
function unsorted(value: JsonValue, path: Array<string | number>, recursive: boolean, out: Unsorted[]): void {
  if (Array.isArray(value)) {
    if (!recursive) return;
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (typeof item !== 'object' || item === null) continue;
      path.push(index);
      unsorted(item, path, recursive, out);
      path.pop();
    }
    return;
  }
  if (!isJsonObject(value)) return;
  const keys = writtenKeys(value);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    const previous = keys[i - 1] as string;
    if (key < previous) {
      out.push({ pointer: joinPointer('', ...path, key), key, previous });
      break;
    }
  }
  if (!recursive) return;
  for (const key in value) {
    const child = value[key];
    if (typeof child !== 'object' || child === null) continue;
    path.push(key);
    unsorted(child, path, recursive, out);
    path.pop();
  }
}

/** kube-linter sorted-keys: every mapping's keys in alphabetical order. */
export default defineRule<Options>({
  meta: {
    id: 'sorted-keys',
    category: 'metadata',
    defaultSeverity: 'info',
    target: { kinds: '*', scope: 'object' },
    docs: {
      summary: 'The keys of every mapping are in alphabetical (byte) order.',
      rationale: 'Sorted keys make manifests predictable to read and diff, and make two teams\' copies of a resource comparable line by line; some teams enforce it because their generators emit sorted output. It is a house style, not a correctness or security matter, and it contradicts the conventional order (`name` before `image` in a container), so it is opt-in, as in kube-linter: no preset but `all` enables it. Each unsorted mapping is reported once, at the first key that sorts before the key above it, with the expected order. There is no automatic fix: reordering a mapping while keeping every comment with the entry it belongs to is not something kgov does safely. `recursive: false` checks only the top-level keys of each resource.',
      url: docsUrl('sorted-keys'),
    },
    messages: {
      pass: 'The keys of {{kind}} "{{name}}" are sorted.',
      unsorted: 'Key "{{key}}" should come before "{{previous}}" (keys here sort as: {{order}}).',
    },
    aliases: { kubeLinter: 'sorted-keys' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { recursive: { type: 'boolean', description: 'Check nested mappings too (false: only the resource\'s top-level keys).' } },
    },
    defaultOptions: { recursive: true },
    checklist: false,
  },
  check(ctx) {
    const found: Unsorted[] = [];
    unsorted(ctx.value, [], ctx.options.recursive !== false, found);
    for (const u of found) {
      const parent = ctx.get(u.pointer.slice(0, u.pointer.lastIndexOf('/')));
      const keys = isJsonObject(parent) ? writtenKeys(parent) : [];
      const order = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const shown = order.length > 8 ? `${order.slice(0, 8).join(', ')}, ...` : order.join(', ');
      ctx.report({ messageId: 'unsorted', data: { key: u.key, previous: u.previous, order: shown }, at: u.pointer, anchor: 'key' });
    }
  },
});
