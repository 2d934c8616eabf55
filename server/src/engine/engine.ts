/**
 * The facade (DESIGN §2): plain text in, the engine's own types out. Synchronous per document, cancellable
 * between documents, and cached per `---` chunk: re-linting an unchanged document costs a map lookup.
 */
import { builtinMeta } from './builtins';
import { Lru } from './lru';
import { resourcesOf, type AnalyzedDocument, type AnalyzedFile, type ManifestResource } from './resources';
import { SchemaCatalog } from './schema/catalog';
import type { KubernetesSchemas } from './schema/kubernetes';
import type { SchemaProblem } from './schema/messages';
import { LineIndex } from './text';
import type { Anchor, Finding, ResourceRef, Severity, Span } from './types';
import { validateResource } from './validate';
import { Workspace, type WorkspaceResource } from './workspace';
import type { YamlProblem } from './yaml/compose';
import { spanOf } from './yaml/locate';
import { parseChunk, splitDocuments, findTemplateDirective, type ParsedDocument } from './yaml/parse';

export interface EngineOptions {
  /** Folder holding kubernetes/ and kustomize/ (the repository's schemas/). */
  schemasDir: string;
  /** "1.34"; defaults to the catalog's default. */
  kubernetesVersion?: string;
  /** Severity per finding id ('off' disables); ids may be families such as `schema/*`. */
  severities?: Record<string, Severity | 'off'>;
  /** Larger files are reported (yaml/too-large) instead of parsed. Default 16 MiB. */
  maxFileSize?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export class UnknownVersionError extends Error {
  constructor(readonly requested: string, readonly bundled: string[]) {
    super(`Unknown Kubernetes version "${requested}"; kgov bundles ${bundled.join(', ')}.`);
  }
}

/** A finding before it is placed in its file: spans are relative to its document's chunk. */
interface LocalFinding {
  ruleId: string;
  messageId: string;
  message: string;
  docIndexInChunk: number;
  pointer: string;
  span: Span;
  resource?: ResourceRef;
  data?: Record<string, unknown>;
}

const CHUNK_CACHE_SIZE = 4096;

export interface LintResult {
  findings: Finding[];
  documents: number;
  file: AnalyzedFile;
}

export class Engine {
  readonly catalog: SchemaCatalog;
  readonly kubernetesVersion: string;
  readonly schemas: KubernetesSchemas;
  private readonly severities: Record<string, Severity | 'off'>;
  private readonly parsed = new Lru<string, ParsedDocument[]>(CHUNK_CACHE_SIZE);
  private readonly checked = new Lru<string, LocalFinding[]>(CHUNK_CACHE_SIZE);

  constructor(readonly options: EngineOptions, catalog?: SchemaCatalog) {
    this.catalog = catalog ?? new SchemaCatalog(options.schemasDir);
    const requested = options.kubernetesVersion;
    const version = requested === undefined ? this.catalog.defaultVersion : this.catalog.resolveVersion(requested);
    if (!version) throw new UnknownVersionError(requested ?? '', this.catalog.versions);
    this.kubernetesVersion = version;
    this.schemas = this.catalog.schemasFor(version);
    this.severities = options.severities ?? {};
  }

  /** The configured severity of a finding id, or 'off'. */
  severityOf(ruleId: string): Severity | 'off' {
    const family = ruleId.includes('/') ? `${ruleId.slice(0, ruleId.indexOf('/'))}/*` : undefined;
    return this.severities[ruleId] ?? (family ? this.severities[family] : undefined) ?? builtinMeta(ruleId).defaultSeverity;
  }

  /** Parses a file into documents and resources (cached per `---` chunk). */
  analyze(uri: string, text: string): AnalyzedFile {
    if (text.length > (this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return { uri, text, documents: [], resources: [], tooLarge: true };
    const template = findTemplateDirective(text);
    if (template) return { uri, text, documents: [], resources: [], template };
    const documents: AnalyzedDocument[] = [];
    const resources: ManifestResource[] = [];
    for (const chunk of splitDocuments(text)) {
      let parsed = this.parsed.get(chunk.text);
      if (!parsed) {
        parsed = parseChunk(chunk.text).map((d, i) => ({ ...d, index: i }));
        this.parsed.set(chunk.text, parsed);
      }
      for (const doc of parsed) {
        const analyzed: AnalyzedDocument = { ...doc, index: documents.length, base: chunk.start, source: chunk.text };
        documents.push(analyzed);
        resources.push(...resourcesOf(uri, analyzed, this.catalog));
      }
    }
    return { uri, text, documents, resources };
  }

  /** The file's resources as the workspace index holds them. */
  index(uri: string, text: string): WorkspaceResource[] {
    const file = this.analyze(uri, text);
    if (file.resources.length === 0) return [];
    const lines = new LineIndex(text);
    return file.resources.map((r) => {
      const span = spanOf(r.doc, r.pointer, 'name');
      const indexed: WorkspaceResource = {
        uri, docIndex: r.doc.index, pointer: r.pointer, value: r.value, line: lines.positionAt(span.start + r.doc.base).line,
      };
      if (r.apiVersion) indexed.apiVersion = r.apiVersion;
      if (r.kind) indexed.kind = r.kind;
      if (r.name) indexed.name = r.name;
      if (r.namespace) indexed.namespace = r.namespace;
      if (r.kustomization) indexed.kustomization = true;
      return indexed;
    });
  }

  lint(uri: string, text: string, workspace?: Workspace, token?: CancellationToken): Finding[] {
    return this.lintFile(uri, text, workspace, token).findings;
  }

  lintFile(uri: string, text: string, workspace = new Workspace(), token?: CancellationToken): LintResult {
    const file = this.analyze(uri, text);
    const lines = new LineIndex(text);
    const findings: Finding[] = [];
    const emit = (local: Omit<LocalFinding, 'docIndexInChunk'>, doc: AnalyzedDocument | undefined) => {
      const severity = this.severityOf(local.ruleId);
      if (severity === 'off') return;
      const base = doc?.base ?? 0;
      const span = { start: local.span.start + base, end: local.span.end + base };
      const finding: Finding = {
        ruleId: local.ruleId, messageId: local.messageId, message: local.message, severity,
        docIndex: doc?.index ?? 0, pointer: local.pointer, span, range: lines.rangeOf(span), fixable: false,
      };
      if (local.resource) finding.resource = local.resource;
      if (local.data) finding.data = local.data;
      findings.push(finding);
    };
    if (file.tooLarge) {
      const limit = this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      emit({
        ruleId: 'yaml/too-large', messageId: 'tooLarge', pointer: '', span: { start: 0, end: Math.max(0, text.indexOf('\n')) },
        message: `This file is ${(text.length / 1048576).toFixed(1)} MiB, over the ${(limit / 1048576).toFixed(0)} MiB kgov validates; it is skipped.`,
      }, undefined);
      return { findings, documents: 0, file };
    }
    if (file.template) {
      emit({
        ruleId: 'yaml/template', messageId: 'template', pointer: '', span: file.template,
        message: 'This file contains template directives ({{ ... }}) outside string values, so it is a template rather than a manifest; it is not validated. Render it first (e.g. `helm template ... | kgov audit -`).',
      }, undefined);
      return { findings, documents: 0, file };
    }
    // Documents of one chunk share the chunk's cache entry; a workspace change to CRDs or patches invalidates it.
    const context = `${workspace.schemaGeneration}|${workspace.isPatch(uri) ? 'partial' : 'full'}|${file.resources.some((r) => r.kustomization) ? 'k' : ''}\u0000`;
    const byChunk = new Map<number, AnalyzedDocument[]>();
    for (const doc of file.documents) {
      const list = byChunk.get(doc.base) ?? [];
      list.push(doc);
      byChunk.set(doc.base, list);
    }
    for (const docs of byChunk.values()) {
      if (token?.isCancellationRequested) throw new CancelledError();
      const first = docs[0] as AnalyzedDocument;
      const key = context + first.source;
      let local = this.checked.get(key);
      if (!local) {
        local = docs.flatMap((doc, i) => this.checkDocument(doc, file.resources.filter((r) => r.doc === doc), workspace, uri, i));
        this.checked.set(key, local);
      }
      for (const f of local) emit(f, docs[f.docIndexInChunk]);
    }
    return { findings, documents: file.documents.length, file };
  }

  /** Findings that depend on one document alone (plus the workspace's CRDs and patch list). */
  private checkDocument(doc: AnalyzedDocument, resources: ManifestResource[], workspace: Workspace, uri: string, docIndexInChunk: number): LocalFinding[] {
    const out: LocalFinding[] = doc.problems.map((p: YamlProblem) => ({
      ruleId: p.ruleId, messageId: p.ruleId.slice(5), message: p.message, docIndexInChunk, pointer: '', span: p.span,
    }));
    if (doc.broken || doc.aliasBombed) return out;
    const ctx = {
      catalog: this.catalog, schemas: this.schemas, crds: workspace.crds, partial: workspace.isPatch(uri),
      kustomizeSchemaDir: this.options.schemasDir,
    };
    for (const resource of resources) {
      const ref = refOf(resource);
      for (const problem of validateResource(resource, ctx)) out.push(this.place(problem, doc, docIndexInChunk, ref));
    }
    return out;
  }

  private place(problem: SchemaProblem | { ruleId: string; messageId: string; message: string; pointer: string; anchor: Anchor; data?: Record<string, unknown> },
    doc: ParsedDocument, docIndexInChunk: number, resource: ResourceRef): LocalFinding {
    const finding: LocalFinding = {
      ruleId: problem.ruleId, messageId: problem.messageId, message: problem.message, docIndexInChunk,
      pointer: problem.pointer, span: spanOf(doc, problem.pointer, problem.anchor), resource,
    };
    if (problem.data) finding.data = problem.data;
    return finding;
  }
}

export function refOf(resource: ManifestResource): ResourceRef {
  const ref: ResourceRef = {};
  if (resource.apiVersion) ref.apiVersion = resource.apiVersion;
  if (resource.kind) ref.kind = resource.kind;
  if (resource.name) ref.name = resource.name;
  if (resource.namespace) ref.namespace = resource.namespace;
  return ref;
}

export function createEngine(options: EngineOptions, catalog?: SchemaCatalog): Engine {
  return new Engine(options, catalog);
}
