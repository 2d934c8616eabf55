import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/** kube-linter default-service-account: pods name a ServiceAccount of their own. */
export default defineRule({
  meta: {
    id: 'no-default-service-account',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods run as a dedicated ServiceAccount, not the namespace\'s `default` one.',
      rationale: 'Every pod that names no ServiceAccount runs as `default`, so any permission granted to `default` for one application is granted to all of them, and no RoleBinding can tell them apart. A ServiceAccount per application makes its permissions reviewable and revocable on their own. The deprecated `serviceAccount` field counts when `serviceAccountName` is not set. There is no automatic fix: the ServiceAccount has to exist and be given the right permissions.',
      url: docsUrl('no-default-service-account'),
    },
    messages: {
      pass: 'The pod runs as its own ServiceAccount.',
      missing: 'The pod sets no serviceAccountName, so it runs as the namespace\'s "default" ServiceAccount.',
      explicitDefault: 'The pod runs as the namespace\'s "default" ServiceAccount.',
    },
    aliases: { kubeLinter: 'default-service-account' },
    checklist: 'security',
  },
  check(ctx) {
    const field = typeof ctx.value.serviceAccountName === 'string' && ctx.value.serviceAccountName !== '' ? 'serviceAccountName'
      : typeof ctx.value.serviceAccount === 'string' && ctx.value.serviceAccount !== '' ? 'serviceAccount' : undefined;
    if (field === undefined) {
      ctx.report({ messageId: 'missing', at: '/serviceAccountName' });
      return;
    }
    if (ctx.value[field] === 'default') ctx.report({ messageId: 'explicitDefault', at: `/${field}`, anchor: 'value' });
  },
});
