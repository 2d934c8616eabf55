import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

/** kube-linter deprecated-service-account-field: `serviceAccount` is the deprecated alias of `serviceAccountName`. */
export default defineRule({
  meta: {
    id: 'no-deprecated-service-account-field',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods name their ServiceAccount with `serviceAccountName`, not the deprecated `serviceAccount`.',
      rationale: '`serviceAccount` is a deprecated alias kept for old clients: the API server copies it into `serviceAccountName` when that is empty and ignores it otherwise, so a manifest with both can say two different things and only one of them is true. The fix renames the field, or removes it when `serviceAccountName` is set as well (the value that was in effect stays).',
      url: docsUrl('no-deprecated-service-account-field'),
    },
    messages: {
      pass: 'The pod names its ServiceAccount with serviceAccountName.',
      deprecated: 'serviceAccount is deprecated: use serviceAccountName.',
      redundant: 'serviceAccount is deprecated and repeats serviceAccountName.',
      conflicting: 'serviceAccount is deprecated and says "{{old}}", but serviceAccountName "{{current}}" is the one in effect.',
    },
    aliases: { kubeLinter: 'deprecated-service-account-field' },
    fixable: true,
    checklist: false,
  },
  check(ctx) {
    const old = ctx.value.serviceAccount;
    const current = ctx.value.serviceAccountName;
    if (old === undefined) {
      if (current === undefined) ctx.notApplicable();
      return;
    }
    if (current === undefined || current === '') {
      ctx.report({
        messageId: 'deprecated', at: '/serviceAccount', anchor: 'key',
        fix: { title: 'Rename serviceAccount to serviceAccountName', patch: current === undefined ? [{ op: 'move', from: '/serviceAccount', path: '/serviceAccountName' }] : [{ op: 'remove', path: '/serviceAccountName' }, { op: 'move', from: '/serviceAccount', path: '/serviceAccountName' }] },
      });
      return;
    }
    const fix = { title: 'Remove the deprecated serviceAccount', patch: [{ op: 'remove' as const, path: '/serviceAccount' }] };
    if (old === current) ctx.report({ messageId: 'redundant', at: '/serviceAccount', anchor: 'key', fix });
    else ctx.report({ messageId: 'conflicting', data: { old: String(old), current: String(current) }, at: '/serviceAccount', anchor: 'key', fix });
  },
});
