/**
 * The rollout checklist: per workload, its readiness groups, each item pass / fail / waived / not applicable
 * with the rule that decided it and where, and a score. The formula is documented in docs/checklist.md:
 * every applicable item weighs by its severity (error 3, warning 2, info 1); passed and waived items count
 * as met; score = 100 x met weight / total weight (100 when nothing applies).
 */
import type { Engine, LintResult, Outcome } from '../engine';
import { matches, parseSelector } from '../k8s/selectors';
import { format, type ChecklistGroup } from '../rule';
import { valueAt } from '../util/pointer';
import { isJsonObject, type Finding, type JsonValue, type Range, type Severity } from '../types';
import { isWorkload, podSpecOf } from '../lint/walk';
import { LineIndex } from '../util/line-index';
import { spanOf } from '../yaml/locate';

export const CHECKLIST_GROUPS: readonly ChecklistGroup[] = ['health probes', 'resources', 'availability', 'security', 'images', 'networking', 'scaling', 'rollout & rollback'];

/** The group of the `rollout` rules, which also lists the existing items that matter to a rollout (ROLLOUT_RELATED). */
export const ROLLOUT_CHECKLIST_GROUP: ChecklistGroup = 'rollout & rollback';

/**
 * Rules of other groups whose items also matter to a rollout: listed in the rollout group too (marked with their
 * primary group, and counted once). A readiness probe stops a rollout of a version that never becomes ready, a
 * pinned image makes a rollback restore the exact previous build, RollingUpdate keeps pods serving. Budgets that
 * block every eviction (pdb-allows-disruption) are about PodDisruptionBudgets, not workloads: linkBudgets lists them.
 */
export const ROLLOUT_RELATED: readonly string[] = ['readiness-probe-set', 'image-tag-pinned', 'rolling-update-strategy'];

/** The PodDisruptionBudget rule whose items linkBudgets lists in the rollout group of the workloads a budget covers. */
const BUDGET_RULES: readonly string[] = ['pdb-allows-disruption'];

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
  /**
   * Set on an item listed in a second group (the rollout group lists some items of other groups): the group where it
   * is counted. Scores count each item once, in its primary group.
   */
  primaryGroup?: ChecklistGroup;
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
  /** The labels of its pods, to find the PodDisruptionBudgets that cover it (linkBudgets). */
  podLabels?: Record<string, string>;
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
    // An item repeated in a second group is counted in its primary group only.
    if (item.status === 'notApplicable' || item.live || item.primaryGroup !== undefined) continue;
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
    const rollout = groups.get(ROLLOUT_CHECKLIST_GROUP) as ChecklistItem[];
    for (const ruleId of ROLLOUT_RELATED) {
      for (const [group, items] of groups) {
        if (group === ROLLOUT_CHECKLIST_GROUP) continue;
        for (const item of items) if (item.ruleId === ruleId) rollout.push({ ...item, primaryGroup: group });
      }
    }
    const groupResults = CHECKLIST_GROUPS.map((group) => ({ group, items: groups.get(group) as ChecklistItem[] })).filter((g) => g.items.length > 0);
    const workload: WorkloadChecklist = {
      uri: file.uri, kind: resource.kind, name: resource.name ?? '(unnamed)', namespace: namespaceOf(resource.namespace), range: workloadRange,
      groups: groupResults, score: scoreOf(groupResults.flatMap((g) => g.items)).score,
    };
    const podLabels = podSpecOf(resource.kind, resource.value)?.labels;
    if (podLabels && Object.keys(podLabels).length > 0) workload.podLabels = podLabels;
    out.push(workload);
  }
  return out;
}

/** A PodDisruptionBudget's items of the budget rules, with what it selects: listed under the workloads it covers. */
export interface BudgetChecklist {
  namespace: string;
  selector: JsonValue;
  items: ChecklistItem[];
}

/** The budgets of one linted file (lintFile with outcomes) and their items of the budget rules that ran. */
export function fileBudgets(engine: Engine, result: LintResult, namespaceOf: (ns: string | undefined) => string): BudgetChecklist[] {
  const { file } = result;
  if (!result.outcomes) throw new Error('fileBudgets needs a lint result with outcomes (lintFile(..., { outcomes: true }))');
  const rules = [...engine.localRules, ...engine.crossRules].filter((a) => BUDGET_RULES.includes(a.rule.meta.id));
  if (rules.length === 0) return [];
  const lines = new LineIndex(file.text);
  const out: BudgetChecklist[] = [];
  for (const resource of file.resources) {
    if (resource.kind !== 'PodDisruptionBudget' || !String(resource.apiVersion ?? '').startsWith('policy/')) continue;
    const spec = resource.value.spec;
    const selector = isJsonObject(spec) ? spec.selector : undefined;
    if (selector === undefined) continue;
    const { doc } = resource;
    const name = resource.name ?? '';
    const items: ChecklistItem[] = [];
    for (const { rule, severity } of rules) {
      const { meta } = rule;
      for (const outcome of result.outcomes.filter((o) => o.ruleId === meta.id && o.docIndex === doc.index && o.resourcePointer === resource.pointer)) {
        if (outcome.notApplicable) continue;
        if (!outcome.failed) {
          const span = spanOf(doc, outcome.target, 'name');
          let message: string;
          try {
            message = format(meta.id, meta.messages.pass, { name, kind: resource.kind, namespace: namespaceOf(resource.namespace) });
          } catch {
            message = meta.docs.summary;
          }
          items.push({ ruleId: meta.id, status: 'pass', severity, message, uri: file.uri, range: lines.rangeOf({ start: span.start + doc.base, end: span.end + doc.base }) });
          continue;
        }
        const finding = result.findings.find((f) => f.ruleId === meta.id && f.docIndex === doc.index && (f.pointer === resource.pointer || f.pointer.startsWith(`${resource.pointer}/`)));
        const nameSpan = spanOf(doc, resource.pointer, 'name');
        const item: ChecklistItem = {
          ruleId: meta.id, status: outcome.waived ? 'waived' : 'fail', severity: finding?.severity ?? severity, message: finding?.message ?? meta.docs.summary, uri: file.uri,
          range: finding?.suppressed?.range ?? finding?.range ?? lines.rangeOf({ start: nameSpan.start + doc.base, end: nameSpan.end + doc.base }),
        };
        if (finding?.suppressed?.reason) item.reason = finding.suppressed.reason;
        items.push(item);
      }
    }
    if (items.length > 0) out.push({ namespace: namespaceOf(resource.namespace), selector, items });
  }
  return out;
}

/**
 * Lists each budget's items in the rollout group of the workloads it covers (same namespace, selector matching the
 * pod labels), wherever the budget is written: a budget that blocks every eviction stalls node drains and cluster
 * upgrades, and the rollouts that wait for them. Recomputes the scores of the workloads it changes.
 */
export function linkBudgets(workloads: WorkloadChecklist[], budgets: readonly BudgetChecklist[]): void {
  if (budgets.length === 0) return;
  const parsed = budgets.map((b) => ({ budget: b, selector: parseSelector(b.selector) }));
  for (const workload of workloads) {
    if (!workload.podLabels) continue;
    const labels = workload.podLabels;
    const covering = parsed.filter(({ budget, selector }) => budget.namespace === workload.namespace && selector !== undefined && matches(selector, labels));
    if (covering.length === 0) continue;
    let group = workload.groups.find((g) => g.group === ROLLOUT_CHECKLIST_GROUP);
    if (!group) {
      group = { group: ROLLOUT_CHECKLIST_GROUP, items: [] };
      workload.groups.push(group);
      workload.groups.sort((a, b) => CHECKLIST_GROUPS.indexOf(a.group) - CHECKLIST_GROUPS.indexOf(b.group));
    }
    for (const { budget } of covering) group.items.push(...budget.items.map((item) => ({ ...item })));
    workload.score = scoreOf(workload.groups.flatMap((g) => g.items)).score;
  }
}

export function combine(workloads: WorkloadChecklist[]): Checklist {
  return { workloads, score: scoreOf(workloads.flatMap((w) => w.groups.flatMap((g) => g.items))).score };
}
