import { docsUrl } from '../registry/docs';
import { groupOf } from '../k8s/kinds';
import { describe } from './utils/text';
import { REPLICATED_KINDS, SCALABLE_GROUPS } from './utils/workload';
import { hpasTargeting } from './utils/references';
import { defineRule } from '../rule';

/** A workload that an HPA scales leaves `spec.replicas` to the HPA. */
export default defineRule({
  meta: {
    id: 'no-replicas-with-hpa',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: REPLICATED_KINDS, scope: 'object' },
    docs: {
      summary: 'A workload that a HorizontalPodAutoscaler scales does not set `spec.replicas`.',
      rationale: 'The HPA owns the replica count of its target. A `spec.replicas` in the manifest resets it on every apply or GitOps sync: '
        + 'a Deployment the HPA had scaled to 12 pods under load drops to the manifest\'s 3 until the HPA catches up again. '
        + 'The fix removes the field. When the workload is already deployed with client-side `kubectl apply`, removing the field from the manifest makes the next apply '
        + 'reset the workload to 1 replica once; see "Migrating Deployments and StatefulSets to horizontal autoscaling" in the Kubernetes documentation '
        + '(edit the last-applied configuration first, or use server-side apply). Only HPAs of the workload\'s namespace in the workspace are considered.',
      url: docsUrl('no-replicas-with-hpa'),
    },
    messages: {
      pass: 'Leaves the replica count to its HorizontalPodAutoscaler.',
      replicas: '{{workload}} sets replicas: {{replicas}}, but {{hpa}} ({{where}}) scales it; every apply resets the replica count to {{replicas}}.',
    },
    aliases: { kubeScore: 'deployment-targeted-by-hpa-does-not-have-replicas-configured' },
    fixable: true,
    crossResource: true,
    checklist: 'scaling',
  },
  check(ctx) {
    const { kind, apiVersion } = ctx.resource;
    if (groupOf(apiVersion) !== SCALABLE_GROUPS[kind]) return;
    const replicas = ctx.get('/spec/replicas');
    if (replicas === undefined) return;
    const [hpa] = hpasTargeting(ctx.workspace, ctx.resource);
    if (!hpa) return;
    ctx.report({
      messageId: 'replicas', at: '/spec/replicas', anchor: 'key',
      data: { workload: describe(ctx.resource), replicas: JSON.stringify(replicas), hpa: describe(hpa), where: ctx.workspace.where(hpa) },
      fix: { title: 'Remove replicas (the HorizontalPodAutoscaler sets them)', patch: [{ op: 'remove', path: '/spec/replicas' }] },
    });
  },
});
