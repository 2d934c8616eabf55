/**
 * "Validate Against Cluster": a server-side apply dry run of every resource of a file, and the cluster's
 * answers as findings at the exact keys they are about (`cluster/dry-run`), plus the warnings the server
 * attaches to accepted objects (`cluster/dry-run-warning`: deprecations, PodSecurity "would violate").
 *
 * Where a rejection points: each Status cause's `field` (validation errors), else a field path the message
 * names (admission webhooks seldom send causes), else the object's name (docs/architecture.md, "Findings and ranges"). A missing field points
 * at its parent's key, an unknown one at its key, a wrong value at the value.
 */
import { type AnalyzedFile, type Anchor, commentWaivers, type DocumentLike, type Finding, LineIndex, type ManifestResource, objectWaivers, refOf, type ResourceRef, type Severity, type Span, type Waiver } from '../engine';
import { ClusterError, parseStatus, type KubeStatus } from './errors';
import { parseFieldPath, pathsInMessage, resolveFieldPath, type FieldSegment } from './field-path';
import type { ClusterSession, KubeObject } from './session';

export const DRY_RUN_RULE = 'cluster/dry-run';
export const DRY_RUN_WARNING_RULE = 'cluster/dry-run-warning';

export type DryRunOutcome = 'accepted' | 'rejected' | 'skipped';

export interface DryRunDocument {
  docIndex: number;
  resource: ResourceRef;
  outcome: DryRunOutcome;
  /** The cluster's answer in a line (why it was rejected or skipped). */
  message: string;
}

export interface DryRunResult {
  context: string;
  findings: Finding[];
  documents: DryRunDocument[];
  durationMs: number;
}

/** The engine's pointer -> span function (engine/yaml/locate.ts). */
export type SpanOf = (doc: DocumentLike, pointer: string, anchor: Anchor) => Span;

export interface DryRunOptions {
  /**
   * Passed in rather than imported: bundled, this module lives in server/out/cluster.js, and the parse trees
   * it is given were made by the engine in the other bundle, whose spanOf knows their locations.
   */
  spanOf: SpanOf;
  signal?: AbortSignal;
  /** Dry runs in flight at once. Default 4. */
  concurrency?: number;
  /** The configured severity of a finding id ('off' drops it). */
  severityOf?: (ruleId: string) => Severity | 'off';
}

/** Dry-runs every resource of an analyzed file. Connection failures (and cancellation) throw a ClusterError. */
export async function dryRunFile(session: ClusterSession, file: AnalyzedFile, options: DryRunOptions): Promise<DryRunResult> {
  const started = performance.now();
  const lines = new LineIndex(file.text);
  const severityOf = options.severityOf ?? ((id: string) => (id === DRY_RUN_WARNING_RULE ? 'warning' : 'error'));
  const findings: Finding[] = [];
  const documents: DryRunDocument[] = [];
  const queue = file.resources.filter((r) => !r.kustomization);
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;

  const one = async (resource: ManifestResource): Promise<void> => {
    const ref = refOf(resource);
    const doc = (outcome: DryRunOutcome, message: string): void => {
      documents.push({ docIndex: resource.doc.index, resource: ref, outcome, message });
    };
    if (resource.doc.broken) return doc('skipped', 'the document has YAML errors');
    if (!resource.apiVersion || !resource.kind) return doc('skipped', 'no apiVersion or kind');
    if (!resource.name) return doc('skipped', 'no metadata.name (server-side apply needs one)');
    const place = (pointer: string, anchor: Anchor, ruleId: string, messageId: string, message: string) => {
      const severity = severityOf(ruleId);
      if (severity === 'off') return;
      findings.push(makeFinding(resource, lines, options.spanOf, { pointer, anchor, ruleId, messageId, message, severity }));
    };
    let answer;
    try {
      answer = await session.applyDryRun(JSON.parse(JSON.stringify(resource.value)) as KubeObject, signal);
    } catch (error) {
      if (error instanceof ClusterError && (error.kind === 'forbidden' || error.kind === 'http')) return doc('skipped', error.message);
      throw error;
    }
    if (answer.kind === 'notServed') {
      const message = `The cluster (context "${session.context}") does not serve ${resource.apiVersion} ${resource.kind}: its API discovery lists no such kind${resource.apiVersion.includes('.') ? ' (is its CustomResourceDefinition installed?)' : ''}.`;
      place('/kind', 'value', DRY_RUN_RULE, 'notServed', message);
      return doc('rejected', message);
    }
    const { response } = answer;
    if (response.status >= 200 && response.status < 300) {
      for (const warning of response.warnings) place('', 'name', DRY_RUN_WARNING_RULE, 'warning', `The cluster warns (context "${session.context}"): ${warning}`);
      return doc('accepted', response.warnings.length ? `accepted with ${response.warnings.length} warning(s)` : 'accepted');
    }
    if (response.status === 403 || response.status === 429) {
      // Not the manifest's fault: RBAC forbids kgov's user to patch here, or the server sheds load.
      const status = parseStatus(response.body);
      return doc('skipped', `${response.status} ${status?.reason ?? ''}: ${status?.message ?? response.body.slice(0, 200)}`.replace(/ +:/, ':'));
    }
    const status = parseStatus(response.body) ?? { message: response.body.trim().slice(0, 300) || `HTTP ${response.status}`, code: response.status };
    for (const located of locateStatus(status, resource.value)) {
      place(located.pointer, located.anchor, DRY_RUN_RULE, 'rejected', `The cluster rejects it (context "${session.context}"${located.field ? '' : `, ${response.status}${status.reason ? ` ${status.reason}` : ''}`}): ${located.message}`);
    }
    return doc('rejected', status.message ?? `HTTP ${response.status}`);
  };

  // A small worker pool: a file of 200 documents must not open 200 connections at once.
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        await one(next);
      } catch (error) {
        abort.abort();
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof ClusterError && s.reason.kind === 'cancelled'))
    ?? settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  documents.sort((a, b) => a.docIndex - b.docIndex);
  return { context: session.context, findings, documents, durationMs: Math.round(performance.now() - started) };
}

interface Located {
  pointer: string;
  anchor: Anchor;
  message: string;
  /** The cause named its field (the message already says where). */
  field?: string;
}

/** Where a failure Status points in the object that was sent (always at least one location). */
export function locateStatus(status: KubeStatus, value: unknown): Located[] {
  const out: Located[] = [];
  for (const cause of status.details?.causes ?? []) {
    const field = cause.field ?? '';
    const segments = field ? parseFieldPath(field) : undefined;
    const text = field ? `${field.replace(/^\./, '')}: ${cause.message ?? cause.reason ?? 'invalid'}` : cause.message ?? status.message ?? '';
    if (!segments) {
      out.push({ pointer: '', anchor: 'name', message: text });
      continue;
    }
    const resolved = resolveFieldPath(value, segments);
    out.push({ pointer: resolved.pointer, anchor: anchorFor(cause.reason, cause.message, resolved.complete), message: text, field });
  }
  if (out.length > 0) return dedupe(out);
  const message = status.message ?? 'rejected';
  let best: { segments: FieldSegment[]; depth: number; pointer: string; complete: boolean } | undefined;
  for (const segments of pathsInMessage(message, value)) {
    const resolved = resolveFieldPath(value, segments);
    if (resolved.depth > 0 && (!best || resolved.depth > best.depth)) best = { segments, ...resolved };
  }
  if (best) return [{ pointer: best.pointer, anchor: anchorFor(undefined, message, best.complete), message }];
  return [{ pointer: '', anchor: 'name', message }];
}

/** Unknown and forbidden fields point at their key; everything else at the value (or, when missing, the parent's key). */
function anchorFor(reason: string | undefined, message: string | undefined, complete: boolean): Anchor {
  if (!complete) return 'parentKey';
  if (reason === 'FieldValueForbidden' || reason === 'FieldValueDuplicate' || /field not declared in schema|unknown field/i.test(message ?? '')) return 'key';
  return 'value';
}

function dedupe(list: Located[]): Located[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const key = `${l.pointer}|${l.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function makeFinding(resource: ManifestResource, lines: LineIndex, spanOf: SpanOf,
  f: { pointer: string; anchor: Anchor; ruleId: string; messageId: string; message: string; severity: Severity }): Finding {
  const { doc } = resource;
  const local = spanOf(doc, resource.pointer + f.pointer, f.anchor);
  const span = { start: local.start + doc.base, end: local.end + doc.base };
  const finding: Finding = {
    ruleId: f.ruleId, messageId: f.messageId, message: f.message, severity: f.severity, docIndex: doc.index,
    pointer: resource.pointer + f.pointer, resourcePointer: resource.pointer, span, range: lines.rangeOf(span), resource: refOf(resource), fixable: false,
  };
  const waiver = waiverFor(resource, f.ruleId, local.start, spanOf);
  if (waiver) {
    const at = { start: waiver.span.start + doc.base, end: waiver.span.end + doc.base };
    finding.suppressed = { kind: waiver.kind, span: at, range: lines.rangeOf(at), ...(waiver.reason ? { reason: waiver.reason } : {}) };
  }
  return finding;
}

/** `kgov.io/ignore: cluster/dry-run` on the object, or a disable comment on the line before the finding. */
function waiverFor(resource: ManifestResource, ruleId: string, localStart: number, spanOf: SpanOf): Waiver | undefined {
  const { doc } = resource;
  const byRule = objectWaivers(resource.value, new Map(), (key) =>
    spanOf(doc, `${resource.pointer}/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'key')).byRule;
  const annotation = byRule.get(ruleId) ?? byRule.get('*');
  if (annotation) return annotation;
  const chunkLines = new LineIndex(doc.source);
  const line = chunkLines.positionAt(localStart).line;
  return commentWaivers(doc.comments, (offset) => chunkLines.positionAt(offset).line)
    .find((c) => c.line === line && (c.ids.length === 0 || c.ids.includes(ruleId)));
}
