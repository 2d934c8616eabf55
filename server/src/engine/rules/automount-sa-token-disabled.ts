import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';

const CAUTION = 'kgov: set to true if the app calls the Kubernetes API';

/**
 * Polaris automountServiceAccountToken: the pod does not mount an API token, by its own setting or, when it
 * leaves the field unset, by its ServiceAccount's (found in the workspace).
 */
export default defineRule({
  meta: {
    id: 'automount-sa-token-disabled',
    category: 'rbac',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods do not mount a ServiceAccount API token unless they need one (`automountServiceAccountToken: false`).',
      rationale: 'By default every container gets a token for the pod\'s ServiceAccount under /var/run/secrets/kubernetes.io/serviceaccount. Most applications never call the Kubernetes API, and for them the token only helps an attacker who gets code execution to move on to the API server with whatever the ServiceAccount (often `default`) may do. A pod that leaves the field unset passes when its ServiceAccount, defined in the workspace in the same namespace, sets `automountServiceAccountToken: false`. The fix sets `automountServiceAccountToken: false` on the pod with a comment: an application that does use the API (operators, controllers, anything with a Kubernetes client) needs it back to true.',
      url: docsUrl('automount-sa-token-disabled'),
    },
    messages: {
      pass: 'The pod does not mount a ServiceAccount token.',
      podTrue: 'The pod sets automountServiceAccountToken: true, so every container gets an API token.',
      unset: 'The pod does not set automountServiceAccountToken and {{account}}, so every container gets an API token.',
    },
    aliases: { polaris: 'automountServiceAccountToken' },
    fixable: true,
    crossResource: true,
    checklist: 'security',
  },
  check(ctx) {
    const own = ctx.value.automountServiceAccountToken;
    if (own === false) return;
    if (own === true) {
      ctx.report({
        messageId: 'podTrue', at: '/automountServiceAccountToken', anchor: 'value',
        fix: { title: 'Set automountServiceAccountToken: false', patch: [{ op: 'replace', path: '/automountServiceAccountToken', value: false, comment: CAUTION }] },
      });
      return;
    }
    const named = [ctx.value.serviceAccountName, ctx.value.serviceAccount].find((v): v is string => typeof v === 'string' && v !== '');
    const name = named ?? 'default';
    const account = ctx.workspace.find('ServiceAccount', ctx.resource.namespace, name);
    const setting = account?.value.automountServiceAccountToken;
    if (setting === false) return;
    const text = !account
      ? `its ServiceAccount "${name}" is not defined in the workspace with automountServiceAccountToken: false`
      : setting === true
        ? `its ServiceAccount "${name}" sets automountServiceAccountToken: true (${ctx.workspace.where(account)})`
        : `its ServiceAccount "${name}" does not set it to false either (${ctx.workspace.where(account)})`;
    ctx.report({
      messageId: 'unset', data: { account: text }, at: '/automountServiceAccountToken',
      fix: { title: 'Set automountServiceAccountToken: false on the pod', patch: [{ op: 'add', path: '/automountServiceAccountToken', value: false, comment: CAUTION }] },
    });
  },
});
