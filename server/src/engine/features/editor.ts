/**
 * Editor features on top of the engine: hover (field documentation like `kubectl explain`), completion
 * (keys not yet present, enum values, apiVersion/kind pairs, a new-resource snippet) and document symbols.
 * Positions are offsets into the file text; adapters convert them.
 */
import type { Engine } from '../engine';
import { joinPointer } from '../util/pointer';
import type { AnalyzedDocument, ManifestResource } from '../lint/resources';
import { crdSource, fieldAt, fieldsAt, kubernetesSource, valuesAt, type SchemaSource } from '../schema/navigate';
import { isJsonObject, type JsonObject, type Span } from '../types';
import type { Workspace } from '../workspace';
import { CONTAINER_KINDS, podSpecOf } from '../lint/walk';
import { keySpan, locationOf, valueSpan } from '../yaml/compose';
import { extentOf, spanOf } from '../yaml/locate';

export interface Hover {
  /** Markdown. */
  contents: string;
  span: Span;
}

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

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: 'resource' | 'container';
  span: Span;
  selection: Span;
  children: DocumentSymbol[];
}

/** The schema of a resource: its built-in definition, or its CRD's openAPIV3Schema. */
function sourceFor(engine: Engine, resource: Pick<ManifestResource, 'apiVersion' | 'kind'>, workspace?: Workspace): SchemaSource | undefined {
  if (!resource.apiVersion || !resource.kind) return undefined;
  const custom = workspace?.crds.lookup(resource.apiVersion, resource.kind);
  if (custom?.schema) return crdSource(custom.schema);
  const status = engine.catalog.status(resource.apiVersion, resource.kind, engine.kubernetesVersion);
  if (status.state === 'served' || status.state === 'deprecated') return kubernetesSource(engine.catalog, engine.schemas, status.entry.definition);
  return undefined;
}

interface Located {
  doc: AnalyzedDocument;
  /** Path of keys and indexes from the document root. */
  path: string[];
  onKey: boolean;
  span: Span;
}

/** The key or value under `offset` (file offset), as a path from its document's root. */
function locateOffset(documents: readonly AnalyzedDocument[], offset: number): Located | undefined {
  const doc = documents.find((d) => offset >= d.base + d.span.start && offset <= d.base + d.span.end);
  if (!doc) return undefined;
  const at = offset - doc.base;
  let node: unknown = doc.value;
  const path: string[] = [];
  for (let depth = 0; depth < 200; depth++) {
    const location = locationOf(node);
    if (!location) return undefined;
    let next: { segment: string; onKey: boolean; span: Span } | undefined;
    for (let i = 0; i < location.size && !next; i++) {
      const entry = location.at(i);
      if (!entry) continue;
      const segment = location.keys ? (location.keys[i] as string) : String(i);
      const key = keySpan(entry);
      if (key && at >= key.start && at <= key.end) next = { segment, onKey: true, span: key };
      else if (at >= entry.valueStart && at <= entry.valueEnd) next = { segment, onKey: false, span: valueSpan(entry) };
    }
    if (!next) return undefined;
    path.push(next.segment);
    const child = (node as Record<string, unknown>)[next.segment];
    if (next.onKey || locationOf(child) === undefined || (location.entry(next.segment)?.aliased ?? false)) {
      return { doc, path, onKey: next.onKey, span: { start: next.span.start + doc.base, end: next.span.end + doc.base } };
    }
    node = child;
  }
  return undefined;
}

function resourceOf(doc: AnalyzedDocument, path: string[], resources: readonly ManifestResource[]): { resource: ManifestResource; rest: string[] } | undefined {
  const inDoc = resources.filter((r) => r.doc === doc);
  const item = path[0] === 'items' && path.length > 1 ? inDoc.find((r) => r.pointer === joinPointer('', 'items', path[1] as string)) : undefined;
  if (item) return { resource: item, rest: path.slice(2) };
  const whole = inDoc.find((r) => r.pointer === '');
  return whole ? { resource: whole, rest: path } : undefined;
}

export function hover(engine: Engine, uri: string, text: string, offset: number, workspace?: Workspace): Hover | undefined {
  const file = engine.analyze(uri, text);
  const located = locateOffset(file.documents, offset);
  if (!located) return undefined;
  const owner = resourceOf(located.doc, located.path, file.resources);
  if (!owner || owner.rest.length === 0) return undefined;
  const source = sourceFor(engine, owner.resource, workspace);
  if (!source) return undefined;
  const field = fieldAt(source, owner.rest);
  if (!field) return undefined;
  const lines = [`**${field.name}** \`${field.type}\`${field.required ? ' (required)' : ''}`, '', `${owner.resource.kind} · ${owner.rest.filter((s) => !/^\d+$/.test(s)).join('.')} · Kubernetes ${engine.kubernetesVersion}`];
  if (field.description) lines.push('', field.description);
  const values = valuesAt(source, owner.rest);
  if (values.length > 0 && values.length <= 20 && !(values.length === 2 && values[0] === 'true')) lines.push('', `Allowed values: ${values.map((v) => `\`${v}\``).join(', ')}`);
  return { contents: lines.join('\n'), span: located.span };
}

/**
 * The path of the mapping a cursor is in, from indentation alone (the line being typed may not parse yet):
 * each earlier line indented less than the current level is a parent (`- ` items count as index 0).
 */
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

export function documentSymbols(engine: Engine, uri: string, text: string): DocumentSymbol[] {
  const file = engine.analyze(uri, text);
  return file.resources.map((r) => {
    const shift = (span: Span): Span => ({ start: span.start + r.doc.base, end: span.end + r.doc.base });
    const whole = r.pointer === '' ? { start: r.doc.span.start, end: r.doc.span.end } : extentOf(r.doc, r.pointer);
    const name = `${r.kind ?? 'Resource'} ${r.name ?? '(unnamed)'}`;
    const children: DocumentSymbol[] = [];
    const pod = r.kind ? podSpecOf(r.kind, r.value) : undefined;
    if (pod) {
      for (const list of CONTAINER_KINDS) {
        const containers = pod.spec[list];
        if (!Array.isArray(containers)) continue;
        containers.forEach((c, index) => {
          if (!isJsonObject(c)) return;
          const pointer = joinPointer(r.pointer + pod.pointer, list, index);
          const extent = extentOf(r.doc, pointer);
          children.push({
            name: `${String((c as JsonObject).name ?? index)}`, detail: list === 'containers' ? 'container' : list.replace(/s$/, ''), kind: 'container',
            span: shift(extent), selection: shift(within(spanOf(r.doc, `${pointer}/name`, 'value'), extent)), children: [],
          });
        });
      }
    }
    return {
      name, detail: [r.apiVersion, r.namespace].filter(Boolean).join(' · '), kind: 'resource' as const,
      span: shift(whole), selection: shift(within(spanOf(r.doc, r.pointer, 'name'), whole)), children,
    };
  });
}

/** Clients reject a symbol whose selection is not inside its range: fall back to the range's start. */
function within(selection: Span, range: Span): Span {
  return selection.start >= range.start && selection.end <= range.end ? selection : { start: range.start, end: range.start };
}
