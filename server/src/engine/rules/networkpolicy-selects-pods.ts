import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { describeSelector, isEmptySelector, matches, parseSelector } from '../k8s/selectors';
import { isJsonObject, type JsonValue } from '../types';
import { defineRule } from '../rule';
import { REQUIRE_DEFINED_OPTION } from './utils/options';
import { hint } from './utils/network';
import { isApi, kindsText, managedWorkloadKinds, podOwners } from './utils/references';

/**
 * A NetworkPolicy's podSelector, and the podSelectors of its peers that stay in the policy's namespace (no
 * namespaceSelector), match the pod labels of some workload of that namespace. Empty selectors select every
 * pod and are not checked. Quiet when the workspace holds no workload (unless `requireDefined`).
 */
export default defineRule<{ requireDefined: boolean }>({
  meta: {
    id: 'networkpolicy-selects-pods',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['NetworkPolicy'], scope: 'object' },
    docs: {
      summary: 'A NetworkPolicy\'s podSelector, and its peers\' podSelectors, match the pods of some workload in its namespace.',
      rationale: 'A NetworkPolicy whose podSelector matches no pod protects nothing, and a peer podSelector that matches no pod allows no traffic: both usually come from a label that was renamed on one side, and both fail silently. Empty selectors select every pod of the namespace and are not checked; peers with a namespaceSelector select pods of other namespaces and are not checked either. When the workspace holds no workload at all the rule stays quiet, because the pods may be deployed from elsewhere; the option `requireDefined: true` checks anyway.',
      url: docsUrl('networkpolicy-selects-pods'),
    },
    messages: {
      pass: 'NetworkPolicy "{{name}}" selects pods of the workspace.',
      noPods: 'No {{kinds}} in namespace "{{namespace}}" has labels {{selector}}{{hint}}, so this policy applies to no pod.',
      noPeer: 'No {{kinds}} in namespace "{{namespace}}" has labels {{selector}}{{hint}}, so this {{direction}} peer matches no pod.',
    },
    aliases: { kubeLinter: ['dangling-networkpolicy', 'dangling-networkpolicypeer-podselector'], kubeScore: 'networkpolicy-targets-pod' },
    options: { type: 'object', properties: { requireDefined: REQUIRE_DEFINED_OPTION }, additionalProperties: false },
    defaultOptions: { requireDefined: false },
    crossResource: true,
    checklist: 'networking',
  },
  check(ctx) {
    const spec = ctx.value.spec;
    const owners = podOwners(ctx.workspace);
    if (!isApi(ctx.resource, 'networking.k8s.io/v1') || !isJsonObject(spec) || (owners.length === 0 && !ctx.options.requireDefined)) {
      ctx.notApplicable();
      return;
    }
    const namespace = ctx.resource.namespace;
    const near = owners.filter((o) => o.namespace === namespace);
    const elsewhere = owners.filter((o) => o.namespace !== namespace);
    const kinds = kindsText(managedWorkloadKinds(owners));
    const check = (value: JsonValue | undefined, at: string, messageId: 'noPods' | 'noPeer', direction?: string) => {
      const selector = parseSelector(value);
      if (!selector || isEmptySelector(selector) || near.some((o) => matches(selector, o.labels))) return;
      const data = { kinds, namespace, selector: describeSelector(selector), hint: hint(ctx.workspace, selector, near, elsewhere), ...(direction ? { direction } : {}) };
      ctx.report({ messageId, data, at, anchor: 'key' });
    };
    check(spec.podSelector, '/spec/podSelector', 'noPods');
    for (const [field, peers, direction] of [['ingress', 'from', 'ingress'], ['egress', 'to', 'egress']] as const) {
      const rules = spec[field];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        const list = isJsonObject(rule) ? rule[peers] : undefined;
        if (!Array.isArray(list)) return;
        list.forEach((peer, j) => {
          if (!isJsonObject(peer) || peer.namespaceSelector !== undefined) return;
          check(peer.podSelector, joinPointer('/spec', field, i, peers, j, 'podSelector'), 'noPeer', direction);
        });
      });
    }
  },
});
