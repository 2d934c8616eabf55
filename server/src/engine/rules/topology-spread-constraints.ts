import { docsUrl } from '../registry/docs';
import { describeSelector, matches, parseSelector } from '../k8s/selectors';
import type { JsonValue, PatchOp } from '../types';
import { asList, asObject } from './utils/json';
import { ownLabels, replicasOf, REPLICATED_KINDS } from './utils/workload';
import { describeLabels } from './utils/network';
import { defineRule } from '../rule';

interface Options {
  minReplicas: number;
  allowedTopologyKeys: string[];
  topologyKey: string;
  presenceOnly: boolean;
}

/**
 * Polaris `topologySpreadConstraint`, kube-score `pod-topology-spread-constraints`. Constraints that are set
 * must work (every workload): maxSkew and minDomains at least 1, a topologyKey, a labelSelector that selects
 * the pod itself. Workloads with several replicas must set one (Polaris requires it of every non-job pod spec;
 * kube-score accepts none, relying on the scheduler's cluster-wide defaults).
 */
export default defineRule<Options>({
  meta: {
    id: 'topology-spread-constraints',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Workloads with several replicas define valid `topologySpreadConstraints`.',
      rationale: 'Topology spread constraints keep replicas balanced across zones (or nodes), so that losing one zone loses only its share of the pods. A constraint only works when its labelSelector selects the pod\'s own labels (otherwise it counts other pods, or none), its maxSkew and minDomains are at least 1 and its topologyKey is set; the API server or the scheduler rejects or ignores the others. The scheduler applies cluster-wide default constraints when a pod sets none, which is why the requirement only applies to workloads with several replicas (option `minReplicas`). The quick fix adds a soft zone constraint (`whenUnsatisfiable: ScheduleAnyway`, which never blocks scheduling) selecting the workload\'s own labels.',
      url: docsUrl('topology-spread-constraints'),
    },
    messages: {
      pass: 'Pods are spread across the topology by valid topologySpreadConstraints (or need none).',
      missing: 'The {{replicas}} replicas set no topologySpreadConstraints: nothing keeps them balanced across zones.',
      maxSkew: 'topologySpreadConstraints[{{index}}] has maxSkew {{value}}; it must be at least 1.',
      minDomains: 'topologySpreadConstraints[{{index}}] has minDomains {{value}}; it must be at least 1.',
      topologyKey: 'topologySpreadConstraints[{{index}}] has an empty topologyKey.',
      topologyKeyNotAllowed: 'topologySpreadConstraints[{{index}}] spreads over "{{value}}", which is not one of {{allowed}}.',
      noSelector: 'topologySpreadConstraints[{{index}}] has no labelSelector, so it counts no pods and spreads nothing.',
      selectorMismatch: 'The labelSelector of topologySpreadConstraints[{{index}}] ({{selector}}) does not select the pod\'s own labels ({{labels}}).',
    },
    aliases: { polaris: 'topologySpreadConstraint', kubeScore: 'pod-topology-spread-constraints' },
    options: {
      type: 'object',
      properties: {
        minReplicas: { type: 'integer', minimum: 1, description: 'Deployments, StatefulSets, ReplicaSets and ReplicationControllers with at least this many replicas must set constraints (1: every one, as Polaris).' },
        allowedTopologyKeys: { type: 'array', items: { type: 'string' }, description: 'Topology keys constraints may use; empty allows any (Polaris allows kubernetes.io/hostname and topology.kubernetes.io/zone).' },
        topologyKey: { type: 'string', minLength: 1, description: 'The topology key of the constraint the quick fix adds.' },
        presenceOnly: { type: 'boolean', description: 'Only require constraints; do not check that their label selectors select the pods (Polaris checks presence only).' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minReplicas: 2, allowedTopologyKeys: [], topologyKey: 'topology.kubernetes.io/zone', presenceOnly: false },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const labels = ctx.podLabels ?? {};
    const constraints = asList(ctx.value.topologySpreadConstraints);
    const allowed = ctx.options.allowedTopologyKeys;
    constraints.forEach((item, index) => {
      const c = asObject(item);
      if (!c) return;
      const at = (key: string) => `/topologySpreadConstraints/${index}/${key}`;
      if (typeof c.maxSkew === 'number' && c.maxSkew < 1) ctx.report({ messageId: 'maxSkew', data: { index, value: c.maxSkew }, at: at('maxSkew') });
      if (typeof c.minDomains === 'number' && c.minDomains < 1) ctx.report({ messageId: 'minDomains', data: { index, value: c.minDomains }, at: at('minDomains') });
      if (c.topologyKey === '') ctx.report({ messageId: 'topologyKey', data: { index }, at: at('topologyKey') });
      else if (typeof c.topologyKey === 'string' && allowed.length > 0 && !allowed.includes(c.topologyKey)) {
        ctx.report({ messageId: 'topologyKeyNotAllowed', data: { index, value: c.topologyKey, allowed: allowed.join(', ') }, at: at('topologyKey') });
      }
      if (ctx.options.presenceOnly) return;
      const selector = parseSelector(c.labelSelector);
      if (!selector) ctx.report({ messageId: 'noSelector', data: { index }, at: at('labelSelector') });
      else if (!matches(selector, labels)) {
        ctx.report({ messageId: 'selectorMismatch', data: { index, selector: describeSelector(selector), labels: describeLabels(labels) }, at: at('labelSelector') });
      }
    });
    if (constraints.length > 0 || !REPLICATED_KINDS.includes(ctx.resource.kind)) return;
    const replicas = replicasOf(ctx.resource.value);
    if (replicas === undefined || replicas < ctx.options.minReplicas) return;
    const own = ownLabels(ctx.resource.value, labels);
    const constraint: JsonValue = { maxSkew: 1, topologyKey: ctx.options.topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: own ?? {} } };
    // `topologySpreadConstraints: []` is rewritten in block style rather than filled in flow style.
    const patch: PatchOp[] = [
      ...(ctx.value.topologySpreadConstraints !== undefined ? [{ op: 'remove', path: '/topologySpreadConstraints' } satisfies PatchOp] : []),
      { op: 'add', path: '/topologySpreadConstraints', value: [constraint] },
    ];
    const fix = own ? { title: `Spread pods with ${describeLabels(own)} across ${ctx.options.topologyKey} (ScheduleAnyway)`, patch } : undefined;
    ctx.report({ messageId: 'missing', data: { replicas }, at: '/topologySpreadConstraints', ...(fix ? { fix } : {}) });
  },
});
