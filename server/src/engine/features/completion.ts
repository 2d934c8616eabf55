/**
 * Completion: the keys not yet present at the cursor, enum values, apiVersion/kind pairs and a new-resource
 * snippet. The text being typed is often not valid YAML yet, so the path at the cursor is read from indentation.
 */
import type { Engine } from '../engine';
import { fieldsAt, valuesAt } from '../schema/navigate';
import type { Workspace } from '../workspace';
import { sourceFor } from './cursor';

export interface CompletionItem {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'kind';
  /** Text to insert (may contain snippet placeholders when `snippet` is true). */
  insertText: string;
  snippet?: boolean;
  detail?: string;
  documentation?: string;
  /** Sort before other items. */
  preferred?: boolean;
}


function pathAtCursor(text: string, offset: number): { path: string[]; valuePosition?: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  const cursor = /^(\s*)(- )?(?:([A-Za-z0-9_./-]+):\s+\S*)?/.exec(line) as RegExpExecArray;
  const valuePosition = cursor[3];
  let limit = (cursor[1] as string).length;
  const suffix = cursor[2] ? ['0'] : [];
  const path: string[] = [];
  let at = lineStart;
  while (at > 0 && limit > 0) {
    const end = at - 1;
    // (lastIndexOf(x, -1) searches from 0: on the first line, a '\n' at offset 0 would be found again and again.)
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    const previous = text.slice(start, end);
    at = start;
    if (/^---/.test(previous)) break;
    if (/^\s*(#.*)?$/.test(previous) || /^\.\.\./.test(previous)) continue;
    const m = /^(\s*)(- )?(?:([^\s:#][^:#]*?):(?:\s|$))?/.exec(previous) as RegExpExecArray;
    const dash = (m[1] as string).length;
    const keyColumn = dash + (m[2] ? 2 : 0);
    const key = m[3]?.trim().replace(/^["']|["']$/g, '');
    if (m[2] && dash < limit) {
      // A list item around the cursor; its first key is a parent only if the cursor is deeper than it.
      if (key !== undefined && keyColumn < limit) path.unshift(key);
      path.unshift('0');
      limit = dash;
    } else if (key !== undefined && keyColumn < limit) {
      path.unshift(key);
      limit = keyColumn;
    }
  }
  return { path: [...path, ...suffix], ...(valuePosition !== undefined ? { valuePosition } : {}) };
}


export function complete(engine: Engine, _uri: string, text: string, offset: number, workspace?: Workspace): CompletionItem[] {
  const { path, valuePosition } = pathAtCursor(text, offset);
  // The document around the cursor: for apiVersion/kind and for the keys already present.
  const chunkStart = Math.max(text.lastIndexOf('\n---', offset - 1) + 1, 0);
  const chunkEndIndex = text.indexOf('\n---', offset);
  const chunk = text.slice(chunkStart, chunkEndIndex === -1 ? text.length : chunkEndIndex + 1);
  const apiVersion = /^apiVersion:\s*["']?([^\s"'#]+)/m.exec(chunk)?.[1];
  const kind = /^kind:\s*["']?([^\s"'#]+)/m.exec(chunk)?.[1];
  if (path.length === 0 && valuePosition === 'apiVersion') {
    return engine.catalog.servedKinds(engine.kubernetesVersion).filter((k) => !kind || k.kind === kind)
      .map((k) => ({ label: k.apiVersion, kind: 'value' as const, insertText: k.apiVersion, detail: k.kind }))
      .filter((item, i, all) => all.findIndex((x) => x.label === item.label) === i);
  }
  if (path.length === 0 && valuePosition === 'kind') {
    return engine.catalog.servedKinds(engine.kubernetesVersion).filter((k) => !apiVersion || k.apiVersion === apiVersion)
      .map((k) => ({ label: k.kind, kind: 'kind' as const, insertText: k.kind, detail: k.apiVersion }));
  }
  if (!apiVersion || !kind) {
    if (path.length > 0 || valuePosition !== undefined) return [];
    // An empty document: offer whole resources.
    return engine.catalog.servedKinds(engine.kubernetesVersion).filter((k) => !k.apiVersion.includes('alpha') && !k.apiVersion.includes('beta')).map((k) => ({
      label: `${k.kind} (${k.apiVersion})`, kind: 'snippet' as const, snippet: true, detail: 'New resource',
      insertText: `apiVersion: ${k.apiVersion}\nkind: ${k.kind}\nmetadata:\n  name: \${1:name}\n${k.entry.namespaced ? '  namespace: ${2:default}\n' : ''}`,
    }));
  }
  const source = sourceFor(engine, { apiVersion, kind }, workspace);
  if (!source) return [];
  if (valuePosition !== undefined) {
    return valuesAt(source, [...path, valuePosition]).map((v) => ({ label: v, kind: 'value' as const, insertText: v }));
  }
  const present = presentKeys(text, offset, path);
  return fieldsAt(source, path).filter((f) => !present.has(f.name) && !(path.length === 0 && (f.name === 'apiVersion' || f.name === 'kind'))).map((f) => {
    const item: CompletionItem = {
      label: f.name, kind: 'property', detail: `${f.type}${f.required ? ' (required)' : ''}`, preferred: f.required,
      insertText: f.type.startsWith('[]') || f.type.startsWith('map[') || /^[A-Z]/.test(f.type) && f.type !== 'Quantity' ? `${f.name}:\n` : `${f.name}: `,
    };
    if (f.description) item.documentation = f.description;
    return item;
  });
}

/** Keys already written at the cursor's level (siblings in the same mapping). */

function presentKeys(text: string, offset: number, path: string[]): Set<string> {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = (/^\s*/.exec(text.slice(lineStart, offset)) as RegExpExecArray)[0].length;
  const keys = new Set<string>();
  const scan = (from: number, direction: 1 | -1) => {
    let cursor = from;
    for (let i = 0; i < 2000; i++) {
      const start = direction === -1 ? text.lastIndexOf('\n', cursor - 2) + 1 : text.indexOf('\n', cursor) + 1;
      if ((direction === -1 && cursor <= 0) || (direction === 1 && start === 0)) break;
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end === -1 ? text.length : end);
      cursor = start;
      if (/^\s*(#.*)?$/.test(line)) continue;
      if (/^(---|\.\.\.)/.test(line)) break;
      const m = /^(\s*)(- )?([^\s:#][^:#]*?):(\s|$)/.exec(line);
      const column = m ? (m[1] as string).length + (m[2] ? 2 : 0) : (/^\s*/.exec(line) as RegExpExecArray)[0].length;
      if (column < indent || (m?.[2] && (m[1] as string).length < indent && column === indent && direction === -1 && path.length > 0)) {
        if (m?.[2] && column === indent) keys.add((m[3] as string).trim());
        break;
      }
      if (m && column === indent) keys.add((m[3] as string).trim());
      if (direction === 1 && end === -1) break;
    }
  };
  scan(lineStart, -1);
  scan(lineStart, 1);
  return keys;
}

