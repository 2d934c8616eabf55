import { docsUrl } from '../registry/docs';
import { isPdb } from './utils/references';
import { defineRule } from '../rule';

/** A PodDisruptionBudget states its unhealthyPodEvictionPolicy; AlwaysAllow lets drains evict pods that are not ready anyway. */
export default defineRule({
  meta: {
    id: 'pdb-unhealthy-pod-eviction-policy',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['PodDisruptionBudget'], scope: 'object' },
    docs: {
      summary: 'A PodDisruptionBudget sets `unhealthyPodEvictionPolicy` (usually `AlwaysAllow`).',
      rationale: 'With the default policy (`IfHealthyBudget`), running pods that are not ready, such as a pod stuck in CrashLoopBackOff, may only be evicted while the budget is satisfied. '
        + 'A workload with a broken pod therefore blocks node drains and cluster upgrades, although evicting the broken pod costs no availability. '
        + '`AlwaysAllow` lets such pods be evicted, which is what the Kubernetes documentation recommends for most applications. '
        + 'An explicit `IfHealthyBudget` is respected as a deliberate choice (for an application that must not lose even not-ready pods, such as a database recovering data). '
        + 'The fix adds `unhealthyPodEvictionPolicy: AlwaysAllow`.',
      url: docsUrl('pdb-unhealthy-pod-eviction-policy'),
    },
    messages: {
      pass: 'The disruption budget states how pods that are not ready may be evicted.',
      missing: 'PodDisruptionBudget "{{name}}" does not set unhealthyPodEvictionPolicy, so a pod that is not ready may block node drains; AlwaysAllow lets it be evicted.',
    },
    aliases: { kubeLinter: 'pdb-unhealthy-pod-eviction-policy' },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    if (!isPdb(ctx.resource) || ctx.get('/spec/unhealthyPodEvictionPolicy') !== undefined) return;
    ctx.report({
      messageId: 'missing', data: { name: ctx.resource.name ?? '' }, at: '/spec/unhealthyPodEvictionPolicy',
      fix: { title: 'Set unhealthyPodEvictionPolicy: AlwaysAllow', patch: [{ op: 'add', path: '/spec/unhealthyPodEvictionPolicy', value: 'AlwaysAllow' }] },
    });
  },
});
