import { docsUrl } from '../registry/docs';
import { matches, parseSelector } from '../k8s/selectors';
import { isJsonObject, type JsonObject } from '../types';
import { defineRule, type FixSpec } from '../rule';
import { prose } from './utils/text';
import { inFileOrder, networkPolicies } from './utils/references';

type Direction = 'Ingress' | 'Egress';

/** The traffic directions a policy isolates: `policyTypes`, or Ingress (+ Egress when it has egress rules). */
function policyTypes(policy: JsonObject): Set<Direction> {
  const spec = isJsonObject(policy.spec) ? policy.spec : {};
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) {
    return new Set(spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress'));
  }
  return new Set<Direction>(spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** Whether a policy lists at least one rule for a direction. */
function hasRules(policy: JsonObject, direction: Direction): boolean {
  const rules = isJsonObject(policy.spec) ? policy.spec[direction === 'Ingress' ? 'ingress' : 'egress'] : undefined;
  return Array.isArray(rules) && rules.length > 0;
}

/**
 * Every workload's pods are selected by a NetworkPolicy of their namespace that isolates ingress (and egress
 * with `requireEgress`). Reports regardless of whether the workspace holds NetworkPolicies: their absence is the
 * finding. The fix appends a default-deny policy for the workload's pod labels.
 */
export default defineRule<{ requireEgress: boolean; requireRules: boolean }>({
  meta: {
    id: 'pod-has-networkpolicy',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Every workload\'s pods are selected by a NetworkPolicy that restricts their ingress (and egress, with `requireEgress`).',
      rationale: 'A pod that no NetworkPolicy selects accepts connections from every pod of the cluster, so one compromised workload can reach all the others. A policy only isolates the directions in its `policyTypes` (by default Ingress, plus Egress when it has egress rules); set `requireEgress: true` to also require egress isolation, as Polaris and kube-score do. This rule reports whether or not the workspace holds NetworkPolicies, because their absence is the problem; in a repository that manages no policies every workload is reported, so the rule suits strict configurations rather than a default one. Policies managed elsewhere (a platform repository) cannot be seen: turn the rule off there. The fix appends a default-deny NetworkPolicy for the workload\'s pod labels, with a TODO to add the traffic the pods need.',
      url: docsUrl('pod-has-networkpolicy'),
    },
    messages: {
      pass: 'A NetworkPolicy isolates the pods.',
      none: 'No NetworkPolicy in namespace "{{namespace}}" selects {{subject}}: {{directions}} traffic is not restricted.',
      uncovered: 'Only NetworkPolicies that leave {{directions}} traffic unrestricted select {{subject}} ({{policies}}).',
    },
    aliases: { kubeLinter: 'non-isolated-pod', polaris: 'missingNetworkPolicy', kubeScore: 'pod-networkpolicy' },
    options: {
      type: 'object',
      properties: {
        requireEgress: { type: 'boolean', description: 'Also require a policy that restricts egress (Polaris, kube-score).' },
        requireRules: { type: 'boolean', description: 'A policy counts for a direction only when it also lists at least one rule for it (`ingress:` or `egress:`), as Polaris requires; by default a deny-all policy counts.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { requireEgress: false, requireRules: false },
    fixable: true,
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    const labels = ctx.podLabels ?? {};
    const namespace = ctx.resource.namespace;
    const selecting = inFileOrder(networkPolicies(ctx.workspace)
      .filter((p) => ctx.workspace.namespaceOf(p) === namespace)
      .map((resource) => ({ resource, selector: parseSelector(isJsonObject(resource.value.spec) ? resource.value.spec.podSelector : undefined) }))
      .filter((p) => p.selector !== undefined && matches(p.selector, labels)));
    const needed: Direction[] = ctx.options.requireEgress ? ['Ingress', 'Egress'] : ['Ingress'];
    const covers = (policy: JsonObject, d: Direction) => policyTypes(policy).has(d) && (!ctx.options.requireRules || hasRules(policy, d));
    const missing = needed.filter((d) => !selecting.some((p) => covers(p.resource.value, d)));
    if (missing.length === 0) return;
    const kind = ctx.resource.kind;
    const workload = ctx.resource.name ?? '';
    const subject = kind === 'Pod' ? `the pod "${workload}"` : `the pods of ${kind} "${workload}"`;
    const data = {
      namespace, kind, workload, subject, directions: missing.map((d) => d.toLowerCase()).join(' and '),
      policies: prose(selecting.map((p) => `"${p.resource.name ?? ''}"`), 'and'),
    };
    ctx.report({
      messageId: selecting.length === 0 ? 'none' : 'uncovered', data, base: 'resource',
      // Under requireRules a deny-all policy would not count: which traffic to allow needs a human decision.
      ...(Object.keys(labels).length > 0 && !ctx.options.requireRules ? { fix: defaultDeny(ctx.resource.value, kind, workload, subject, namespace, labels, missing, ctx.workspace.find.bind(ctx.workspace)) } : {}),
    });
  },
});

/** A default-deny NetworkPolicy for the pods of one workload (no fix for unlabelled pods: it would select all). */
function defaultDeny(
  resource: JsonObject, kind: string, workload: string, subject: string, namespace: string, labels: Record<string, string>, directions: Direction[],
  find: (kind: string, namespace: string, name: string) => unknown,
): FixSpec {
  const metadata = isJsonObject(resource.metadata) ? resource.metadata : {};
  const suffix = directions.length === 1 && directions[0] === 'Egress' ? 'default-deny-egress' : 'default-deny';
  const base = workload || kind.toLowerCase();
  let name = `${base}-${suffix}`;
  if (find('NetworkPolicy', namespace, name) !== undefined) name = `${base}-${kind.toLowerCase()}-${suffix}`;
  const allow = [
    ...(directions.includes('Ingress') ? ['ingress from their clients'] : []),
    ...(directions.includes('Egress') ? ['egress to their dependencies and to DNS'] : []),
  ].join(', ');
  return {
    title: 'Append a default-deny NetworkPolicy for {{subject}}',
    patch: [{
      op: 'append-document',
      comment: `TODO: this policy denies all ${directions.map((d) => d.toLowerCase()).join(' and ')} traffic of ${subject};\nadd rules that allow the traffic they need (${allow}).`,
      value: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) },
        spec: { podSelector: { matchLabels: labels }, policyTypes: directions },
      },
    }],
  };
}
