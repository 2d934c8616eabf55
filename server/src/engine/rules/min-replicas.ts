import { docsUrl } from '../registry/docs';
import { groupOf } from '../k8s/kinds';
import { describe, plural } from './utils/text';
import { hpasTargeting } from './utils/references';
import { defineRule } from '../rule';

interface Options {
  minimum: number;
  kinds: string[];
}

/**
 * A Deployment (and optionally a StatefulSet) runs at least `minimum` replicas, unless an HPA in the workspace scales
 * it (then the HPA's minReplicas is what counts: hpa-min-replicas). `replicas: 0` parks a workload on purpose.
 */
export default defineRule<Options>({
  meta: {
    id: 'min-replicas',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: ['Deployment', 'StatefulSet'], scope: 'object' },
    docs: {
      summary: 'Deployments run at least two replicas (configurable), unless a HorizontalPodAutoscaler scales them.',
      rationale: 'A single replica is a single point of failure: every rollout, node drain, eviction or crash takes the service down until the replacement pod is ready. '
        + 'The default minimum is 2, as in Polaris and kube-score; kube-linter asks for 3 (`minimum: 3`). An unset `spec.replicas` means 1. '
        + 'A workload that a HorizontalPodAutoscaler in the workspace targets is skipped (its replica count belongs to the HPA; see hpa-min-replicas and no-replicas-with-hpa), and `replicas: 0` is read as a workload parked on purpose. '
        + 'Only Deployments are checked by default: a single-replica StatefulSet is usually a deliberate single-instance database whose replica count is a data-topology decision; add `StatefulSet` to `kinds` to check them too. '
        + 'The fix sets `spec.replicas` to the minimum.',
      url: docsUrl('min-replicas'),
    },
    messages: {
      pass: 'Runs enough replicas to stay available while a pod restarts.',
      missing: '{{workload}} does not set replicas, so it runs 1 pod; at least {{minimum}} keep it available while a pod restarts or a node drains.',
      tooFew: '{{workload}} runs {{replicas}}; at least {{minimum}} keep it available while a pod restarts or a node drains.',
    },
    aliases: { kubeLinter: 'minimum-three-replicas', polaris: 'deploymentMissingReplicas', kubeScore: 'deployment-replicas' },
    options: {
      type: 'object',
      properties: {
        minimum: { type: 'integer', minimum: 1, description: 'The fewest replicas a workload may run (kube-linter uses 3).' },
        kinds: { type: 'array', items: { enum: ['Deployment', 'StatefulSet'] }, uniqueItems: true, description: 'Which workload kinds are checked.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minimum: 2, kinds: ['Deployment'] },
    fixable: true,
    crossResource: true,
    checklist: 'availability',
  },
  check(ctx) {
    const { kind, apiVersion } = ctx.resource;
    if (groupOf(apiVersion) !== 'apps' || !ctx.options.kinds.includes(kind)) return;
    if (hpasTargeting(ctx.workspace, ctx.resource).length > 0) return;
    const minimum = ctx.options.minimum;
    const workload = describe(ctx.resource);
    const replicas = ctx.get('/spec/replicas');
    if (replicas === undefined) {
      if (minimum <= 1) return;
      ctx.report({
        messageId: 'missing', data: { workload, minimum }, at: '/spec/replicas',
        fix: { title: 'Set replicas to {{minimum}}', patch: [{ op: 'add', path: '/spec/replicas', value: minimum }] },
      });
      return;
    }
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas === 0 || replicas >= minimum) return;
    ctx.report({
      messageId: 'tooFew', data: { workload, replicas: plural(replicas, 'replica'), minimum }, at: '/spec/replicas',
      fix: { title: 'Set replicas to {{minimum}}', patch: [{ op: 'replace', path: '/spec/replicas', value: minimum }] },
    });
  },
});
