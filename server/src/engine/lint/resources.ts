/** Documents -> the Kubernetes resources in them (List kinds contribute one resource per item). */
import { basename } from 'node:path';
import { joinPointer } from '../util/pointer';
import type { SchemaCatalog } from '../schema/catalog';
import { isJsonObject, type JsonObject, type ResourceRef, type Span } from '../types';
import { locationOf } from '../yaml/location';
import type { ParsedChunk, ParsedDocument } from '../yaml/parse';

/** A document as the engine holds it: spans are relative to `base`, the offset of its `---` chunk in the file. */
export interface AnalyzedDocument extends ParsedDocument {
  base: number;
  /** The text of its chunk (spans index into it). */
  source: string;
  /** Its chunk's parse, the key of the per-chunk result caches. */
  chunk: ParsedChunk;
  /** The line its chunk starts on (unless a chunk of its file starts after a U+2028 or U+2029 line separator). */
  baseLine?: number;
}

export interface ManifestResource {
  uri: string;
  doc: AnalyzedDocument;
  /** '' for the document itself, '/items/3' for an item of a List. */
  pointer: string;
  value: JsonObject;
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** As written; see Workspace.namespaceOf for the effective namespace. */
  namespace?: string;
  /** Kustomize's own file. */
  kustomization?: boolean;
}

export interface AnalyzedFile {
  uri: string;
  text: string;
  documents: AnalyzedDocument[];
  resources: ManifestResource[];
  /** Template directive outside string scalars: a Helm/Go template, skipped. */
  template?: Span;
  /** Over the size limit: not parsed. */
  tooLarge?: boolean;
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(uri: string): boolean {
  return KUSTOMIZATION_FILES.has(basename(uri));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Has the document an `apiVersion` or `kind` key, even an empty one? (Then it is meant as Kubernetes.) */
export function looksLikeKubernetes(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  const location = locationOf(value);
  return location ? location.has('apiVersion') || location.has('kind') : 'apiVersion' in value || 'kind' in value;
}

function resource(uri: string, doc: AnalyzedDocument, pointer: string, value: JsonObject, defaults?: { apiVersion: string; kind: string }): ManifestResource {
  const metadata = isJsonObject(value.metadata) ? value.metadata : undefined;
  return {
    uri, doc, pointer, value,
    apiVersion: str(value.apiVersion) ?? defaults?.apiVersion,
    kind: str(value.kind) ?? defaults?.kind,
    name: str(metadata?.name),
    namespace: str(metadata?.namespace),
  };
}

export function resourcesOf(uri: string, doc: AnalyzedDocument, catalog: SchemaCatalog): ManifestResource[] {
  if (doc.broken || doc.aliasBombed || !isJsonObject(doc.value)) return [];
  const value = doc.value;
  if (isKustomizationFile(uri) || (value.kind === 'Kustomization' || value.kind === 'Component') && String(value.apiVersion ?? '').startsWith('kustomize.config.k8s.io/')) {
    return [{ ...resource(uri, doc, '', value), kustomization: true }];
  }
  if (!looksLikeKubernetes(value)) return [];
  const apiVersion = str(value.apiVersion);
  const kind = str(value.kind);
  const listItem = apiVersion && kind ? catalog.listItem(apiVersion, kind) : undefined;
  const isList = (kind === 'List' && apiVersion === 'v1') || listItem !== undefined;
  if (!isList || !Array.isArray(value.items)) return [resource(uri, doc, '', value)];
  const defaults = listItem ? { apiVersion: listItem.slice(0, listItem.lastIndexOf('/')), kind: listItem.slice(listItem.lastIndexOf('/') + 1) } : undefined;
  const out: ManifestResource[] = [];
  value.items.forEach((item, index) => {
    if (isJsonObject(item)) out.push(resource(uri, doc, joinPointer('', 'items', index), item, defaults));
  });
  return out;
}

/** What a finding says about the resource it is on. */
export function refOf(resource: ManifestResource): ResourceRef {
  const ref: ResourceRef = {};
  if (resource.apiVersion) ref.apiVersion = resource.apiVersion;
  if (resource.kind) ref.kind = resource.kind;
  if (resource.name) ref.name = resource.name;
  if (resource.namespace) ref.namespace = resource.namespace;
  return ref;
}
