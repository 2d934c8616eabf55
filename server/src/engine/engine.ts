/**
 * The facade (docs/architecture.md): plain text in, the engine's own types out. Synchronous per document, cancellable
 * between documents, and cached per `---` chunk: re-linting an unchanged document costs a map lookup.
 */
import { readFileSync } from 'node:fs';
import { BUILTIN_BY_ID, builtinMeta, UMBRELLAS, umbrellaOf } from './registry/builtins';
import { DEFAULT_CONFIG, type ResolvedConfig } from './config/config';
import { textEdits } from './fix/diff';
import { applyOps, FixError } from './fix/edits';
import { Lru } from './util/lru';
import { parsePolicy, policyRule } from './config/policies';
import { PRESET_OPTIONS, PRESETS, type PresetName } from './config/presets';
import { refOf, resourcesOf, type AnalyzedDocument, type AnalyzedFile, type ManifestResource } from './lint/resources';
import { RULES } from './rules';
import type { Rule, RuleAliases } from './rule';
import { runRules, type ActiveRule, type RuleSink } from './lint/run-rules';
import { SchemaCatalog } from './schema/catalog';
import type { KubernetesSchemas } from './schema/kubernetes';
import type { SchemaProblem } from './schema/messages';
import type { CustomKind } from './schema/crd';
import { groupOf } from './k8s/kinds';
import { commentWaivers, objectWaivers, type LineWaiver, type Waiver } from './lint/suppress';
import { LineIndex } from './util/line-index';
import type { Anchor, Finding, Fix, JsonObject, Position, ResourceRef, Severity, Span, TextEdit } from './types';
import { validateResource } from './schema/validate';
import { EVERY_KIND, Workspace, type WorkspaceResource } from './workspace';
import { spanOf } from './yaml/locate';
import { findTemplateDirective, parseChunk, splitDocuments, type Chunk, type ParsedChunk, type ParsedDocument } from './yaml/parse';

export interface EngineOptions {
  /** Folder holding kubernetes/ and kustomize/ (the repository's schemas/). */
  schemasDir: string;
  /** "1.34"; defaults to the config's, then the catalog's default. */
  kubernetesVersion?: string;
  /** The resolved .kgov.yaml (defaults when absent). */
  config?: ResolvedConfig;
  /** Overrides the config's preset (CLI `--preset`). */
  preset?: PresetName;
  /** CLI `--rule ID[=SEVERITY]`: highest precedence. */
  ruleOverrides?: ReadonlyArray<{ id: string; severity?: Severity | 'off' }>;
  /** Declarative policy files to load as rules (the config loader lists them; only in a trusted workspace). */
  policyFiles?: readonly string[];
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
  /** The resource it is about ('' or '/items/N'); undefined for file-level problems. */
  resourcePointer?: string;
  pointer: string;
  span: Span;
  resource?: ResourceRef;
  data?: Record<string, unknown>;
  fix?: Fix;
}

const NO_CROSS_RESULT: Pick<ChunkResult, 'findings' | 'outcomes'> = { findings: [], outcomes: [] };

interface PlacedChunk {
  uri: string;
  local: ChunkResult;
  cross: Pick<ChunkResult, 'findings' | 'outcomes'>;
  /** Its first document's index in the file, its offset and line. */
  index: number;
  base: number;
  baseLine: number;
  findings: Finding[];
}

/** A finding of a chunk that starts `delta` characters later, on the same line (an edit above it added no line): the same range. */
function moved(f: Finding, delta: number): Finding {
  const copy: Finding = { ...f, span: { start: f.span.start + delta, end: f.span.end + delta } };
  if (f.suppressed) copy.suppressed = { ...f.suppressed, span: { start: f.suppressed.span.start + delta, end: f.suppressed.span.end + delta } };
  return copy;
}

interface CrossCheck {
  context: string;
  uri: string;
  workspace: Workspace;
  generation: number;
  /** The kinds of workspace resources the cross-resource rules read (Workspace.track). */
  reads: ReadonlySet<string>;
  result: Pick<ChunkResult, 'findings' | 'outcomes'>;
}

/** A rule's verdict on one target (for the rollout checklist). */
export interface Outcome {
  ruleId: string;
  /** The walked target's pointer. */
  target: string;
  failed: boolean;
  /** The rule said the target is outside its concern (and reported nothing). */
  notApplicable?: true;
  docIndex: number;
  resourcePointer: string;
  /** The failing findings were all waived. */
  waived: boolean;
}

interface DocumentWaivers {
  /** Per resource pointer: rule id (or '*') -> waiver. */
  objects: Map<string, Map<string, Waiver>>;
  comments: LineWaiver[];
}

interface ChunkResult {
  findings: LocalFinding[];
  outcomes: Array<Omit<Outcome, 'docIndex' | 'waived'> & { docIndexInChunk: number }>;
  /** Per document of the chunk. */
  waivers: DocumentWaivers[];
  lines: LineIndex;
}

const CHUNK_CACHE_SIZE = 4096;
/** And at most this many characters of chunk text (each cached with its parse tree and check results). */
const CHUNK_CACHE_CHARS = 16 * 1024 * 1024;
const LAST_FILES = 256;

export interface LintOptions {
  reuseCrossResults?: boolean;
  outcomes?: boolean;
  crossResources?: boolean;
}

export interface LintResult {
  findings: Finding[];
  documents: number;
  file: AnalyzedFile;
  /** Only when lintFile is asked for them. */
  outcomes?: Outcome[];
}

export class Engine {
  readonly catalog: SchemaCatalog;
  readonly kubernetesVersion: string;
  readonly schemas: KubernetesSchemas;
  readonly config: ResolvedConfig;
  /** Rules that run, with severity and options (local ones are cached per chunk, cross-resource ones are not). */
  readonly localRules: ActiveRule[] = [];
  readonly crossRules: ActiveRule[] = [];
  private readonly builtinSeverities = new Map<string, Severity | 'off'>();
  private readonly ruleSeverities = new Map<string, Severity>();
  private readonly aliases = new Map<string, RuleAliases>();
  private readonly nonBypassable: Set<string>;
  private readonly parsed = new Lru<string, ParsedChunk>(CHUNK_CACHE_SIZE, CHUNK_CACHE_CHARS, (text) => text.length);
  /** Per file, its chunks as last analysed: the next version's unchanged chunks are found by comparing texts in place. */
  private readonly lastChunks = new Lru<string, ParsedChunk[]>(LAST_FILES);
  private lastAnalysis: AnalyzedFile | undefined;
  /** Per chunk parse, the results of its last check (and the context they hold for). */
  private readonly checked = new WeakMap<ParsedChunk, { context: string; definitions: ReadonlyArray<readonly CustomKind[]>; result: ChunkResult }>();
  /** Work done so far, counted for tests: an edit must cost work in proportion to what it changed. */
  readonly work = { parsedChunks: 0, checkedChunks: 0, crossCheckedChunks: 0 };
  /** Per parsed resource value, its last index entry. */
  private readonly indexed = new WeakMap<JsonObject, WorkspaceResource>();
  /** Per chunk parse, its findings as last placed in the file (see lintFileUnguarded). */
  private readonly placed = new WeakMap<ParsedChunk, PlacedChunk>();
  /** Per chunk parse, its last cross-resource check: valid while no resource of a kind it read has changed. */
  private readonly crossChecked = new WeakMap<ParsedChunk, CrossCheck>();

  constructor(readonly options: EngineOptions, catalog?: SchemaCatalog) {
    this.catalog = catalog ?? new SchemaCatalog(options.schemasDir);
    this.config = options.config ?? DEFAULT_CONFIG;
    const requested = options.kubernetesVersion ?? this.config.kubernetesVersion;
    const version = requested === undefined ? this.catalog.defaultVersion : this.catalog.resolveVersion(requested);
    if (!version) throw new UnknownVersionError(requested ?? '', this.catalog.versions);
    this.kubernetesVersion = version;
    this.schemas = this.catalog.schemasFor(version);
    this.nonBypassable = new Set(this.config.nonBypassable);
    this.activate();
  }

  /** Severity per rule: --rule, then .kgov.yaml `rules`, then the preset (policies listed in the config are on). */
  private activate(): void {
    const preset = this.options.preset ?? this.config.preset;
    const overrides = new Map((this.options.ruleOverrides ?? []).map((o) => [o.id, o.severity]));
    const chosen = (id: string, fallback: Severity | 'off'): Severity | 'off' | 'default' =>
      overrides.has(id) ? overrides.get(id) ?? 'default' : this.config.rules[id]?.severity ?? (preset === 'all' ? 'default' : fallback);
    const policies = (this.options.policyFiles ?? []).map((file) => policyRule(parsePolicy(readFileSync(file, 'utf8'), file, this.options.schemasDir), file));
    const policyIds = new Set(policies.map((p) => p.meta.id));
    const all: Array<Rule<object>> = [...(Object.values(RULES) as Array<Rule<object>>), ...(policies as Array<Rule<object>>)];
    for (const umbrella of UMBRELLAS) this.aliases.set(umbrella.id, umbrella.aliases ?? {});
    for (const rule of all) {
      const { meta } = rule;
      this.aliases.set(meta.id, meta.aliases ?? {});
      const inPreset = preset === 'all' ? undefined : PRESETS[preset][meta.id];
      const base = policyIds.has(meta.id) ? 'default' : inPreset ?? 'off';
      const severity = chosen(meta.id, base === 'default' ? meta.defaultSeverity : base);
      if (severity === 'off') continue;
      const options = { ...(meta.defaultOptions ?? {}), ...(PRESET_OPTIONS[preset]?.[meta.id] ?? {}), ...(this.config.rules[meta.id]?.options ?? {}) };
      const active: ActiveRule = { rule, severity: severity === 'default' ? meta.defaultSeverity : severity, options };
      const cross = meta.crossResource === true || (meta.crossResourceOption !== undefined && (options as Record<string, unknown>)[meta.crossResourceOption] === true);
      (cross ? this.crossRules : this.localRules).push(active);
    }
    for (const active of [...this.localRules, ...this.crossRules]) this.ruleSeverities.set(active.rule.meta.id, active.severity);
    for (const [id, setting] of Object.entries(this.config.rules)) if (setting.severity && !RULES[id]) this.builtinSeverities.set(id, setting.severity);
    for (const [id, severity] of overrides) if (!RULES[id] && severity) this.builtinSeverities.set(id, severity);
  }

  /** The configured severity of a finding id, or 'off'. */
  severityOf(ruleId: string): Severity | 'off' {
    const active = this.ruleSeverities.get(ruleId);
    if (active) return active;
    if (RULES[ruleId] || (this.aliases.has(ruleId) && !BUILTIN_BY_ID.has(ruleId))) return 'off';
    const family = ruleId.includes('/') ? `${ruleId.slice(0, ruleId.indexOf('/'))}/*` : undefined;
    const umbrella = umbrellaOf(ruleId);
    return this.builtinSeverities.get(ruleId) ?? (family ? this.builtinSeverities.get(family) : undefined)
      ?? (umbrella ? this.builtinSeverities.get(umbrella) : undefined) ?? builtinMeta(ruleId).defaultSeverity;
  }

  /** Parses a file into documents and resources (cached per `---` chunk). */
  analyze(uri: string, text: string): AnalyzedFile {
    // The editor indexes and then lints the same version of a file: the second call is free.
    const last = this.lastAnalysis;
    if (last?.uri === uri && last.text === text) return last;
    this.lastAnalysis = this.analyzeText(uri, text);
    return this.lastAnalysis;
  }

  private analyzeText(uri: string, text: string): AnalyzedFile {
    if (text.length > (this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return { uri, text, documents: [], resources: [], tooLarge: true };
    const chunks = splitDocuments(text);
    const parses = this.parseChunks(uri, chunks);
    const templated = parses.findIndex((p) => p.template);
    if (templated >= 0) {
      const { start, end } = parses[templated]?.template as Span;
      const base = (chunks[templated] as Chunk).start;
      return { uri, text, documents: [], resources: [], template: { start: base + start, end: base + end } };
    }
    const documents: AnalyzedDocument[] = [];
    const resources: ManifestResource[] = [];
    // Chunks start at `---` lines; where each starts on a line as editors count lines (after \n or \r, not after
    // U+2028), positions are found within the chunk: an edit does not make the whole file's lines be found again.
    const aligned = chunks.every((c) => c.start === 0 || text.charCodeAt(c.start - 1) === 10 || text.charCodeAt(c.start - 1) === 13);
    let baseLine = 0;
    for (const [i, chunk] of chunks.entries()) {
      const parsed = parses[i] as ParsedChunk;
      for (const doc of parsed.documents) {
        const analyzed: AnalyzedDocument = { ...doc, index: documents.length, base: chunk.start, source: chunk.text, chunk: parsed, ...(aligned ? { baseLine } : {}) };
        documents.push(analyzed);
        resources.push(...resourcesOf(uri, analyzed, this.catalog));
      }
      if (aligned) baseLine += linesOf(parsed).lineCount - 1;
    }
    return { uri, text, documents, resources };
  }

  /**
   * The parse of each chunk. An edit changes few chunks: those before and after it are matched against the file's
   * previous chunks by comparing texts in place; only the rest are looked up by text (hashing long strings is
   * what made edits in big files slow) or parsed.
   */
  private parseChunks(uri: string, chunks: Chunk[]): ParsedChunk[] {
    const previous = this.lastChunks.get(uri) ?? [];
    let head = 0;
    while (head < chunks.length && head < previous.length && previous[head]?.text === chunks[head]?.text) head++;
    let tail = 0;
    while (tail < chunks.length - head && tail < previous.length - head && previous[previous.length - 1 - tail]?.text === chunks[chunks.length - 1 - tail]?.text) tail++;
    const parses = chunks.map((chunk, i) => {
      if (i < head) return previous[i] as ParsedChunk;
      if (i >= chunks.length - tail) return previous[previous.length - (chunks.length - i)] as ParsedChunk;
      let parsed = this.parsed.get(chunk.text);
      if (!parsed) {
        this.work.parsedChunks++;
        const template = findTemplateDirective(chunk.text);
        parsed = { text: chunk.text, documents: template ? [] : parseChunk(chunk.text).map((d, index) => ({ ...d, index })), ...(template ? { template } : {}) };
        this.parsed.set(chunk.text, parsed);
      }
      return parsed;
    });
    this.lastChunks.set(uri, parses);
    return parses;
  }


  /**
   * Could the cross-resource findings of a file, as last linted, change when resources of these kinds change?
   * (Yes for a file, or a chunk of it, not yet checked against the workspace.)
   */
  readsAnyOf(uri: string, kinds: ReadonlySet<string>): boolean {
    const chunks = this.lastChunks.get(uri);
    if (!chunks) return true;
    for (const chunk of chunks) {
      const cross = this.crossChecked.get(chunk);
      if (!cross) {
        if (chunk.documents.length > 0 && this.crossRules.length > 0) return true;
        continue;
      }
      if (cross.reads.has(EVERY_KIND)) return true;
      for (const kind of kinds) if (cross.reads.has(kind)) return true;
    }
    return false;
  }

  /** The file's resources as the workspace index holds them (none when kgov cannot read the file: lint says why). */
  index(uri: string, text: string): WorkspaceResource[] {
    try {
      return this.indexUnguarded(uri, text);
    } catch {
      return [];
    }
  }

  private indexUnguarded(uri: string, text: string): WorkspaceResource[] {
    const file = this.analyze(uri, text);
    if (file.resources.length === 0) return [];
    const lines = new LineIndex(text);
    return file.resources.map((r) => {
      // A resource whose document and place are as last time is the same entry (typing allocates less).
      const line = nameLine(r, lines);
      const known = this.indexed.get(r.value);
      if (known && known.uri === uri && known.docIndex === r.doc.index && known.pointer === r.pointer && known.line === line) return known;
      const indexed: WorkspaceResource = { uri, docIndex: r.doc.index, pointer: r.pointer, value: r.value, line };
      if (r.apiVersion) indexed.apiVersion = r.apiVersion;
      if (r.kind) indexed.kind = r.kind;
      if (r.name) indexed.name = r.name;
      if (r.namespace) indexed.namespace = r.namespace;
      if (r.kustomization) indexed.kustomization = true;
      this.indexed.set(r.value, indexed);
      return indexed;
    });
  }

  lint(uri: string, text: string, workspace?: Workspace, token?: CancellationToken): Finding[] {
    return this.lintFile(uri, text, workspace, token).findings;
  }

  /**
   * Lints a file. `reuseCrossResults`: the editor's fast path while typing: cross-resource findings of unchanged
   * documents are taken from the last run even if other files changed since (a full run follows shortly).
   * `outcomes`: also list every rule's verdict per target (for the rollout checklist; tens per workload).
   * `crossResources: false`: leave out the cross-resource rules (the editor, while the workspace index is incomplete).
   */
  lintFile(uri: string, text: string, workspace = new Workspace(this.config.defaultNamespace), token?: CancellationToken, options: LintOptions = {}): LintResult {
    try {
      return this.lintFileUnguarded(uri, text, workspace, token, options);
    } catch (error) {
      // No input may stop an audit or the server: what kgov cannot finish is a finding on that file.
      if (error instanceof CancelledError) throw error;
      return { findings: this.internalError(text, error), documents: 0, file: { uri, text, documents: [], resources: [] }, ...(options.outcomes ? { outcomes: [] } : {}) };
    }
  }

  private lintFileUnguarded(uri: string, text: string, workspace: Workspace, token: CancellationToken | undefined, options: LintOptions): LintResult {
    const file = this.analyze(uri, text);
    const lines = new LineIndex(text);
    const findings: Finding[] = [];
    const outcomes: Outcome[] = [];
    const rangeIn = (doc: AnalyzedDocument | undefined, span: Span) => (doc ? { start: positionIn(doc, span.start, lines), end: positionIn(doc, span.end, lines) } : lines.rangeOf(span));
    const place = (local: Omit<LocalFinding, 'docIndexInChunk'>, doc: AnalyzedDocument | undefined, waiver?: Waiver): void => {
      const severity = this.severityOf(local.ruleId);
      if (severity === 'off') return;
      const base = doc?.base ?? 0;
      const span = { start: local.span.start + base, end: local.span.end + base };
      const finding: Finding = {
        ruleId: local.ruleId, messageId: local.messageId, message: local.message, severity,
        docIndex: doc?.index ?? 0, pointer: local.pointer, span, range: rangeIn(doc, local.span), fixable: local.fix !== undefined,
      };
      if (local.resource) finding.resource = local.resource;
      if (local.resourcePointer !== undefined) finding.resourcePointer = local.resourcePointer;
      if (local.data) finding.data = local.data;
      if (local.fix) finding.fix = local.fix;
      if (waiver) {
        const at = { start: waiver.span.start + base, end: waiver.span.end + base };
        finding.suppressed = { kind: waiver.kind, span: at, range: rangeIn(doc, waiver.span), ...(waiver.reason ? { reason: waiver.reason } : {}) };
      }
      findings.push(finding);
    };
    if (file.tooLarge) {
      const limit = this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      place({
        ruleId: 'yaml/too-large', messageId: 'tooLarge', pointer: '', span: { start: 0, end: Math.max(1, text.indexOf('\n')) },
        message: `This file is ${(text.length / 1048576).toFixed(1)} MiB, over the ${(limit / 1048576).toFixed(0)} MiB kgov validates; it is skipped.`,
      }, undefined);
      return { findings, documents: 0, file, outcomes };
    }
    if (file.template) {
      place({
        ruleId: 'yaml/template', messageId: 'template', pointer: '', span: file.template,
        message: 'This file contains template directives ({{ ... }}) outside string values, so it is a template rather than a manifest; it is not validated. Render it first (e.g. `helm template ... | kgov audit -`).',
      }, undefined);
      return { findings, documents: 0, file, outcomes };
    }
    const partial = workspace.isPatch(uri);
    // Documents of one chunk share the chunk's cache entry, valid while the context and the workspace's definitions
    // of the chunk's kinds are as they were (an edit of one CRD re-validates only the resources of its kind).
    const context = `${partial ? 'partial' : 'full'}|${file.resources.some((r) => r.kustomization) ? 'k' : ''}|${workspace.defaultNamespace}\u0000`;
    const byChunk = new Map<number, AnalyzedDocument[]>();
    for (const doc of file.documents) byChunk.set(doc.base, [...(byChunk.get(doc.base) ?? []), doc]);
    const resourcesOfDoc = new Map<AnalyzedDocument, ManifestResource[]>();
    for (const r of file.resources) resourcesOfDoc.set(r.doc, [...(resourcesOfDoc.get(r.doc) ?? []), r]);
    const inDoc = (doc: AnalyzedDocument) => resourcesOfDoc.get(doc) ?? [];
    for (const docs of byChunk.values()) {
      if (token?.isCancellationRequested) throw new CancelledError();
      const first = docs[0] as AnalyzedDocument;
      const definitions = definitionsRead(docs.flatMap(inDoc), workspace);
      const known = this.checked.get(first.chunk);
      let local = known?.context === context && sameDefinitions(known.definitions, definitions) ? known.result : undefined;
      if (!local) {
        local = { findings: [], outcomes: [], waivers: docs.map((doc) => this.waiversOf(doc, inDoc(doc))), lines: linesOf(first.chunk) };
        this.work.checkedChunks++;
        for (const [i, doc] of docs.entries()) this.checkDocument(doc, inDoc(doc), workspace, partial, i, local);
        this.checked.set(first.chunk, { context, definitions, result: local });
      }
      let cross: Pick<ChunkResult, 'findings' | 'outcomes'> = NO_CROSS_RESULT;
      if (this.crossRules.length > 0 && !partial && options.crossResources !== false) {
        const cached = this.crossChecked.get(first.chunk);
        // (Keyed by file too: a chunk with the same text in another file is another resource of the workspace.)
        const valid = cached?.context === context && cached.uri === uri
          && (options.reuseCrossResults || (cached.workspace === workspace && !workspace.changedSince(cached.reads, cached.generation)));
        if (valid) cross = cached.result;
        else {
          this.work.crossCheckedChunks++;
          const result: Pick<ChunkResult, 'findings' | 'outcomes'> = { findings: [], outcomes: [] };
          cross = result;
          const { reads } = workspace.track(() => {
            for (const [i, doc] of docs.entries()) this.runCross(doc, inDoc(doc), workspace, i, result);
          });
          this.crossChecked.set(first.chunk, { context, uri, workspace, generation: workspace.generation, reads, result });
        }
      }
      // The findings of a chunk whose results and lines are as last time are placed as they were (moved along
      // when only the chunk's offset changed: an edit above it on the same line).
      const placed = options.outcomes || first.baseLine === undefined ? undefined : this.placed.get(first.chunk);
      if (placed && placed.local === local && placed.cross === cross && placed.index === first.index && placed.baseLine === first.baseLine && placed.uri === uri) {
        if (placed.base !== first.base) {
          placed.findings = placed.findings.map((f) => moved(f, first.base - placed.base));
          placed.base = first.base;
        }
        findings.push(...placed.findings);
        continue;
      }
      const before = findings.length;
      const chunkFindings = cross.findings.length === 0 ? local.findings : [...local.findings, ...cross.findings];
      for (const [i, doc] of docs.entries()) {
        const waivers = local.waivers[i] as DocumentWaivers;
        const failedWaived = new Map<string, boolean>();
        for (const f of chunkFindings) {
          if (f.docIndexInChunk !== i) continue;
          const waiver = this.nonBypassable.has(f.ruleId) ? undefined : this.waiverFor(f, waivers, local.lines);
          place(f, doc, waiver);
          if (options.outcomes && f.resourcePointer !== undefined) {
            const key2 = `${f.ruleId}|${f.resourcePointer}`;
            failedWaived.set(key2, (failedWaived.get(key2) ?? true) && waiver !== undefined);
          }
        }
        if (!options.outcomes) continue;
        for (const o of [...local.outcomes, ...cross.outcomes]) {
          if (o.docIndexInChunk !== i) continue;
          outcomes.push({
            ruleId: o.ruleId, target: o.target, failed: o.failed, docIndex: doc.index, resourcePointer: o.resourcePointer,
            waived: o.failed && failedWaived.get(`${o.ruleId}|${o.resourcePointer}`) === true, ...(o.notApplicable ? { notApplicable: true as const } : {}),
          });
        }
      }
      if (!options.outcomes && first.baseLine !== undefined) {
        this.placed.set(first.chunk, { uri, local, cross, index: first.index, base: first.base, baseLine: first.baseLine, findings: findings.slice(before) });
      }
    }
    return { findings, documents: file.documents.length, file, ...(options.outcomes ? { outcomes } : {}) };
  }

  /** Findings that depend on one document alone (plus the workspace's CRDs and patch list). */
  private checkDocument(doc: AnalyzedDocument, resources: ManifestResource[], workspace: Workspace, partial: boolean, docIndexInChunk: number, out: Pick<ChunkResult, 'findings' | 'outcomes'>): void {
    for (const p of doc.problems) {
      out.findings.push({ ruleId: p.ruleId, messageId: p.ruleId.slice(5), message: p.message, docIndexInChunk, pointer: '', span: p.span });
    }
    if (doc.broken || doc.aliasBombed) return;
    const ctx = { catalog: this.catalog, schemas: this.schemas, crds: workspace.crds, crdScope: this.config.crdCatalog, partial, kustomizeSchemaDir: this.options.schemasDir };
    for (const resource of resources) {
      const ref = refOf(resource);
      try {
        for (const problem of validateResource(resource, ctx)) out.findings.push(this.place(problem, doc, docIndexInChunk, ref, resource.pointer));
      } catch (error) {
        out.findings.push({
          ruleId: 'kgov/internal-error', messageId: 'validationFailed', message: `kgov could not validate this resource against its schema (${messageOf(error)}); its rules still ran.`,
          docIndexInChunk, resourcePointer: resource.pointer, pointer: resource.pointer, span: spanOf(doc, resource.pointer, 'name'), resource: ref,
        });
      }
      // A patch is a partial object: rules about what it leaves out would all misfire.
      if (!partial) this.runRuleSet(this.localRules, doc, resource, workspace, docIndexInChunk, out);
    }
  }

  private runCross(doc: AnalyzedDocument, resources: ManifestResource[], workspace: Workspace, docIndexInChunk: number, out: Pick<ChunkResult, 'findings' | 'outcomes'>): void {
    if (doc.broken || doc.aliasBombed) return;
    for (const resource of resources) this.runRuleSet(this.crossRules, doc, resource, workspace, docIndexInChunk, out);
  }

  private runRuleSet(rules: ActiveRule[], doc: AnalyzedDocument, resource: ManifestResource, workspace: Workspace, docIndexInChunk: number, out: Pick<ChunkResult, 'findings' | 'outcomes'>): void {
    const ref = refOf(resource);
    const resourcePointer = resource.pointer;
    const sink: RuleSink = {
      finding: (f) => out.findings.push(this.place(f, doc, docIndexInChunk, ref, resourcePointer)),
      outcome: (ruleId, target, failed, notApplicable) => {
        out.outcomes.push({ ruleId, target, failed, docIndexInChunk, resourcePointer, ...(notApplicable ? { notApplicable: true as const } : {}) });
      },
      failed: (error) => {
        out.findings.push({
          ruleId: 'kgov/internal-error', messageId: 'ruleFailed', message: `${error.message}. The rest of the document is still checked.`, docIndexInChunk,
          resourcePointer, pointer: resourcePointer, span: spanOf(doc, resourcePointer, 'name'), resource: ref,
        });
      },
    };
    runRules(rules, resource, workspace, this.kubernetesVersion, sink);
  }

  private place(problem: Pick<SchemaProblem, 'ruleId' | 'messageId' | 'message' | 'pointer' | 'data'> & { anchor: Anchor; fix?: Fix },
    doc: ParsedDocument, docIndexInChunk: number, resource: ResourceRef, resourcePointer: string): LocalFinding {
    const finding: LocalFinding = {
      ruleId: problem.ruleId, messageId: problem.messageId, message: problem.message, docIndexInChunk, resourcePointer,
      pointer: problem.pointer, span: spanOf(doc, problem.pointer, problem.anchor), resource,
    };
    if (problem.data) finding.data = problem.data;
    if (problem.fix) finding.fix = problem.fix;
    return finding;
  }

  /** The waivers written in one document: annotations per resource, and disable comments (chunk-relative lines). */
  private waiversOf(doc: AnalyzedDocument, resources: ManifestResource[]): DocumentWaivers {
    const objects = new Map(resources.map((r) => [r.pointer, objectWaivers(r.value, this.aliases, (key, annotations = '/metadata/annotations') => {
      const at = `${r.pointer}${annotations}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return spanOf(doc, at, 'key');
    }).byRule]));
    const lines = new LineIndex(doc.source);
    return { objects, comments: commentWaivers(doc.comments, (offset) => lines.positionAt(offset).line) };
  }

  /** The finding for a file kgov could not finish checking, on its first line (none when the id is off). */
  internalError(text: string, error: unknown): Finding[] {
    const severity = this.severityOf('kgov/internal-error');
    if (severity === 'off') return [];
    const span = { start: 0, end: Math.max(1, new LineIndex(text).lineText(0).length) };
    return [{
      ruleId: 'kgov/internal-error', messageId: 'fileFailed', severity, docIndex: 0, pointer: '', span, fixable: false,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: span.end } },
      message: `kgov could not check this file (${messageOf(error)}); everything else is still checked. Please report it.`,
    }];
  }

  /** The waiver (annotation or disable comment) that applies to a finding, if any. */
  private waiverFor(f: LocalFinding, waivers: DocumentWaivers, chunkLines: LineIndex): Waiver | undefined {
    const object = f.resourcePointer !== undefined ? waivers.objects.get(f.resourcePointer) : undefined;
    const umbrella = umbrellaOf(f.ruleId);
    const annotation = object?.get(f.ruleId) ?? (umbrella ? object?.get(umbrella) : undefined) ?? object?.get('*');
    if (annotation) return annotation;
    if (waivers.comments.length === 0) return undefined;
    const line = chunkLines.positionAt(f.span.start).line;
    return waivers.comments.find((c) => c.line === line && (c.ids.length === 0 || c.ids.includes(f.ruleId) || (umbrella !== undefined && c.ids.includes(umbrella))));
  }

  /** The text edits of a finding's fix (computed on demand: code actions resolve them lazily). */
  fixEdits(text: string, finding: Pick<Finding, 'docIndex' | 'fix'>): TextEdit[] {
    if (!finding.fix) return [];
    return textEdits(text, applyOps(text, finding.docIndex, finding.fix.patch));
  }

  /**
   * Applies every available fix (optionally only of some rules) until none is left: one fix at a time, re-linting
   * in between, so fixes that touch the same object compose. Returns the new text and what was fixed.
   */
  fixAll(uri: string, text: string, workspace?: Workspace, only?: (f: Finding) => boolean): { text: string; fixed: Finding[] } {
    try {
      return this.fixAllUnguarded(uri, text, workspace, only);
    } catch {
      // The file stays as it was; linting it reports what went wrong.
      return { text, fixed: [] };
    }
  }

  private fixAllUnguarded(uri: string, text: string, workspace?: Workspace, only?: (f: Finding) => boolean): { text: string; fixed: Finding[] } {
    let current = text;
    const fixed: Finding[] = [];
    // Cross-resource findings depend on this file's own resources: each round sees the file as it now is.
    const scratch = (workspace ?? new Workspace(this.config.defaultNamespace)).fork();
    scratch.setFile(uri, this.index(uri, current));
    // Fixes that failed on the current text (cleared when the text changes: list indexes shift after a removal),
    // and how often each finding was fixed (a fix that does not make its finding go away is not repeated forever).
    let failed = new Set<string>();
    const applied = new Map<string, number>();
    const keyOf = (f: Finding) => `${f.ruleId}|${f.docIndex}|${f.pointer}|${f.messageId}`;
    const crossRuleIds = new Set(this.crossRules.map((r) => r.rule.meta.id));
    // The findings of the current text: linted again only when a fix changed it (a fix that failed leaves it).
    let findings: Finding[] | undefined;
    for (let round = 0; round < 500; round++) {
      findings ??= this.lint(uri, current, scratch);
      const candidates = findings.filter((f) =>
        f.fix && !f.suppressed && !failed.has(keyOf(f)) && (applied.get(keyOf(f)) ?? 0) < 3 && (!only || only(f)));
      const first = candidates[0];
      if (!first) break;
      // Local fixes of different documents cannot affect each other, so one round applies the first fix of
      // every document whose first fix is local (each document's fixes still come in the order they would one
      // by one); a cross-resource fix goes alone, on a file that is otherwise as it was linted.
      const batch = crossRuleIds.has(first.ruleId) ? [first] : firstLocalFixPerDocument(candidates, crossRuleIds);
      const result = this.applyFixes(uri, current, batch, keyOf, failed);
      if (result === undefined) continue;
      current = result.text;
      findings = undefined;
      scratch.setFile(uri, this.index(uri, current));
      for (const f of result.applied) {
        fixed.push(f);
        applied.set(keyOf(f), (applied.get(keyOf(f)) ?? 0) + 1);
      }
      failed = new Set();
    }
    return { text: current, fixed };
  }

  /**
   * Applies `batch` to `text` (fixes that throw FixError are marked failed and skipped). A batch whose result does
   * not parse is retried as its first fix alone, and a lone fix that breaks the file is marked failed: a fix must
   * leave a file that still parses. Undefined when nothing was applied.
   */
  private applyFixes(uri: string, text: string, batch: Finding[], keyOf: (f: Finding) => string, failed: Set<string>): { text: string; applied: Finding[] } | undefined {
    let next = text;
    const applied: Finding[] = [];
    for (const f of batch) {
      try {
        next = applyOps(next, f.docIndex, (f.fix as NonNullable<Finding['fix']>).patch);
        applied.push(f);
      } catch (error) {
        if (!(error instanceof FixError)) throw error;
        failed.add(keyOf(f));
      }
    }
    if (applied.length === 0) return undefined;
    // (analyze parses only the chunks the fixes changed, and the lint of the next round reuses its parse.)
    const before = this.analyze(uri, text);
    const after = this.analyze(uri, next);
    // A document that was already broken (one the fixes did not touch) does not stop the others' fixes.
    const broken = (file: AnalyzedFile) => file.documents.filter((d) => d.broken).length;
    const breaks = applied.some((f) => after.documents.find((d) => d.index === f.docIndex)?.broken !== false) || broken(after) > broken(before);
    if (next !== text && !after.tooLarge && !after.template && !breaks) return { text: next, applied };
    if (applied.length > 1) return this.applyFixes(uri, text, applied.slice(0, 1), keyOf, failed);
    failed.add(keyOf(applied[0] as Finding));
    return undefined;
  }

  /** Does this file hold Kubernetes resources (for editors: other YAML gets no diagnostics)? */
  isKubernetes(file: AnalyzedFile): boolean {
    // A template counts when it renders Kubernetes objects (not, say, an Ansible playbook with {{ vars }}).
    return file.resources.length > 0 || file.tooLarge === true || (file.template !== undefined && /^\s*(apiVersion|kind)\s*:/m.test(file.text));
  }
}

const chunkLines = new WeakMap<ParsedChunk, LineIndex>();

/** Offsets <-> positions within one chunk (made once per chunk parse). */
function linesOf(chunk: ParsedChunk): LineIndex {
  let lines = chunkLines.get(chunk);
  if (!lines) chunkLines.set(chunk, (lines = new LineIndex(chunk.text)));
  return lines;
}

/** The file position of an offset in a document's chunk (through the whole file's lines where chunks are not aligned). */
function positionIn(doc: AnalyzedDocument, chunkOffset: number, fileLines: LineIndex): Position {
  if (doc.baseLine === undefined) return fileLines.positionAt(chunkOffset + doc.base);
  const { line, character } = linesOf(doc.chunk).positionAt(chunkOffset);
  return { line: line + doc.baseLine, character };
}

const nameLines = new WeakMap<JsonObject, number>();

/** The line of a resource's name (its kind's when it has none): found once per parsed document, then by its chunk's line. */
function nameLine(r: ManifestResource, fileLines: LineIndex): number {
  if (r.doc.baseLine === undefined) return positionIn(r.doc, spanOf(r.doc, r.pointer, 'name').start, fileLines).line;
  let line = nameLines.get(r.value);
  if (line === undefined) nameLines.set(r.value, (line = linesOf(r.doc.chunk).positionAt(spanOf(r.doc, r.pointer, 'name').start).line));
  return line + r.doc.baseLine;
}

/** The workspace's definitions of each resource's kind: all that validation reads from the workspace's CRDs. */
function definitionsRead(resources: readonly ManifestResource[], workspace: Workspace): Array<readonly CustomKind[]> {
  return resources.filter((r) => r.apiVersion && r.kind).map((r) => workspace.crds.definitionsOf(groupOf(r.apiVersion as string), r.kind as string));
}

function sameDefinitions(a: ReadonlyArray<readonly CustomKind[]>, b: ReadonlyArray<readonly CustomKind[]>): boolean {
  return a.length === b.length && a.every((kinds, i) => {
    const other = b[i] as readonly CustomKind[];
    return kinds === other || (kinds.length === other.length && kinds.every((k, j) => k === other[j]));
  });
}

/** The first fix of each document, for the documents whose first fix comes from a local (not cross-resource) rule. */
function firstLocalFixPerDocument(candidates: Finding[], crossRuleIds: Set<string>): Finding[] {
  const firstOf = new Map<number, Finding>();
  for (const f of candidates) if (!firstOf.has(f.docIndex)) firstOf.set(f.docIndex, f);
  return [...firstOf.values()].filter((f) => !crossRuleIds.has(f.ruleId));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createEngine(options: EngineOptions, catalog?: SchemaCatalog): Engine {
  return new Engine(options, catalog);
}
