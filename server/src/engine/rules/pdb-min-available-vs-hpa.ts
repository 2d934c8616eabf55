import { docsUrl } from '../registry/docs';
import type { WorkspaceResource } from '../workspace';
import { describe, plural } from './utils/text';
import { replicasOf } from './utils/workload';
import { describeBudget, hpaMaxReplicas, hpaMinReplicas, hpasTargeting, intOrPercent, isPdb, pdbSelectorOf, scaledBudget, workloadsSelectedBy } from './utils/references';
import { valueAt } from '../util/pointer';
import type { JsonObject } from '../types';
import { defineRule } from '../rule';

function minReplicasUnset(hpa: JsonObject): boolean {
  return valueAt(hpa, '/spec/minReplicas') === undefined;
}

/**
 * A PDB's minAvailable leaves room for an eviction when the HorizontalPodAutoscalers of the workloads it selects
 * have scaled them down to their minReplicas.
 */
interface Options {
  aboveMinimumOnly: boolean;
  unsetMinReplicas: boolean;
}

export default defineRule<Options>({
  meta: {
    id: 'pdb-min-available-vs-hpa',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['PodDisruptionBudget'], scope: 'object' },
    docs: {
      summary: 'A PodDisruptionBudget\'s minAvailable is below the minReplicas of the HorizontalPodAutoscaler that scales its pods.',
      rationale: 'At low load the HPA scales a workload down to `minReplicas`. If the budget then requires that many pods (or more) to stay available, '
        + 'no pod can be evicted: node drains, cluster upgrades and scale-downs of the cluster autoscaler stall every night when traffic is low. '
        + 'kgov counts the pods of the workloads of the budget\'s namespace in the workspace whose labels it selects, each scaled down to its HPA\'s `minReplicas` (unset means 1), '
        + 'and resolves a percentage against that count, rounding up as the disruption controller does. '
        + 'Polaris reports only `minAvailable` greater than `minReplicas`, and only when `minReplicas` is set; kgov also reports equality, which blocks evictions just the same, '
        + 'and counts an unset `minReplicas` as the 1 the API server defaults it to (options `aboveMinimumOnly` and `unsetMinReplicas: false` reproduce Polaris). '
        + 'A budget that blocks even at `maxReplicas` is reported by pdb-allows-disruption instead. '
        + 'There is no automatic fix: lower `minAvailable` (or use `maxUnavailable`) or raise the HPA\'s `minReplicas`.',
      url: docsUrl('pdb-min-available-vs-hpa'),
    },
    messages: {
      pass: 'The disruption budget leaves room for an eviction when the autoscaler has scaled down.',
      blocksAtMin: 'PodDisruptionBudget "{{name}}" requires {{required}} to stay available, but {{hpa}} ({{where}}) may scale {{workload}} down until the budget selects only {{minimum}}; then no pod can be evicted.',
    },
    aliases: { polaris: 'pdbMinAvailableGreaterThanHPAMinReplicas', kubeLinter: 'pdb-min-available' },
    options: {
      type: 'object', additionalProperties: false,
      properties: {
        aboveMinimumOnly: { type: 'boolean', description: 'Report only a budget that requires more pods than the minimum, not exactly as many (Polaris).' },
        unsetMinReplicas: { type: 'boolean', description: 'Count an HPA without `minReplicas` with the API default of 1 (default true); false skips such HPAs (Polaris).' },
      },
    },
    defaultOptions: { aboveMinimumOnly: false, unsetMinReplicas: true },
    crossResource: true,
    checklist: 'availability',
  },
  check(ctx) {
    if (!isPdb(ctx.resource)) return;
    const min = intOrPercent(ctx.get('/spec/minAvailable'));
    const selector = pdbSelectorOf(ctx.value);
    if (!min || !selector) return;
    const { namespace } = ctx.resource;
    let low = 0;
    let high = 0;
    let scaled: { hpa: WorkspaceResource; workload: WorkspaceResource } | undefined;
    for (const workload of workloadsSelectedBy(ctx.workspace, selector, namespace)) {
      const [hpa] = hpasTargeting(ctx.workspace, { kind: workload.kind as string, namespace, ...(workload.name ? { name: workload.name } : {}) });
      if (hpa && !ctx.options.unsetMinReplicas && minReplicasUnset(hpa.value)) return;
      const lowest = hpa ? hpaMinReplicas(hpa.value) : replicasOf(workload.value);
      const highest = hpa ? hpaMaxReplicas(hpa.value) : lowest;
      if (lowest === undefined || highest === undefined) return;
      low += lowest;
      high += highest;
      if (hpa && !scaled) scaled = { hpa, workload };
    }
    if (!scaled || low === 0) return;
    // Blocked even at the largest size: pdb-allows-disruption reports that.
    if (scaledBudget(min, high) >= high) return;
    const required = scaledBudget(min, low);
    if (required < low || (ctx.options.aboveMinimumOnly && required === low)) return;
    ctx.report({
      messageId: 'blocksAtMin', at: '/spec/minAvailable',
      data: {
        name: ctx.resource.name ?? '', required: describeBudget(min, low), hpa: describe(scaled.hpa), where: ctx.workspace.where(scaled.hpa),
        workload: describe(scaled.workload), minimum: plural(low, 'pod'),
      },
    });
  },
});
