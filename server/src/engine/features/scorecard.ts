/**
 * The governance scorecard (docs/scorecard.md): per dimension, the share of workloads whose items of that dimension
 * all pass (or of built-in resources the next Kubernetes versions still serve), the target it must reach, and
 * whether it does. Computed from the rollout checklist, the rules' categories and the upgrade outlook
 * (features/upgrade.ts) only, so it is the same wherever it is computed (CLI, editor) and does not depend on the
 * order of files or workloads.
 */
import type { Engine } from '../engine';
import { DEFAULT_SCORECARD_TARGETS, SCORECARD_DIMENSIONS, type ScorecardDimension, type ScorecardTargets } from '../config/config';
import type { SchemaCatalog } from '../schema/catalog';
import type { Range } from '../types';
import { ROLLOUT_CHECKLIST_GROUP, type ChecklistItem, type WorkloadChecklist } from './checklist';
import { upgradeReadiness, type UpgradeOutlook, type UpgradeResource } from './upgrade';

export { DEFAULT_SCORECARD_TARGETS, SCORECARD_DIMENSIONS, type ScorecardDimension, type ScorecardTargets };

const WORKLOAD_DIMENSIONS: ReadonlyArray<{ id: Exclude<ScorecardDimension, 'upgradeReadiness'>; categories: readonly string[] }> = [
  { id: 'security', categories: ['security', 'rbac'] },
  { id: 'reliability', categories: ['reliability'] },
  { id: 'rolloutSafety', categories: ['rollout'] },
  { id: 'efficiency', categories: ['efficiency'] },
  { id: 'supplyChain', categories: ['images'] },
];

export const DIMENSION_TITLES: Readonly<Record<ScorecardDimension, string>> = {
  security: 'Security', reliability: 'Reliability', rolloutSafety: 'Rollout safety', efficiency: 'Efficiency',
  supplyChain: 'Supply chain', upgradeReadiness: 'Upgrade readiness',
};

/** What each share counts, in a phrase (reports show it under the dimension). */
export const DIMENSION_MEASURES: Readonly<Record<ScorecardDimension, string>> = {
  security: 'workloads whose security and RBAC items all pass',
  reliability: 'workloads whose reliability items all pass',
  rolloutSafety: 'workloads whose rollout and rollback items all pass',
  efficiency: 'workloads whose resource-efficiency items all pass',
  supplyChain: 'workloads whose image items all pass',
  upgradeReadiness: 'built-in resources the next two Kubernetes versions still serve',
};

export type DimensionVerdict = 'pass' | 'fail';

export interface ScorecardDimensionResult {
  id: ScorecardDimension;
  title: string;
  /** What `passed` and `total` count. */
  unit: 'workloads' | 'resources';
  passed: number;
  total: number;
  /** floor(100 x passed / total), so a share shown as 90 % has reached 90 %; absent when nothing was counted. */
  percent?: number;
  /** In percent. */
  target: number;
  /** passed / total >= target / 100; absent when nothing was counted (no data, neither met nor missed). */
  met?: boolean;
  /** Why there is no data, when there is none. */
  note?: string;
}

export interface WorkloadScore {
  uri: string;
  kind: string;
  name: string;
  namespace: string;
  range: Range;
  /** The checklist score (docs/checklist.md). */
  score: number;
  /** Per dimension the workload has applicable items in: do they all pass? */
  dimensions: Partial<Record<ScorecardDimension, DimensionVerdict>>;
  /** The failing items (waived ones are not failing), each once, in file order. */
  failing: ChecklistItem[];
}

export interface Scorecard {
  kubernetesVersion: string;
  dimensions: ScorecardDimensionResult[];
  /** Sorted by namespace, kind, name, file. */
  workloads: WorkloadScore[];
  /** What the next versions stop serving, when it was computed. */
  upgrade?: UpgradeOutlook;
}

export interface ScorecardInput {
  kubernetesVersion: string;
  workloads: readonly WorkloadChecklist[];
  /** The category of a rule id (rule meta, declarative policies included): see ruleCategories. */
  categoryOf: (ruleId: string) => string | undefined;
  /** The audited resources, for upgrade readiness (features/upgrade.ts) against `kubernetesVersion`. */
  upgrade?: { catalog: SchemaCatalog; resources: readonly UpgradeResource[] };
  /** `.kgov.yaml` `scorecard:`; missing dimensions keep DEFAULT_SCORECARD_TARGETS. */
  targets?: Partial<ScorecardTargets>;
}

/** Rule id -> category of every rule the engines run (rules and declarative policies). */
export function ruleCategories(engines: Iterable<Engine>): Map<string, string> {
  const out = new Map<string, string>();
  for (const engine of engines) {
    for (const { rule } of [...engine.localRules, ...engine.crossRules]) out.set(rule.meta.id, rule.meta.category);
  }
  return out;
}

function itemKey(item: ChecklistItem): string {
  return JSON.stringify([item.ruleId, item.uri, item.range.start.line, item.range.start.character, item.message]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Does this item belong to the dimension? By its rule's category; rollout safety also takes the rollout group. */
function inDimension(dimension: (typeof WORKLOAD_DIMENSIONS)[number], item: ChecklistItem, group: string, categoryOf: (ruleId: string) => string | undefined): boolean {
  if (dimension.id === 'rolloutSafety' && group === ROLLOUT_CHECKLIST_GROUP) return true;
  const category = categoryOf(item.ruleId);
  return category !== undefined && dimension.categories.includes(category);
}

function share(id: ScorecardDimension, unit: ScorecardDimensionResult['unit'], passed: number, total: number, target: number, note?: string): ScorecardDimensionResult {
  const result: ScorecardDimensionResult = { id, title: DIMENSION_TITLES[id], unit, passed, total, target };
  if (total > 0) {
    result.percent = Math.floor((100 * passed) / total);
    result.met = 100 * passed >= target * total;
  } else if (note) result.note = note;
  return result;
}

export function scorecard(input: ScorecardInput): Scorecard {
  const targets: ScorecardTargets = { ...DEFAULT_SCORECARD_TARGETS, ...input.targets };
  const workloads: WorkloadScore[] = input.workloads.map((workload) => {
    const dimensions: WorkloadScore['dimensions'] = {};
    for (const dimension of WORKLOAD_DIMENSIONS) {
      // Live items report the cluster's state, not the manifest's; not-applicable items have no verdict.
      const items = workload.groups.flatMap((g) => g.items.filter((item) => item.status !== 'notApplicable' && !item.live && inDimension(dimension, item, g.group, input.categoryOf)));
      if (items.length > 0) dimensions[dimension.id] = items.some((item) => item.status === 'fail') ? 'fail' : 'pass';
    }
    const failing = new Map<string, ChecklistItem>();
    for (const item of workload.groups.flatMap((g) => g.items)) if (item.status === 'fail' && !item.live) failing.set(itemKey(item), item);
    return {
      uri: workload.uri, kind: workload.kind, name: workload.name, namespace: workload.namespace, range: workload.range, score: workload.score, dimensions,
      failing: [...failing.values()].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compareText(a.ruleId, b.ruleId)),
    };
  });
  workloads.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.kind, b.kind) || compareText(a.name, b.name) || compareText(a.uri, b.uri)
    || a.range.start.line - b.range.start.line);

  const dimensions = WORKLOAD_DIMENSIONS.map(({ id }) => {
    const verdicts = workloads.map((w) => w.dimensions[id]).filter((v): v is DimensionVerdict => v !== undefined);
    const note = workloads.length === 0 ? 'no workloads' : `no workload has ${DIMENSION_TITLES[id].toLowerCase()} items (rules off?)`;
    return share(id, 'workloads', verdicts.filter((v) => v === 'pass').length, verdicts.length, targets[id], note);
  });
  if (!input.upgrade) {
    dimensions.push(share('upgradeReadiness', 'resources', 0, 0, targets.upgradeReadiness, 'not computed'));
    return { kubernetesVersion: input.kubernetesVersion, dimensions, workloads };
  }
  const { catalog, resources } = input.upgrade;
  const outlook = upgradeReadiness(catalog, resources, input.kubernetesVersion);
  dimensions.push(upgradeShare(catalog, resources, outlook, targets.upgradeReadiness));
  return { kubernetesVersion: input.kubernetesVersion, dimensions, workloads, upgrade: outlook };
}

/** Built-in resources that no bundled next version removes, out of those the target serves (the outlook's scope). */
function upgradeShare(catalog: SchemaCatalog, resources: readonly UpgradeResource[], outlook: UpgradeOutlook, target: number): ScorecardDimensionResult {
  if (!outlook.next.some((n) => n.bundled)) {
    return share('upgradeReadiness', 'resources', 0, 0, target, `kgov bundles no Kubernetes version after ${outlook.target}`);
  }
  const served = resources.filter((r) => catalog.kind(r.apiVersion, r.kind)?.served.includes(outlook.target)).length;
  const removed = outlook.next.reduce((n, next) => n + next.removed.length, 0);
  return share('upgradeReadiness', 'resources', served - removed, served, target, 'no built-in resources');
}

/** The dimensions met, out of those with data. */
export function dimensionsMet(card: Scorecard): { met: number; measured: number } {
  const measured = card.dimensions.filter((d) => d.met !== undefined);
  return { met: measured.filter((d) => d.met).length, measured: measured.length };
}

