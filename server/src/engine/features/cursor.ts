/**
 * Where the cursor is in a manifest (the key or value under it, as a path from its document's root), which
 * resource that is, and which schema describes it: what hover and completion share.
 */
import type { Engine } from '../engine';
import type { AnalyzedDocument, ManifestResource } from '../lint/resources';
import { resolveCustomKind } from '../schema/crd-catalog';
import { crdSource, kubernetesSource, type SchemaSource } from '../schema/navigate';
import type { Span } from '../types';
import { joinPointer } from '../util/pointer';
import type { Workspace } from '../workspace';
import { keySpan, locationOf, valueSpan } from '../yaml/location';

/** The schema of a resource: its built-in definition, or its CRD's openAPIV3Schema (workspace, cluster or catalog). */
export function sourceFor(engine: Engine, resource: Pick<ManifestResource, 'apiVersion' | 'kind'>, workspace?: Workspace): SchemaSource | undefined {
  if (!resource.apiVersion || !resource.kind) return undefined;
  const custom = resolveCustomKind(workspace?.crds, engine.catalog.crds, engine.config.crdCatalog, resource.apiVersion, resource.kind);
  if (custom?.schema) return crdSource(custom.schema, `CRD ${custom.crdName}${custom.origin ? ` (${custom.origin})` : ''}`);
  const status = engine.catalog.status(resource.apiVersion, resource.kind, engine.kubernetesVersion);
  if (status.state === 'served' || status.state === 'deprecated') return kubernetesSource(engine.catalog, engine.schemas, status.entry.definition);
  return undefined;
}

export interface Located {
  doc: AnalyzedDocument;
  /** Path of keys and indexes from the document root. */
  path: string[];
  onKey: boolean;
  span: Span;
}

/** The key or value under `offset` (file offset), as a path from its document's root. */
export function locateOffset(documents: readonly AnalyzedDocument[], offset: number): Located | undefined {
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

export function resourceOf(doc: AnalyzedDocument, path: string[], resources: readonly ManifestResource[]): { resource: ManifestResource; rest: string[] } | undefined {
  const inDoc = resources.filter((r) => r.doc === doc);
  const item = path[0] === 'items' && path.length > 1 ? inDoc.find((r) => r.pointer === joinPointer('', 'items', path[1] as string)) : undefined;
  if (item) return { resource: item, rest: path.slice(2) };
  const whole = inDoc.find((r) => r.pointer === '');
  return whole ? { resource: whole, rest: path } : undefined;
}

