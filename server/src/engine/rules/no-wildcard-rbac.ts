import { docsUrl } from '../registry/docs';
import { policyRules } from './utils/rbac';
import { defineRule } from '../rule';

/**
 * kube-linter `wildcard-in-rules` (CIS 5.1.3): a `*` in a Role/ClusterRole rule grants whatever the API adds
 * later (new resources, CRDs, verbs). One finding per rule entry, on its first list with a wildcard.
 */
export default defineRule({
  meta: {
    id: 'no-wildcard-rbac',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: ['Role', 'ClusterRole'], scope: 'object' },
    docs: {
      summary: 'Role and ClusterRole rules name their API groups, resources, verbs and URLs instead of using `*`.',
      rationale: 'A wildcard grants more than anyone reviewed: `resources: ["*"]` includes Secrets and every custom resource installed later, `verbs: ["*"]` includes escalate, bind and impersonate, and `apiGroups: ["*"]` covers every API group that will ever exist. Listing what the subject needs keeps the role least-privileged as the cluster grows (CIS Kubernetes Benchmark 5.1.3). Wildcard subresources such as `*/scale` count, and so does `nonResourceURLs: ["*"]`.',
      url: docsUrl('no-wildcard-rbac'),
    },
    messages: {
      pass: '{{kind}} "{{name}}" names its API groups, resources and verbs explicitly.',
      wildcard: 'Rule {{number}} of {{kind}} "{{name}}" uses a wildcard in {{fields}}.',
    },
    aliases: { kubeLinter: 'wildcard-in-rules' },
    checklist: 'security',
  },
  check(ctx) {
    const kind = ctx.resource.kind;
    const name = ctx.resource.name ?? '';
    for (const rule of policyRules(ctx.value)) {
      const fields: Array<[string, boolean]> = [
        ['apiGroups', rule.apiGroups.includes('*')],
        ['resources', rule.resources.some((r) => r === '*' || r.startsWith('*/'))],
        ['verbs', rule.verbs.includes('*')],
        ['nonResourceURLs', rule.nonResourceURLs.includes('*')],
      ];
      const wild = fields.filter(([, has]) => has).map(([field]) => field);
      // Shown on the list that matters most: what is granted, then how, then where.
      const first = ['resources', 'verbs', 'apiGroups', 'nonResourceURLs'].find((f) => wild.includes(f));
      if (first === undefined) continue;
      const fieldText = wild.length === 1 ? first : `${wild.slice(0, -1).join(', ')} and ${wild.at(-1) as string}`;
      ctx.report({ messageId: 'wildcard', data: { kind, name, number: rule.index + 1, fields: fieldText }, at: `/rules/${rule.index}/${first}`, anchor: 'key' });
    }
  },
});
