import { docsUrl } from '../registry/docs';
import { describe, plural, prose } from './utils/text';
import { replicasOf } from './utils/workload';
import { describeBudget, hpaMaxReplicas, hpasTargeting, intOrPercent, isPdb, pdbSelectorOf, scaledBudget, workloadsSelectedBy } from './utils/references';
import { defineRule } from '../rule';

/**
 * A PodDisruptionBudget that can never allow a voluntary eviction: maxUnavailable 0 / 0%, minAvailable 100%, or a
 * minAvailable that needs every pod of the workloads it selects (at their largest: an HPA's maxReplicas).
 */
export default defineRule({
  meta: {
    id: 'pdb-allows-disruption',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['PodDisruptionBudget'], scope: 'object' },
    docs: {
      summary: 'A PodDisruptionBudget allows at least one voluntary eviction.',
      rationale: 'A budget that never allows an eviction blocks `kubectl drain`, node pool upgrades and the cluster autoscaler\'s scale-down until someone deletes it by hand. '
        + 'That is the case for `maxUnavailable: 0` (or `0%`), `minAvailable: 100%` (a percentage above 100% is rejected by the API server), and a `minAvailable` at least as large as the number of pods it selects: '
        + 'the replicas of the Deployments, StatefulSets, ReplicaSets and ReplicationControllers of its namespace in the workspace whose pod labels it selects '
        + '(a workload scaled by a HorizontalPodAutoscaler counts with its `maxReplicas`; a budget that blocks only at `minReplicas` is pdb-min-available-vs-hpa\'s finding). '
        + 'Percentages round up, as the disruption controller computes them: `minAvailable: 50%` of a single pod is 1, all of it. '
        + 'The fix for a zero `maxUnavailable` sets it to 1; a `minAvailable` needs a decision (fewer required pods or more replicas).',
      url: docsUrl('pdb-allows-disruption'),
    },
    messages: {
      pass: 'The disruption budget lets node drains evict a pod at a time.',
      maxUnavailableZero: 'PodDisruptionBudget "{{name}}" sets maxUnavailable: {{value}}, so none of its pods can be evicted; node drains and cluster upgrades wait until it is deleted.',
      minAvailableAll: 'PodDisruptionBudget "{{name}}" sets minAvailable: 100%, so none of its pods can be evicted; node drains and cluster upgrades wait until it is deleted.',
      minAvailableAbove100: 'PodDisruptionBudget "{{name}}" sets minAvailable: {{value}}, more than all of its pods: the API server rejects a percentage above 100%, and at 100% none of its pods could be evicted.',
      minAvailableReplicas: 'PodDisruptionBudget "{{name}}" requires {{required}} to stay available but selects only {{total}} ({{workloads}}), so none can be evicted; node drains and cluster upgrades wait until it is deleted.',
      minAvailableScaled: 'PodDisruptionBudget "{{name}}" requires {{required}} to stay available but selects at most {{total}} even when scaled up ({{workloads}}), so none can be evicted; node drains and cluster upgrades wait until it is deleted.',
    },
    aliases: { kubeLinter: ['pdb-min-available', 'pdb-max-unavailable'], polaris: ['pdbDisruptionsIsZero', 'pdbMinAvailableGreaterThanHPAMinReplicas'] },
    fixable: true,
    crossResource: true,
    checklist: 'availability',
  },
  check(ctx) {
    if (!isPdb(ctx.resource)) return;
    const name = ctx.resource.name ?? '';
    const maxUnavailable = ctx.get('/spec/maxUnavailable');
    const max = intOrPercent(maxUnavailable);
    if (max && max.value === 0) {
      ctx.report({
        messageId: 'maxUnavailableZero', data: { name, value: JSON.stringify(maxUnavailable) }, at: '/spec/maxUnavailable',
        fix: { title: 'Set maxUnavailable to 1', patch: [{ op: 'replace', path: '/spec/maxUnavailable', value: 1 }] },
      });
      return;
    }
    const min = intOrPercent(ctx.get('/spec/minAvailable'));
    if (!min) return;
    if (min.percent && min.value > 100) {
      ctx.report({ messageId: 'minAvailableAbove100', data: { name, value: `${min.value}%` }, at: '/spec/minAvailable' });
      return;
    }
    if (min.percent && min.value === 100) {
      ctx.report({ messageId: 'minAvailableAll', data: { name }, at: '/spec/minAvailable' });
      return;
    }
    const selector = pdbSelectorOf(ctx.value);
    if (!selector) return;
    const counted: string[] = [];
    let total = 0;
    let autoscaled = false;
    for (const workload of workloadsSelectedBy(ctx.workspace, selector, ctx.resource.namespace)) {
      const [hpa] = hpasTargeting(ctx.workspace, { kind: workload.kind as string, namespace: ctx.resource.namespace, ...(workload.name ? { name: workload.name } : {}) });
      const replicas = hpa ? hpaMaxReplicas(hpa.value) : replicasOf(workload.value);
      if (replicas === undefined) return;
      total += replicas;
      autoscaled ||= hpa !== undefined;
      counted.push(hpa ? `${describe(workload)}, scaled up to ${plural(replicas, 'pod')} by ${describe(hpa)}` : `${describe(workload)} with ${plural(replicas, 'replica')}`);
    }
    if (counted.length === 0 || total === 0 || scaledBudget(min, total) < total) return;
    ctx.report({
      messageId: autoscaled ? 'minAvailableScaled' : 'minAvailableReplicas', at: '/spec/minAvailable',
      data: { name, required: describeBudget(min, total), total: plural(total, 'pod'), workloads: prose(counted, 'and') },
    });
  },
});
