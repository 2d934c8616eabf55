/**
 * The rollout checklist: per workload, its readiness groups, each item pass / fail / waived / not applicable
 * with the rule that decided it and where, and a score. The formula is documented in docs/checklist.md:
 * every applicable item weighs by its severity (error 3, warning 2, info 1); passed and waived items count
 * as met; score = 100 x met weight / total weight (100 when nothing applies).
 */
import type { Engine, LintResult, Outcome } from '../engine';
import { format, type ChecklistGroup } from '../rule';
import { valueAt } from '../util/pointer';
import type { Finding, Range, Severity } from '../types';
import { isWorkload } from '../lint/walk';
import { LineIndex } from '../util/line-index';
import { spanOf } from '../yaml/locate';

export const CHECKLIST_GROUPS: readonly ChecklistGroup[] = ['health probes', 'resources', 'availability', 'security', 'images', 'networking', 'scaling'];

export type ItemStatus = 'pass' | 'fail' | 'waived' | 'notApplicable';

export interface ChecklistItem {
  ruleId: string;
  status: ItemStatus;
  severity: Severity;
  /** The pass line, the finding's message, or why it does not apply. */
  message: string;
  /** Where to look: the finding, the waiver, or the workload. */
  uri: string;
  range: Range;
  /** For waived items. */
  reason?: string;
  /** The item was computed from the live cluster (cluster features). */
  live?: boolean;
}

export interface ChecklistGroupResult {
  group: ChecklistGroup;
  items: ChecklistItem[];
}

export interface WorkloadChecklist {
  uri: string;
  kind: string;
  name: string;
  namespace: string;
  /** The workload's name in the file, to reveal it. */
  range: Range;
  groups: ChecklistGroupResult[];
  score: number;
}

export interface Checklist {
  workloads: WorkloadChecklist[];
  /** Weighted over every workload's items. */
  score: number;
}

const WEIGHT: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function scoreOf(items: readonly ChecklistItem[]): { met: number; total: number; score: number } {
  let met = 0;
  let total = 0;
  for (const item of items) {
    // Live items report the cluster's state, which changes without the file changing: the score rates the manifest.
    if (item.status === 'notApplicable' || item.live) continue;
    total += WEIGHT[item.severity];
    if (item.status !== 'fail') met += WEIGHT[item.severity];
  }
  return { met, total, score: total === 0 ? 100 : Math.round((100 * met) / total) };
}

/** Checklists of the workloads in one linted file. */
export function fileChecklist(engine: Engine, result: LintResult, namespaceOf: (ns: string | undefined) => string): WorkloadChecklist[] {
  const { file } = result;
  if (!result.outcomes) throw new Error('fileChecklist needs a lint result with outcomes (lintFile(..., { outcomes: true }))');
  const allOutcomes = result.outcomes;
  const lines = new LineIndex(file.text);
  const rules = [...engine.localRules, ...engine.crossRules].filter((a) => a.rule.meta.checklist !== false);
  const out: WorkloadChecklist[] = [];
  for (const resource of file.resources) {
    if (!resource.apiVersion || !resource.kind || !isWorkload(resource.apiVersion, resource.kind)) continue;
    const docIndex = resource.doc.index;
    const base = resource.doc.base;
    const nameSpan = spanOf(resource.doc, resource.pointer, 'name');
    const workloadRange = lines.rangeOf({ start: nameSpan.start + base, end: nameSpan.end + base });
    const outcomes = allOutcomes.filter((o: Outcome) => o.docIndex === docIndex && o.resourcePointer === resource.pointer);
    const findings = result.findings.filter((f: Finding) => f.docIndex === docIndex && (f.pointer === resource.pointer || f.pointer.startsWith(`${resource.pointer}/`)));
    const groups = new Map<ChecklistGroup, ChecklistItem[]>(CHECKLIST_GROUPS.map((g) => [g, []]));
    for (const active of rules) {
      const { meta } = active.rule;
      const group = meta.checklist as ChecklistGroup;
      const mine = outcomes.filter((o) => o.ruleId === meta.id);
      const items = groups.get(group) as ChecklistItem[];
      if (mine.length === 0) {
        // Only rules about workloads say "not applicable" (e.g. no init containers); others are simply not listed.
        if (meta.target.kinds === 'workloads' || (Array.isArray(meta.target.kinds) && meta.target.kinds.includes(resource.kind))) {
          items.push({ ruleId: meta.id, status: 'notApplicable', severity: active.severity, message: meta.docs.summary, uri: file.uri, range: workloadRange });
        }
        continue;
      }
      for (const outcome of mine) {
        const target = valueAt(resource.doc.value, outcome.target);
        const targetName = typeof target === 'object' && target !== null && typeof (target as { name?: unknown }).name === 'string' ? (target as { name: string }).name : resource.name ?? '';
        if (outcome.notApplicable) {
          items.push({ ruleId: meta.id, status: 'notApplicable', severity: active.severity, message: meta.docs.summary, uri: file.uri, range: workloadRange });
          continue;
        }
        if (!outcome.failed) {
          let message: string;
          try {
            message = format(meta.id, meta.messages.pass, { name: targetName, kind: resource.kind, namespace: namespaceOf(resource.namespace) });
          } catch {
            message = meta.docs.summary;
          }
          const span = spanOf(resource.doc, outcome.target, meta.target.scope === 'container' ? 'value' : 'name');
          items.push({ ruleId: meta.id, status: 'pass', severity: active.severity, message, uri: file.uri, range: lines.rangeOf({ start: span.start + base, end: span.end + base }) });
          continue;
        }
        const finding = findings.find((f) => f.ruleId === meta.id && (f.pointer === outcome.target || f.pointer.startsWith(`${outcome.target}/`) || meta.target.scope !== 'container'));
        const item: ChecklistItem = {
          ruleId: meta.id, status: outcome.waived ? 'waived' : 'fail', severity: finding?.severity ?? active.severity,
          message: finding?.message ?? meta.docs.summary, uri: file.uri, range: finding?.suppressed?.range ?? finding?.range ?? workloadRange,
        };
        if (finding?.suppressed?.reason) item.reason = finding.suppressed.reason;
        items.push(item);
      }
    }
    const groupResults = CHECKLIST_GROUPS.map((group) => ({ group, items: groups.get(group) as ChecklistItem[] })).filter((g) => g.items.length > 0);
    out.push({
      uri: file.uri, kind: resource.kind, name: resource.name ?? '(unnamed)', namespace: namespaceOf(resource.namespace), range: workloadRange,
      groups: groupResults, score: scoreOf(groupResults.flatMap((g) => g.items)).score,
    });
  }
  return out;
}

export function combine(workloads: WorkloadChecklist[]): Checklist {
  return { workloads, score: scoreOf(workloads.flatMap((w) => w.groups.flatMap((g) => g.items))).score };
}
