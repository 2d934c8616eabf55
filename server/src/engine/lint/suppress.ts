/**
 * Suppression (docs/architecture.md, "Configuration and suppression"): `kgov.io/ignore` on the object (ids or `*`, with `kgov.io/ignore-reason`),
 * `# kgov-disable-next-line <id>[, <id>] -- reason` comments, and the peers' annotations through each rule's
 * aliases. A suppressed finding is kept and marked, never dropped; `nonBypassable` rules cannot be waived.
 */
import { aliasList, type RuleAliases } from '../rule';
import { isJsonObject, type JsonObject, type Span } from '../types';
import type { KgovComment } from '../yaml/compose';

export const IGNORE_ANNOTATION = 'kgov.io/ignore';
export const IGNORE_REASON_ANNOTATION = 'kgov.io/ignore-reason';

export interface Waiver {
  kind: 'annotation' | 'comment';
  /** Chunk-relative span of the annotation or comment. */
  span: Span;
  reason?: string;
}

export interface ObjectWaivers {
  /** Rule id -> waiver; '*' waives every rule. */
  byRule: Map<string, Waiver>;
}

const splitIds = (value: string) => value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

const annotationsAt = (value: JsonObject, pointer: readonly string[]): JsonObject | undefined => {
  let at: unknown = value;
  for (const key of pointer) at = isJsonObject(at) ? at[key] : undefined;
  return isJsonObject(at) ? at : undefined;
};

/** Where a workload's pod template keeps its annotations (kube-score reads `kube-score/ignore` there too). */
const TEMPLATE_ANNOTATIONS: readonly (readonly string[])[] = [
  ['spec', 'template', 'metadata', 'annotations'],
  ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'],
];

/**
 * Reads the waivers written on one object's annotations. `aliasesOf` maps a peer tool's check name to kgov rule ids.
 * `spanOf` gives the span of an annotation key (for the checklist's "waived" line) in the annotations at
 * `annotationsPointer` (default: the object's own, `/metadata/annotations`).
 *
 * Each peer's annotations are read where the peer reads them: Polaris and kube-linter on the object only,
 * kube-score also on a workload's pod template.
 */
export function objectWaivers(value: JsonObject, aliases: ReadonlyMap<string, RuleAliases>, spanOf: (key: string, annotationsPointer?: string) => Span): ObjectWaivers {
  const byRule = new Map<string, Waiver>();
  const byPeer = (tool: keyof RuleAliases, check: string): string[] =>
    [...aliases].filter(([, a]) => aliasList(a[tool]).includes(check)).map(([id]) => id);
  const annotations = annotationsAt(value, ['metadata', 'annotations']) ?? {};
  const reason = typeof annotations[IGNORE_REASON_ANNOTATION] === 'string' ? annotations[IGNORE_REASON_ANNOTATION] : undefined;
  const waive = (ruleId: string, key: string, why?: string, annotationsPointer?: string) => {
    if (!byRule.has(ruleId)) byRule.set(ruleId, { kind: 'annotation', span: spanOf(key, annotationsPointer), ...(why ? { reason: why } : {}) });
  };

  for (const [key, raw] of Object.entries(annotations)) {
    const text = typeof raw === 'string' ? raw : raw === true ? 'true' : '';
    if (key === IGNORE_ANNOTATION) {
      for (const id of splitIds(text)) waive(id, key, reason);
    } else if (key === 'kube-linter.io/ignore-all') {
      waive('*', key, text || reason);
    } else if (key.startsWith('ignore-check.kube-linter.io/')) {
      for (const id of byPeer('kubeLinter', key.slice('ignore-check.kube-linter.io/'.length))) waive(id, key, text || reason);
    } else if (key === 'polaris.fairwinds.com/exempt' && text === 'true') {
      waive('*', key, reason);
    } else if (key.startsWith('polaris.fairwinds.com/') && key.endsWith('-exempt') && text === 'true') {
      for (const id of byPeer('polaris', key.slice('polaris.fairwinds.com/'.length, -'-exempt'.length))) waive(id, key, reason);
    } else if (key === 'kube-score/ignore') {
      for (const check of splitIds(text)) for (const id of byPeer('kubeScore', check)) waive(id, key, reason);
    }
  }
  for (const path of TEMPLATE_ANNOTATIONS) {
    const text = annotationsAt(value, path)?.['kube-score/ignore'];
    if (typeof text !== 'string') continue;
    for (const check of splitIds(text)) for (const id of byPeer('kubeScore', check)) waive(id, 'kube-score/ignore', reason, `/${path.join('/')}`);
  }
  return { byRule };
}

export interface LineWaiver extends Waiver {
  /** The line the comment waives (the one after it), relative to the chunk. */
  line: number;
  /** Rule ids; empty = every rule. */
  ids: string[];
}

const DISABLE_NEXT_LINE = /^#\s*kgov-disable-next-line(?=\s|$)(.*)$/;

/** `# kgov-disable-next-line rule-a, rule-b -- reason`; `lineOf` maps a chunk offset to its line. */
export function commentWaivers(comments: readonly KgovComment[], lineOf: (offset: number) => number): LineWaiver[] {
  const out: LineWaiver[] = [];
  for (const comment of comments) {
    const match = DISABLE_NEXT_LINE.exec(comment.text.trim());
    if (!match) continue;
    const rest = match[1] ?? '';
    const separator = rest.indexOf(' --');
    const ids = separator === -1 ? rest : rest.slice(0, separator);
    const reason = separator === -1 ? undefined : rest.slice(separator + 3).trim();
    out.push({ kind: 'comment', span: comment.span, line: lineOf(comment.span.start) + 1, ids: splitIds(ids), ...(reason ? { reason } : {}) });
  }
  return out;
}
