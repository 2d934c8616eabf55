import { docsUrl } from '../registry/docs';
import { describeSelector, matches, parseSelector } from '../k8s/selectors';
import type { JsonObject, JsonValue, PatchOp } from '../types';
import { asList, asObject } from './utils/json';
import { ownLabels, replicasOf, REPLICATED_KINDS } from './utils/workload';
import { describeLabels } from './utils/network';
import { valueAt } from '../util/pointer';
import { defineRule } from '../rule';

interface Options {
  minReplicas: number;
  unsetReplicas: boolean;
  topologyKeys: string[];
}

/** Why a term does not keep this workload's replicas apart, or undefined when it does (kube-linter's test). */
function termProblem(term: JsonObject | undefined, namespace: string, labels: Record<string, string>, keys: readonly string[]): string | undefined {
  if (!term) return 'it has no podAffinityTerm';
  const namespaces = asList(term.namespaces).filter((n): n is string => typeof n === 'string');
  if (namespaces.length > 0 && !namespaces.includes(namespace)) return `its namespaces (${namespaces.join(', ')}) do not include "${namespace}"`;
  const key = typeof term.topologyKey === 'string' ? term.topologyKey : '';
  if (!keys.includes(key)) return `its topologyKey is "${key}", not ${keys.join(' or ')}`;
  const selector = parseSelector(term.labelSelector);
  if (!selector) return 'it has no labelSelector, so it selects no pod';
  if (!matches(selector, labels)) return `its labelSelector (${describeSelector(selector)}) does not select the pod's own labels (${describeLabels(labels)})`;
  return undefined;
}

/**
 * kube-linter `no-anti-affinity`, kube-score `deployment-has-host-podantiaffinity` /
 * `statefulset-has-host-podantiaffinity`: a workload with several replicas asks the scheduler to keep them on
 * different nodes, with a (preferred or required) podAntiAffinity term on the node's hostname that selects its
 * own pods.
 */
export default defineRule<Options>({
  meta: {
    id: 'pod-anti-affinity',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: REPLICATED_KINDS, scope: 'podSpec' },
    docs: {
      summary: 'Workloads with several replicas ask the scheduler to spread them across nodes (`podAntiAffinity`).',
      rationale: 'Replicas exist to survive the loss of one of them, but without anti-affinity the scheduler may place all of them on the same node, and one node drain, kernel panic or spot reclaim takes the whole service down. A term counts when its topologyKey is the node hostname (option `topologyKeys`), its labelSelector selects the pod\'s own labels and its namespaces, if any, include the workload\'s. The quick fix adds a preferred (soft) term from the workload\'s selector labels, which never blocks scheduling; it is offered only when the pod template has labels.',
      url: docsUrl('pod-anti-affinity'),
    },
    messages: {
      pass: 'Its replicas are kept on different nodes by podAntiAffinity (or it has too few replicas to need it).',
      missing: 'The {{replicas}} may all land on one node: the pod template sets no podAntiAffinity.',
      empty: 'podAntiAffinity has no preferred or required term, so the {{replicas}} may all land on one node.',
      noMatchingTerm: 'No podAntiAffinity term keeps the {{replicas}} on different nodes: {{reason}}.',
    },
    aliases: { kubeLinter: 'no-anti-affinity', kubeScore: ['deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity'] },
    options: {
      type: 'object',
      properties: {
        minReplicas: { type: 'integer', minimum: 2, description: 'Workloads with at least this many replicas are checked.' },
        unsetReplicas: { type: 'boolean', description: 'Also check workloads that do not set `replicas` (kube-score: the count is left to `kubectl scale` or an autoscaler, so it may grow).' },
        topologyKeys: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Topology keys that count as "different nodes"; the fix uses the first.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minReplicas: 2, topologyKeys: ['kubernetes.io/hostname'], unsetReplicas: false },
    fixable: true,
    checklist: 'availability',
  },
  check(ctx) {
    const replicas = replicasOf(ctx.resource.value);
    const unset = valueAt(ctx.resource.value, '/spec/replicas') === undefined;
    if (replicas === undefined || (replicas < ctx.options.minReplicas && !(unset && ctx.options.unsetReplicas))) return;
    const labels = ctx.podLabels ?? {};
    const keys = ctx.options.topologyKeys;
    const anti = asObject(asObject(ctx.value.affinity)?.podAntiAffinity);
    const preferred = anti?.preferredDuringSchedulingIgnoredDuringExecution;
    const required = anti?.requiredDuringSchedulingIgnoredDuringExecution;
    const terms: Array<JsonObject | undefined> = [
      ...asList(preferred).map((p) => asObject(asObject(p)?.podAffinityTerm)),
      ...asList(required).map((r) => asObject(r)),
    ];
    // An unset count is checked only under `unsetReplicas`: it may be scaled up later.
    const data = { replicas: unset && replicas < ctx.options.minReplicas ? 'replicas (their number is not set)' : `${replicas} replicas` };
    if (anti && terms.length > 0) {
      const problems = terms.map((t) => termProblem(t, ctx.resource.namespace, labels, keys));
      if (problems.includes(undefined)) return;
      ctx.report({ messageId: 'noMatchingTerm', data: { ...data, reason: problems[0] as string }, at: '/affinity/podAntiAffinity' });
      return;
    }
    const own = ownLabels(ctx.resource.value, labels);
    const term: JsonValue = { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: own ?? {} }, topologyKey: keys[0] ?? 'kubernetes.io/hostname' } };
    const value: JsonValue = { preferredDuringSchedulingIgnoredDuringExecution: [term] };
    // An empty podAntiAffinity (`{}`, `preferred...: []`) is rewritten in block style rather than filled in flow style.
    const patch: PatchOp[] = !anti ? [{ op: 'add', path: '/affinity/podAntiAffinity', value }]
      : Object.keys(asObject(ctx.value.affinity) ?? {}).length === 1
        ? [{ op: 'remove', path: '/affinity' }, { op: 'add', path: '/affinity/podAntiAffinity', value }]
        : [{ op: 'remove', path: '/affinity/podAntiAffinity' }, { op: 'add', path: '/affinity/podAntiAffinity', value }];
    const fix = own ? { title: `Prefer to spread pods with ${describeLabels(own)} across ${keys[0] ?? 'kubernetes.io/hostname'}`, patch } : undefined;
    ctx.report({ messageId: anti ? 'empty' : 'missing', data, at: anti ? '/affinity/podAntiAffinity' : '/affinity', ...(fix ? { fix } : {}) });
  },
});
