import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'no-host-network',
    category: 'security',
    defaultSeverity: 'error',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not share the node\'s network namespace (`hostNetwork`).',
      rationale: 'With hostNetwork the pod sees every interface of the node, can bind its ports and sniff its traffic, and bypasses NetworkPolicies. The Pod Security Standards forbid it at the baseline level.',
      url: docsUrl('no-host-network'),
    },
    messages: {
      pass: 'Uses the pod network, not the node\'s (hostNetwork is off).',
      hostNetwork: 'The pod shares the node\'s network namespace (hostNetwork: true).',
    },
    aliases: { kubeLinter: 'host-network', polaris: 'hostNetworkSet', pss: 'hostNamespaces' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (ctx.value.hostNetwork !== true) return;
    ctx.report({ messageId: 'hostNetwork', at: '/hostNetwork', anchor: 'value', fix: { title: 'Remove hostNetwork', patch: [{ op: 'remove', path: '/hostNetwork' }] } });
  },
});
